"""Issue 12, finding 12: IINs and BINs typed into a form are checked by the rules of
SERVICES.md ("IIN / BIN") wherever the form schema marks them with ``x-format`` — the
contractor's BIN/IIN of the restoration service — on every channel; ``catalog check``
knows the keyword."""

import copy

import pytest

from qyzmet.catalog.validation import check_directory, validate_form_data
from qyzmet.core.identifiers import is_valid_bin, is_valid_iin
from qyzmet.testing import restoration_form

from .conftest import edit

RESTORATION_FORM = "restoration-approval/form.schema.json"

VALID_IINS = ["900101300007", "850715450105", "051231600007", "900101300811"]
VALID_BINS = ["150340000109", "070840007503"]


def test_iin_and_bin_rules_beyond_the_check_digit():
    assert all(is_valid_iin(v) for v in VALID_IINS)
    assert all(is_valid_bin(v) for v in VALID_BINS)
    # The check digit of twelve zeros is right; the number is no one's.
    assert not is_valid_iin("000000000000") and not is_valid_bin("000000000000")
    # A valid IIN is not a BIN (5th digit, the tens of a day, is not a kind of entity)…
    assert not any(is_valid_bin(v) for v in VALID_IINS)
    # …and a BIN whose 7th digit is no century is not an IIN.
    assert not any(is_valid_iin(v) for v in VALID_BINS)


def _schema(real_catalog):
    import json

    return json.loads((real_catalog / RESTORATION_FORM).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("150340000109", True),  # a BIN
        ("900101300007", True),  # an individual entrepreneur's IIN
        ("000000000000", False),
        ("150340000108", False),  # check digit
        ("123456789012", False),
    ],
)
def test_the_contractors_number_in_the_restoration_form(real_catalog, value, valid):
    form = copy.deepcopy(restoration_form())
    form["contractor"]["bin"] = value
    issues = validate_form_data(_schema(real_catalog), form)
    assert (not issues) is valid, issues
    if not valid:
        assert [i.field for i in issues] == ["contractor.bin"]


def test_catalog_check_knows_the_keyword(catalog_copy):
    form = catalog_copy / RESTORATION_FORM
    edit(form, '"x-format": "iin-or-bin"', '"x-format": "iban"')
    lines = [str(issue) for issue in check_directory(catalog_copy).issues]
    assert any("x-format" in line and "unknown x-format 'iban'" in line for line in lines), lines
    edit(form, '"x-format": "iban"', '"x-format": "bin"')
    assert check_directory(catalog_copy).ok
    edit(form, '"type": "string",\n          "pattern": "^[0-9]{12}$",\n', '"type": "integer",\n')
    lines = [str(issue) for issue in check_directory(catalog_copy).issues]
    assert any('x-format needs "type": "string"' in line for line in lines), lines
