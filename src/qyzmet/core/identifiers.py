"""IIN and BIN: the 12-digit identifiers of individuals and legal entities.

The check digit (SERVICES.md, "IIN / BIN"): c = Σ d[i]·i (i = 1..11) mod 11; if c = 10,
recompute with weights 3,4,5,6,7,8,9,10,11,1,2; if that is 10 too the number is invalid.
Typed input is checked; values read from a trusted certificate are not (NCA test
certificates carry IIN123456789011, which fails the check).

Beyond the check digit (issue 12, finding 12: ``000000000000`` was registered, and a valid
IIN was accepted as a BIN):

- an all-zero number is no one's;
- an IIN's 7th digit, the century of its date part and the sex, is 1–6 (1800s, 1900s,
  2000s; odd male); the date itself (YYMMDD) is never refused because it looks wrong
  (decree No. 853);
- a BIN's 5th digit is the kind of entity: 4 resident, 5 non-resident, 6 individual
  entrepreneur in joint business (an IIN's 5th digit, the tens of a day, is 0–3 for any
  real date, so a valid IIN is not taken for a BIN).

The same rules serve the form fields marked ``"x-format": "iin"``, ``"bin"`` or
``"iin-or-bin"`` in a catalogue's form schema (``qyzmet.catalog.validation``).
"""

from __future__ import annotations

from .refusals import Refused

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no digit can be valid."""
    digits = [int(ch) for ch in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        c = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if c != 10:
            return c
    return None


def is_valid_identifier(value: str) -> bool:
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    return check_digit(value[:11]) == int(value[11])


IIN_CENTURY_DIGITS = frozenset("123456")
BIN_TYPE_DIGITS = frozenset("456")


def is_valid_iin(value: str) -> bool:
    return is_valid_identifier(value) and value != "0" * 12 and value[6] in IIN_CENTURY_DIGITS


def is_valid_bin(value: str) -> bool:
    return is_valid_identifier(value) and value != "0" * 12 and value[4] in BIN_TYPE_DIGITS


def normalize(value: str) -> str:
    return "".join(str(value).split())


def validate_iin(value: str, field_name: str = "iin") -> str:
    value = normalize(value)
    if not is_valid_iin(value):
        raise Refused("invalid_iin", field_name=field_name)
    return value


def validate_bin(value: str, field_name: str = "bin") -> str:
    value = normalize(value)
    if not is_valid_bin(value):
        raise Refused("invalid_bin", field_name=field_name)
    return value
