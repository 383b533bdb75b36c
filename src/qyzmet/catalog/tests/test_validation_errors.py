"""A broken catalogue file gives an error naming the file and the field, and loading it
changes nothing in the database."""

import pytest

from qyzmet.catalog.loader import CatalogError, load_catalog
from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.validation import check_directory

from .conftest import edit

EXPORT_V1 = "temporary-export/2014-06.toml"
EXPORT_V2 = "temporary-export/2014-12.toml"
EXPORT_FORM = "temporary-export/form.schema.json"

# (file, old text, new text, expected "file: field", expected part of the message)
BROKEN = {
    "bad type": (
        EXPORT_V1,
        "amount = 0",
        'amount = "free"',
        "fee.amount",
        "is not of type 'number'",
    ),
    "missing title kk": (
        EXPORT_V1,
        'kk = "Мәдени құндылықтарды уақытша әкету құқығына куәлік беру"\n',
        "",
        "title.kk",
        "required field is missing",
    ),
    "empty text": (
        EXPORT_V1,
        'en = "Issue of a certificate for the right of temporary export of cultural valuables"',
        'en = "  "',
        "title.en",
        "does not match",
    ),
    "unknown role": (
        EXPORT_V1,
        'role = "executor"',
        'role = "janitor"',
        "process.steps[3].role",
        "'janitor' is not a known role",
    ),
    "bad norm kind": (
        EXPORT_V1,
        'kind = "working_minutes"',
        'kind = "hours"',
        "process.steps[3].norm.kind",
        "'hours' is not one of ['same_working_day', 'working_minutes', 'working_days']",
    ),
    "norm without value": (
        EXPORT_V1,
        'norm = { kind = "working_days", value = 10, from = "registration" }',
        'norm = { kind = "working_days", from = "registration" }',
        "process.steps[4].norm.value",
        "required when kind = 'working_days'",
    ),
    "unknown field": (
        EXPORT_V1,
        'currency = "KZT"',
        'currency = "KZT"\ncurency = "KZT"',
        "fee.curency",
        "unknown field",
    ),
    "date not a date": (
        EXPORT_V1,
        "date = 2014-06-16",
        'date = "16.06.2014"',
        "effective.from.date",
        "does not match",
    ),
    "until before from": (
        EXPORT_V1,
        "date = 2014-12-08",
        "date = 2014-06-01",
        "effective.until.date",
        "is not after effective.from.date",
    ),
    "code differs from folder": (
        EXPORT_V1,
        'code = "temporary-export"',
        'code = "temporary-exports"',
        "code",
        "does not match the directory name",
    ),
    "step for undeclared channel": (
        EXPORT_V1,
        'channels = ["office"]\nnorm = { kind = "same_working_day", from = "step_start", assumed',
        'channels = ["mail"]\nnorm = { kind = "same_working_day", from = "step_start", assumed',
        "process.steps[6].channels[0]",
        "'mail' is not one of",
    ),
    "overlapping versions": (
        EXPORT_V2,
        "date = 2014-12-08",
        "date = 2014-12-01",
        "effective.from.date",
        "overlaps catalog/temporary-export/2014-06.toml",
    ),
    "malformed TOML": (EXPORT_V1, "[fee]", "[fee", "(syntax)", "malformed TOML"),
    "invalid form schema": (
        EXPORT_FORM,
        '"maxItems": 500',
        '"maxItems": -5',
        "properties.items.maxItems",
        "is less than the minimum of 0",
    ),
    "form schema not JSON": (
        EXPORT_FORM,
        '"type": "object",',
        '"type": "object"',
        "(syntax)",
        "malformed JSON",
    ),
    "form label missing": (
        EXPORT_FORM,
        '"x-title-kk": "Саны",',
        "",
        "properties.items.items.properties.quantity.x-title-kk",
        "label is missing",
    ),
}


def _expected_prefix(file: str, field: str) -> str:
    return f"catalog/{file}: {field}: "


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_check_names_file_and_field(catalog_copy, case):
    file, old, new, field, message = BROKEN[case]
    edit(catalog_copy / file, old, new, count=0)
    result = check_directory(catalog_copy)
    assert not result.ok
    lines = [str(issue) for issue in result.issues]
    prefix = _expected_prefix(file, field)
    assert any(line.startswith(prefix) and message in line for line in lines), lines
    invalid = {f.display for f in result.files if not f.ok}
    if file.endswith(".toml") and case != "overlapping versions":
        assert invalid == {f"catalog/{file}"}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_file_changes_nothing_in_the_database(catalog_copy, real_catalog, case):
    load_catalog(real_catalog, include_demo=True)
    before = list(
        ServiceVersion.objects.values_list("service_code", "version", "source_sha256", "loaded_at")
    )
    # A valid change elsewhere that a partial load would have written.
    edit(catalog_copy / "restoration-approval/2014-06.toml", 'phone = "1414"', 'phone = "1414 "')
    file, old, new, field, message = BROKEN[case]
    edit(catalog_copy / file, old, new, count=0)
    with pytest.raises(CatalogError) as raised:
        load_catalog(catalog_copy, include_demo=True)
    assert _expected_prefix(file, field) in str(raised.value)
    assert message in str(raised.value)
    after = list(
        ServiceVersion.objects.values_list("service_code", "version", "source_sha256", "loaded_at")
    )
    assert after == before


def test_every_error_of_a_file_is_reported(catalog_copy):
    edit(catalog_copy / EXPORT_V1, "amount = 0", "amount = -1")
    edit(catalog_copy / EXPORT_V1, 'kind = "working_minutes"', 'kind = "hours"')
    edit(catalog_copy / "restoration-approval/2014-06.toml", 'phone = "1414"', 'phone = "call us"')
    fields = {(i.file, i.field) for i in check_directory(catalog_copy).issues}
    assert ("catalog/temporary-export/2014-06.toml", "fee.amount") in fields
    assert ("catalog/temporary-export/2014-06.toml", "process.steps[3].norm.kind") in fields
    assert ("catalog/restoration-approval/2014-06.toml", "helpline.phone") in fields


def test_missing_form_schema_file_is_named(catalog_copy):
    (catalog_copy / EXPORT_FORM).unlink()
    issues = [str(i) for i in check_directory(catalog_copy).issues]
    assert (
        "catalog/temporary-export/2014-06.toml: form.schema: file catalog/temporary-export/form.schema.json does not exist"
        in issues
    )


def test_form_schema_path_cannot_leave_the_service_folder(catalog_copy):
    edit(
        catalog_copy / EXPORT_V1, 'schema = "form.schema.json"', 'schema = "../../etc/passwd.json"'
    )
    issues = [str(i) for i in check_directory(catalog_copy).issues]
    assert any(i.startswith("catalog/temporary-export/2014-06.toml: form.schema: ") for i in issues)


def test_demo_flag_must_match_file_name(catalog_copy):
    edit(catalog_copy / "temporary-export/demo-2026.toml", "demo = true", "demo = false")
    issues = [str(i) for i in check_directory(catalog_copy).issues]
    assert any(i.startswith("catalog/temporary-export/demo-2026.toml: demo: ") for i in issues)


def test_missing_directory_is_an_error(tmp_path):
    result = check_directory(tmp_path / "nowhere")
    assert not result.ok
    assert "does not exist" in str(result.issues[0])


def test_empty_directory_is_an_error(tmp_path):
    assert "no catalogue files found" in str(check_directory(tmp_path).issues[0])
