"""The real catalogue files: valid, complete and faithful to regulation 2/339 and SERVICES.md."""

import datetime as dt

import pytest

from qyzmet.catalog.loader import read_catalog
from qyzmet.catalog.metaschema import STEP_CODES

SERVICES = ("temporary-export", "restoration-approval")
KAZAKH_TITLES = {  # SERVICES.md, "Kazakh titles"
    "temporary-export": "Мәдени құндылықтарды уақытша әкету құқығына куәлік беру",
    "restoration-approval": "Жергілікті маңызы бар тарих және мәдениет ескерткіштерінде "
    "ғылыми-реставрациялық жұмыстар жүргізуді келісу",
}


@pytest.fixture(scope="module")
def versions():
    from qyzmet.catalog import conf

    return {(v.service_code, v.version): v for v in read_catalog(conf.catalog_dir())}


def test_both_services_have_two_versions_and_a_demo(versions):
    assert sorted(versions) == sorted(
        (service, version)
        for service in SERVICES
        for version in ("2014-06", "2014-12", "demo-2026")
    )


@pytest.mark.parametrize("service", SERVICES)
def test_versions_follow_each_other_without_gap(versions, service):
    first, amended, demo = (versions[(service, v)] for v in ("2014-06", "2014-12", "demo-2026"))
    # In force 10 calendar days after publication (resolution 2/339 p.5; 4/873; 3/540).
    assert first.effective_from == dt.date(2014, 6, 16)
    assert first.effective_until == amended.effective_from == dt.date(2014, 12, 8)
    assert amended.effective_until == demo.effective_from == dt.date(2015, 9, 20)
    assert demo.effective_until is None
    assert (first.is_demo, amended.is_demo, demo.is_demo) == (False, False, True)
    # Unconfirmed dates are marked as such.
    for version in (first, amended):
        assert version.definition["effective"]["from"]["assumed"] is True
        assert version.definition["effective"]["until"]["assumed"] is True


@pytest.mark.parametrize("service", SERVICES)
def test_amendment_adds_p13_handbook_and_legal_acts(versions, service):
    first, amended = versions[(service, "2014-06")], versions[(service, "2014-12")]
    assert "handbook" not in first.definition["process"]
    assert "p.13" in amended.definition["process"]["handbook"]["basis"]
    roles_first = {act["role"]: act["number"] for act in first.definition["legal_basis"]}
    roles_amended = {act["role"]: act["number"] for act in amended.definition["legal_basis"]}
    assert roles_first["regulation"] == "2/339" and roles_first["standard"] == "140"
    assert "amendment" not in roles_first and "repeal" not in roles_first
    assert roles_amended["amendment"] == "4/873" and roles_amended["repeal"] == "3/540"
    regulation = next(a for a in first.definition["legal_basis"] if a["role"] == "regulation")
    assert regulation["registration"] == {"number": "1054", "date": "2014-05-29"}


@pytest.mark.parametrize(
    "key", [(s, v) for s in SERVICES for v in ("2014-06", "2014-12", "demo-2026")]
)
def test_every_field_of_a_version(versions, key):
    d = versions[key].definition
    assert d["title"]["kk"] == KAZAKH_TITLES[key[0]]
    assert all(d["title"][lang].strip() for lang in ("ru", "kk", "en"))
    assert d["provider"]["name"]["ru"] == "КГУ «Управление культуры города Алматы»"
    assert d["recipients"]["kinds"] == ["individual", "legal_entity"]
    assert d["fee"] == {"free": True, "amount": 0, "currency": "KZT", "basis": "p.3"}
    assert [c["code"] for c in d["channels"]] == ["portal", "office"]
    assert d["term"]["result"] == {
        "value": 10,
        "unit": "working_days",
        "from": "registration",
        "basis": "p.8.3; p.9 → Standard item 4",
    }
    for waiting in ("max_waiting", "max_service"):
        assert d["term"][waiting]["value"] == 20 and d["term"][waiting]["assumed"] is True
    schedule = d["schedule"]
    assert (schedule["start"], schedule["end"]) == ("09:00:00", "18:30:00")
    assert (schedule["lunch_start"], schedule["lunch_end"]) == ("13:00:00", "14:30:00")
    assert schedule["workdays"] == ["mon", "tue", "wed", "thu", "fri"]
    assert schedule["assumed"] is True and schedule["portal_around_the_clock"] is True
    assert schedule["after_hours_registration"] == "next_working_day"
    assert all(doc["assumed"] for doc in d["documents"])
    assert d["helpline"]["phone"] == "1414" and d["helpline"]["basis"] == "p.12"
    assert d["complaints"]["term"]["value"] == 5
    assert d["complaints"]["term"]["unit"] == "working_days"
    assert "88-V" in d["complaints"]["basis"] and "art. 25" in d["complaints"]["basis"]
    assert d["result"]["refusal_kind"] == "motivated_refusal"
    assert (
        d["result"]["kind"]
        == {"temporary-export": "certificate", "restoration-approval": "approval_letter"}[key[0]]
    )
    assert d["form"]["schema"] == "form.schema.json"
    assert versions[key].form_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("service", SERVICES)
def test_process_steps_roles_and_norms(versions, service):
    steps = versions[(service, "2014-12")].definition["process"]["steps"]
    table = [
        (
            s["code"],
            s["role"],
            tuple(s["channels"]),
            s["norm"]["kind"],
            s["norm"].get("value"),
            s["norm"]["from"],
        )
        for s in steps
    ]
    assert table == [
        ("register", "system", ("portal",), "same_working_day", None, "step_start"),
        ("register", "clerk", ("office",), "same_working_day", None, "step_start"),
        ("assign", "head", ("portal", "office"), "same_working_day", None, "step_start"),
        ("check", "executor", ("portal", "office"), "working_minutes", 10, "step_start"),
        ("prepare", "executor", ("portal", "office"), "working_days", 10, "registration"),
        ("sign", "head", ("portal", "office"), "working_days", 10, "registration"),
        ("handover", "clerk", ("office",), "same_working_day", None, "step_start"),
    ]
    assert {s["code"] for s in steps} == set(STEP_CODES)
    by_code = {s["code"]: s for s in steps}
    assert "p.8.2" in by_code["check"]["basis"] and "p.8.3" in by_code["prepare"]["basis"]
    assert "p.8.4" in by_code["sign"]["basis"] and "p.8.1" in by_code["register"]["basis"]
    assert by_code["assign"]["norm"]["assumed"] is True  # the regulation gives no norm


@pytest.mark.parametrize(
    ("service", "specific"),
    [
        ("temporary-export", {"purpose_not_allowed", "export_prohibited_item"}),
        ("restoration-approval", {"not_local_monument", "no_restoration_licence"}),
    ],
)
def test_refusal_reasons(versions, service, specific):
    reasons = {r["code"]: r for r in versions[(service, "2014-06")].definition["refusal_reasons"]}
    assert {"incomplete_documents", "unreliable_data", "grounds_not_met"} | specific <= set(reasons)
    assert reasons["incomplete_documents"]["stages"] == ["check"]
    assert set(reasons["unreliable_data"]["stages"]) == {"check", "prepare"}
    assert reasons["grounds_not_met"]["stages"] == ["prepare"]
    for code in specific:
        assert reasons[code]["assumed"] is True
    for reason in reasons.values():
        assert all(reason["text"][lang].strip() for lang in ("ru", "kk", "en"))
        assert reason["basis"].strip()


def test_forms_of_service_per_regulation_p2(versions):
    export = versions[("temporary-export", "2014-06")].definition
    restoration = versions[("restoration-approval", "2014-06")].definition
    assert export["form_of_service"]["kinds"] == ["electronic_partially_automated"]
    assert export["result"]["forms"] == ["electronic"]
    assert restoration["form_of_service"]["kinds"] == ["electronic_partially_automated", "paper"]
    assert restoration["result"]["forms"] == ["electronic", "paper"]


def test_export_purposes_are_the_five_of_resolution_440(versions):
    purpose = versions[("temporary-export", "2014-06")].form_schema["properties"]["purpose"]
    assert purpose["enum"] == [
        "temporary_exhibition",
        "touring",
        "restoration_and_research",
        "presentations_and_cultural_events",
        "export_by_author",
    ]
    labels = purpose["x-enum-labels"]
    assert set(labels) == set(purpose["enum"])
    assert all(labels[code][lang].strip() for code in labels for lang in ("ru", "kk", "en"))


def test_demo_version_is_labelled(versions):
    for service in SERVICES:
        demo = versions[(service, "demo-2026")]
        assert demo.definition["demo"] is True
        assert "Demonstration" in demo.definition["note"]
        # Same regulation content as the amended version, only the dates and labels differ.
        amended = versions[(service, "2014-12")].definition
        ignore = {"version", "demo", "note", "effective"}
        assert {k: v for k, v in demo.definition.items() if k not in ignore} == {
            k: v for k, v in amended.items() if k not in ignore
        }
