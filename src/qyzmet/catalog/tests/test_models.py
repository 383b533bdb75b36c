"""Typed accessors other apps use: steps, norms, refusal reasons, documents, schedule."""

import datetime as dt

import pytest

from qyzmet.calendar.working_time import Schedule
from qyzmet.catalog.loader import load_catalog
from qyzmet.catalog.queries import version_in_force


@pytest.fixture
def export(db, real_catalog):
    load_catalog(real_catalog, include_demo=True)
    return version_in_force("temporary-export", dt.date(2015, 3, 2))


@pytest.fixture
def restoration(export):
    return version_in_force("restoration-approval", dt.date(2015, 3, 2))


def test_steps_and_norms(export):
    assert [s.code for s in export.steps] == [
        "register",
        "register",
        "assign",
        "check",
        "prepare",
        "sign",
        "handover",
    ]
    check = export.step("check")
    assert (check.role, check.norm_kind, check.norm_value, check.norm_from) == (
        "executor",
        "working_minutes",
        10,
        "step_start",
    )
    prepare = export.step("prepare")
    assert (prepare.norm_kind, prepare.norm_value, prepare.norm_from) == (
        "working_days",
        10,
        "registration",
    )
    assert "p.8.3" in prepare.basis
    assert export.step("sign").role == "head"
    assert export.step("assign").norm_value is None and export.step("assign").assumed


def test_register_differs_per_channel(export):
    assert export.step("register", "portal").role == "system"
    assert export.step("register", "office").role == "clerk"
    merged = export.step("register")
    assert merged.channels == ("portal", "office")
    assert export.step("handover").channels == ("office",)
    assert not export.step("handover").applies_to("portal")
    with pytest.raises(KeyError):
        export.step("handover", "portal")
    with pytest.raises(KeyError):
        export.step("archive")
    assert [s.code for s in export.steps_for("portal")] == [
        "register",
        "assign",
        "check",
        "prepare",
        "sign",
    ]


def test_refusal_reasons_with_texts(export):
    reasons = export.refusal_reasons
    reason = reasons["incomplete_documents"]
    assert reason.stages == ("check",)
    assert reason.text("kk").startswith("Мемлекеттік көрсетілетін қызмет стандартының")
    assert reason.text("en").startswith("The set of documents")
    assert reason.text("xx") == reason.text("ru")


def test_documents_per_channel(export, restoration):
    assert [d.code for d in export.documents("portal")] == [
        "application",
        "items_list",
        "photos",
        "purpose_document",
    ]
    assert all(d.required for d in export.documents("office"))
    assert export.documents("portal")[2].form["portal"] == "scan"
    assert [d.code for d in restoration.documents("office")] == [
        "application",
        "project_documentation",
        "contractor_licence",
    ]
    assert restoration.documents("office")[2].title("en").startswith("Copy of the contractor")


def test_schedule_is_a_calendar_schedule(export):
    schedule = export.schedule
    assert isinstance(schedule, Schedule)
    assert (schedule.start, schedule.end) == (dt.time(9), dt.time(18, 30))
    assert (schedule.lunch_start, schedule.lunch_end) == (dt.time(13), dt.time(14, 30))
    assert schedule.working_weekdays == frozenset({0, 1, 2, 3, 4})
    # Built once per instance; another instance of the same version builds an equal one.
    assert export.schedule is schedule
    assert version_in_force("temporary-export", dt.date(2015, 3, 2)).schedule == schedule


def test_channels_result_title(export, restoration):
    assert export.channels == ("portal", "office")
    assert export.channel("office").result_forms == ("electronic", "paper")
    assert export.channel("portal").around_the_clock
    assert (export.result_kind, export.refusal_kind) == ("certificate", "motivated_refusal")
    assert restoration.result_kind == "approval_letter"
    assert export.title("kk") == "Мәдени құндылықтарды уақытша әкету құқығына куәлік беру"
    assert export.title("en").startswith("Issue of a certificate")
    assert export.term_working_days == 10
    assert export.helpline == "1414"
    assert export.recipients == ("individual", "legal_entity")
    assert export.provider_name.text("ru") == "КГУ «Управление культуры города Алматы»"


def test_documents_to_hand_in_leave_out_what_the_signed_request_carries(export, restoration):
    # Standard item 9: on the portal the application and the list of valuables are the
    # e-request itself (form "e_request"); only the other documents come as files. At the
    # office every required document is handed in on paper.
    def codes(version, channel):
        return [d.code for d in version.documents_to_hand_in(channel)]

    assert codes(export, "portal") == ["photos", "purpose_document"]
    # The test builders upload exactly these (qyzmet.testing.PORTAL_UPLOADS).
    from qyzmet.testing import PORTAL_UPLOADS

    assert codes(export, "portal") == list(PORTAL_UPLOADS["temporary-export"])
    assert codes(restoration, "portal") == list(PORTAL_UPLOADS["restoration-approval"])
    assert codes(export, "office") == [
        "application",
        "items_list",
        "photos",
        "purpose_document",
    ]
    assert codes(restoration, "portal") == ["project_documentation", "contractor_licence"]
    assert codes(restoration, "office")[0] == "application"


def test_form_fields_keep_the_order_of_the_schema_file(restoration, real_catalog):
    # PostgreSQL's jsonb reorders an object's keys; the form must follow the file
    # (x-property-order, recorded at load), on every database.
    import json

    from qyzmet.catalog.models import ServiceVersion
    from qyzmet.catalog.schema_form import build_fields

    written = json.loads((real_catalog / "restoration-approval" / "form.schema.json").read_text())
    stored = ServiceVersion.objects.get(pk=restoration.pk)  # read back from the database
    fields = build_fields(stored.form_schema, {}, language="ru")
    assert [f.name for f in fields] == list(written["properties"])
    works = next(f for f in fields if f.name == "works")
    assert [f.name for f in works.children] == [
        f"works.{key}" for key in written["properties"]["works"]["properties"]
    ]


def test_loading_again_records_the_order_for_versions_loaded_without_it(restoration, real_catalog):
    from qyzmet.catalog.models import ServiceVersion
    from qyzmet.catalog.property_order import PROPERTY_ORDER

    recorded = restoration.form_schema
    unordered = {k: v for k, v in recorded.items() if k != PROPERTY_ORDER}
    ServiceVersion.objects.filter(pk=restoration.pk).update(form_schema=unordered)
    report = load_catalog(real_catalog, include_demo=True)
    assert "restoration-approval 2014-12" in report.unchanged  # the same files
    assert ServiceVersion.objects.get(pk=restoration.pk).form_schema == recorded
