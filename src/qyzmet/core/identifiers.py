"""IIN and BIN: the 12-digit identifiers of individuals and legal entities.

The check digit (SERVICES.md, "IIN / BIN"): c = Σ d[i]·i (i = 1..11) mod 11; if c = 10,
recompute with weights 3,4,5,6,7,8,9,10,11,1,2; if that is 10 too the number is invalid.
Typed input is checked; values read from a trusted certificate are not (NCA test
certificates carry IIN123456789011, which fails the check).
An IIN is never refused because its date part looks wrong (decree No. 853).
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


def normalize(value: str) -> str:
    return "".join(str(value).split())


def validate_iin(value: str, field_name: str = "iin") -> str:
    value = normalize(value)
    if not is_valid_identifier(value):
        raise Refused("invalid_iin", field_name=field_name)
    return value


def validate_bin(value: str, field_name: str = "bin") -> str:
    value = normalize(value)
    if not is_valid_identifier(value):
        raise Refused("invalid_bin", field_name=field_name)
    return value
