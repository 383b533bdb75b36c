"""Loading: idempotent, updates unreferenced versions, never changes a referenced one."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import override_settings

from qyzmet.catalog.loader import CatalogError, load_catalog, reference_count
from qyzmet.catalog.models import ServiceVersion

from .conftest import edit, version_files


def _state():
    return sorted(ServiceVersion.objects.values_list("service_code", "version", "source_sha256"))


@pytest.mark.django_db
def test_load_is_idempotent(real_catalog):
    first = load_catalog(real_catalog, include_demo=True)
    versions = len(version_files(real_catalog))
    assert len(first.created) == versions and not first.updated
    state = _state()
    loaded_at = list(ServiceVersion.objects.values_list("loaded_at", flat=True))
    second = load_catalog(real_catalog, include_demo=True)
    assert (second.created, second.updated, len(second.unchanged)) == ([], [], versions)
    assert _state() == state
    assert list(ServiceVersion.objects.values_list("loaded_at", flat=True)) == loaded_at


@pytest.mark.django_db
def test_loaded_row_mirrors_the_file(real_catalog):
    load_catalog(real_catalog, include_demo=True)
    row = ServiceVersion.objects.get(service_code="temporary-export", version="2014-06")
    assert row.effective_from == dt.date(2014, 6, 16)
    assert row.effective_until == dt.date(2014, 12, 8)
    assert row.source_path == "catalog/temporary-export/2014-06.toml"
    assert len(row.source_sha256) == 64
    assert row.definition["code"] == "temporary-export"
    assert row.form_schema["properties"]["purpose"]["enum"][0] == "temporary_exhibition"
    assert row.title_kk == row.definition["title"]["kk"]
    assert not row.is_demo


@pytest.mark.django_db
def test_demo_versions_follow_the_setting(real_catalog):
    with override_settings(QYZMET_CATALOG_DEMO=False):
        report = load_catalog(real_catalog)
    demo = version_files(real_catalog, demo=True)
    assert sorted(report.skipped_demo) == [f"{service} {version}" for service, version in demo]
    assert not ServiceVersion.objects.filter(is_demo=True).exists()
    report = load_catalog(real_catalog)  # default: demo on
    assert len(report.created) == len(demo)
    assert ServiceVersion.objects.filter(is_demo=True).count() == len(demo)


@pytest.mark.django_db
def test_unreferenced_version_is_updated(catalog_copy):
    load_catalog(catalog_copy, include_demo=True)
    edit(catalog_copy / "temporary-export/2014-06.toml", 'phone = "1414"', 'phone = "1414 "')
    report = load_catalog(catalog_copy, include_demo=True)
    assert report.updated == ["temporary-export 2014-06"]
    row = ServiceVersion.objects.get(service_code="temporary-export", version="2014-06")
    assert row.definition["helpline"]["phone"] == "1414 "


@pytest.mark.django_db
def test_a_form_schema_change_is_a_content_change(catalog_copy):
    load_catalog(catalog_copy, include_demo=True)
    edit(catalog_copy / "temporary-export/form.schema.json", '"maxItems": 500', '"maxItems": 400')
    report = load_catalog(catalog_copy, include_demo=True)
    assert sorted(report.updated) == [
        "temporary-export 2014-06",
        "temporary-export 2014-12",
        "temporary-export demo-2026",
    ]


@pytest.mark.django_db
def test_removed_file_may_not_leave_an_overlap(catalog_copy):
    load_catalog(catalog_copy, include_demo=True)
    # The 2014-12 file is replaced by one of a new name covering the same period.
    old = catalog_copy / "temporary-export/2014-12.toml"
    new = catalog_copy / "temporary-export/2014-12b.toml"
    new.write_text(
        old.read_text(encoding="utf-8").replace('version = "2014-12"', 'version = "2014-12b"'),
        encoding="utf-8",
    )
    old.unlink()
    state = _state()
    with pytest.raises(CatalogError) as raised:
        load_catalog(catalog_copy, include_demo=True)
    assert (
        "catalog/temporary-export/2014-12b.toml: effective.from.date: overlaps version 2014-12"
        in str(raised.value)
    )
    assert _state() == state


@pytest.fixture
def referencing_model():
    """A throwaway model with a foreign key to ServiceVersion, like cases.Application, so
    that the reference check is tested without depending on another app's model."""
    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"app_label": "catalog", "db_table": "catalog_test_reference"}),
        "version": models.ForeignKey(
            ServiceVersion, on_delete=models.PROTECT, related_name="test_references"
        ),
    }
    model = type("ThrowawayReference", (models.Model,), attrs)
    with connection.schema_editor() as editor:
        editor.create_model(model)
    try:
        yield model
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(model)
        del apps.all_models["catalog"]["throwawayreference"]
        apps.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_referenced_version_is_immutable(catalog_copy, referencing_model):
    load_catalog(catalog_copy, include_demo=True)
    version = ServiceVersion.objects.get(service_code="temporary-export", version="2014-06")
    referencing_model.objects.create(version=version)
    assert reference_count(version) == 1
    before = _state()

    # A content change of the referenced version, together with a change that alone would
    # be fine: the whole load is refused and nothing changes.
    edit(catalog_copy / "temporary-export/2014-06.toml", "value = 10\nunit", "value = 15\nunit")
    edit(catalog_copy / "restoration-approval/2014-06.toml", 'phone = "1414"', 'phone = "1414 "')
    with pytest.raises(CatalogError) as raised:
        load_catalog(catalog_copy, include_demo=True)
    message = str(raised.value)
    assert (
        "catalog/temporary-export/2014-06.toml: (content): version 2014-06 is referenced by 1 record(s)"
        in message
    )
    assert _state() == before
    version.refresh_from_db()
    assert version.definition["term"]["result"]["value"] == 10

    # Unreferenced versions still update once the referenced file is back as it was.
    edit(catalog_copy / "temporary-export/2014-06.toml", "value = 15\nunit", "value = 10\nunit")
    report = load_catalog(catalog_copy, include_demo=True)
    assert report.updated == ["restoration-approval 2014-06"]


@pytest.mark.django_db(transaction=True)
def test_referenced_version_may_be_closed_for_an_amendment(catalog_copy, referencing_model):
    """Closing the version in force (effective.until) and comments are not content changes."""
    demo = catalog_copy / "temporary-export/demo-2026.toml"
    load_catalog(catalog_copy, include_demo=True)
    version = ServiceVersion.objects.get(service_code="temporary-export", version="demo-2026")
    referencing_model.objects.create(version=version)

    edit(demo, "format_version = 1", "# reviewed\nformat_version = 1")
    text = demo.read_text(encoding="utf-8")
    anchor = "\n[[legal_basis]]"
    demo.write_text(
        text.replace(
            anchor,
            '\n[effective.until]\ndate = 2030-01-01\nbasis = "a later amendment"\n' + anchor,
            1,
        ),
        encoding="utf-8",
    )
    report = load_catalog(catalog_copy, include_demo=True)
    assert report.updated == ["temporary-export demo-2026"]
    version.refresh_from_db()
    assert version.effective_until == dt.date(2030, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_referenced_version_loaded_before_templates_gets_them_and_nothing_else(
    catalog_copy, referencing_model
):
    """A version loaded before result documents were templates (no [result].templates in the
    database) takes its templates although applications refer to it; any other change of its
    content is still refused."""
    load_catalog(catalog_copy, include_demo=True)
    version = ServiceVersion.objects.get(service_code="temporary-export", version="2014-06")
    referencing_model.objects.create(version=version)
    old = dict(version.definition)
    old["result"] = {k: v for k, v in old["result"].items() if k not in ("templates", "documents")}
    ServiceVersion.objects.filter(pk=version.pk).update(definition=old, source_sha256="0" * 64)

    report = load_catalog(catalog_copy, include_demo=True)
    assert report.updated == ["temporary-export 2014-06"]
    version.refresh_from_db()
    assert version.definition["result"]["documents"]["result"]["kind"] == "certificate"

    ServiceVersion.objects.filter(pk=version.pk).update(definition=old, source_sha256="0" * 64)
    edit(catalog_copy / "temporary-export/2014-06.toml", "value = 10\nunit", "value = 15\nunit")
    with pytest.raises(CatalogError, match="is referenced by 1 record"):
        load_catalog(catalog_copy, include_demo=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_loads_all_succeed(real_catalog):
    """Several processes starting at once may load the catalogue together."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def load():
        try:
            barrier.wait()
            load_catalog(real_catalog, include_demo=True)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ServiceVersion.objects.count() == len(version_files(real_catalog))


@pytest.mark.django_db(transaction=True)
def test_referenced_version_may_get_its_process_described(catalog_copy, referencing_model):
    """The p.10 procedures, p.7 units and participants drawn in the diagrams do not change
    how applications are processed: a referenced version may get them (an installation
    whose versions were loaded before they existed) or have them corrected."""
    path = catalog_copy / "temporary-export/2014-06.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\n[[process.roles]]")
    end = text.index("\n[[refusal_reasons]]")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    from qyzmet.catalog.validation import check_file

    # Without them the file is not valid (the process could not be drawn) ...
    assert check_file(path).issues
    # ... so make the row an earlier qyzmet loaded, without them, by hand.
    path.write_text(text, encoding="utf-8")
    load_catalog(catalog_copy, include_demo=True)
    version = ServiceVersion.objects.get(service_code="temporary-export", version="2014-06")
    process = version.definition["process"]
    old = {k: v for k, v in process.items() if k not in ("roles", "participants", "procedures")}
    ServiceVersion.objects.filter(pk=version.pk).update(
        definition={**version.definition, "process": old}, source_sha256="0" * 64
    )
    referencing_model.objects.create(version=version)

    report = load_catalog(catalog_copy, include_demo=True)
    assert report.updated == ["temporary-export 2014-06"]
    version.refresh_from_db()
    assert version.definition["process"]["procedures"]


@pytest.mark.django_db(transaction=True)
def test_a_referenced_version_may_gain_an_identifier_check(catalog_copy, referencing_model):
    """``x-format`` (issue 12, finding 12) checks typed IINs/BINs by the law's rules: a
    version applications refer to may gain it; any other change of its form stays refused."""
    form = catalog_copy / "restoration-approval/form.schema.json"
    edit(form, ',\n          "x-format": "iin-or-bin"', "")
    load_catalog(catalog_copy, include_demo=True)
    version = ServiceVersion.objects.get(service_code="restoration-approval", version="2014-06")
    referencing_model.objects.create(version=version)
    edit(
        form,
        '"pattern": "^[0-9]{12}$"\n',
        '"pattern": "^[0-9]{12}$",\n          "x-format": "bin"\n',
    )
    load_catalog(catalog_copy, include_demo=True)
    version.refresh_from_db()
    assert version.form_schema["properties"]["contractor"]["properties"]["bin"]["x-format"] == "bin"
    edit(form, '"x-format": "bin"', '"x-format": "bin",\n          "maxLength": 12')
    with pytest.raises(CatalogError):
        load_catalog(catalog_copy, include_demo=True)
