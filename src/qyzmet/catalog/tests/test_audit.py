"""Catalogue loads are audited (issue 12 item 2): every version a load creates or changes is
a record in the chain with its file, hashes and period before and after; a load that
changes nothing writes nothing."""

import pytest
from django.core.management import call_command

from qyzmet.audit.models import AuditRecord
from qyzmet.catalog.loader import CatalogError, load_catalog
from qyzmet.catalog.models import ServiceVersion

from .conftest import edit

pytestmark = pytest.mark.django_db


def test_a_load_records_each_created_version_and_a_repeated_load_nothing(real_catalog):
    call_command("catalog", "load", str(real_catalog))
    created = AuditRecord.objects.filter(action="catalog.version_created")
    assert created.count() == ServiceVersion.objects.count() == 6
    record = created.get(
        object_id=str(
            ServiceVersion.objects.get(version="2014-12", service_code="temporary-export").pk
        )
    )
    assert record.actor is None and record.actor_label == "system"
    assert record.after["source_path"].endswith("temporary-export/2014-12.toml")
    assert record.after["effective_until"] == "2015-09-20"
    assert len(record.after["source_sha256"]) == len(record.after["form_schema_sha256"]) == 64
    total = AuditRecord.objects.count()
    load_catalog(real_catalog, include_demo=True)
    assert AuditRecord.objects.count() == total


def test_a_changed_version_is_recorded_before_and_after(catalog_copy):
    load_catalog(catalog_copy, include_demo=True)
    edit(
        catalog_copy / "temporary-export" / "2014-12.toml", "date = 2015-09-20", "date = 2015-09-10"
    )
    load_catalog(catalog_copy, include_demo=True)
    updated = AuditRecord.objects.get(action="catalog.version_updated")
    assert (updated.before["effective_until"], updated.after["effective_until"]) == (
        "2015-09-20",
        "2015-09-10",
    )
    assert updated.before["source_sha256"] != updated.after["source_sha256"]


def test_a_refused_load_records_nothing(catalog_copy):
    load_catalog(catalog_copy, include_demo=True)
    before = AuditRecord.objects.count()
    edit(
        catalog_copy / "temporary-export" / "2014-12.toml", "date = 2014-12-08", "date = 2014-05-01"
    )
    with pytest.raises(CatalogError):
        load_catalog(catalog_copy, include_demo=True)
    assert AuditRecord.objects.count() == before
