"""Paper intake through the API follows the desk's rule (issue 12 item 13; regulation p.10
"через услугодателя", процесс 4–5, условие 2): the applicant is looked up in GBD FL/UL
through the gateway first — the registry simulator process answers — and the name comes from
that answer, or the data is entered by hand with a reason, which the audit keeps. Before,
``POST staff/paper-applications/`` registered whatever name the client sent."""

from datetime import timedelta

import pytest

from qyzmet.accounts.models import Role
from qyzmet.audit.models import AuditRecord
from qyzmet.cases.models import Application
from qyzmet.conftest import make_user
from qyzmet.registry.models import GatewayExchange
from qyzmet.testing import documents_for, form_for

from .conftest import staff_api

pytestmark = pytest.mark.django_db

FOUND_IIN = "900101300007"  # in the simulator's seed (GBD FL): Абенова Дана Ерлановна
FOUND_BIN = "150340000109"  # a legal entity of the seed (GBD UL)
OTHER_IIN = "850715450105"


@pytest.fixture(autouse=True)
def _lookups_in_the_test_transaction(settings):
    # On PostgreSQL the exchange log commits on its own connection (registry.actions); here
    # it stays in the test's transaction, so each test sees only its own lookups.
    settings.QYZMET_REGISTRY_AUTONOMOUS_LOG = False


def package(applicant: dict, service: str = "temporary-export") -> dict:
    return {
        "service": service,
        "applicant": applicant,
        "form_data": form_for(service),
        "paper_documents": documents_for(service, "office"),
    }


def register(api, applicant: dict, key: str, service: str = "temporary-export"):
    return api.post(
        "/staff/paper-applications/", package(applicant, service), {"Idempotency-Key": key}
    )


def look_up(api, identifier: str = FOUND_IIN, kind: str = "individual"):
    response = api.post("/staff/applicant-lookups/", {"kind": kind, "identifier": identifier})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_name_alone_no_longer_registers(office):
    """The request that registered on main: a client-supplied name, no lookup, no reason."""
    response = register(
        office["clerk"],
        {"kind": "individual", "name": "Кто Угодно", "iin": FOUND_IIN},
        "no-lookup-0001",
    )
    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["field"]) == (
        "office_lookup_required",
        "identifier",
    )
    refusal = office["clerk"].post(
        "/staff/intake-refusals/",
        {
            "service": "temporary-export",
            "applicant": {"kind": "individual", "name": "Кто Угодно", "iin": FOUND_IIN},
            "paper_documents": ["application"],
        },
        {"Idempotency-Key": "no-lookup-0002"},
    )
    assert refusal.status_code == 400 and refusal.json()["code"] == "office_lookup_required"
    assert not Application.objects.exists()


def test_the_lookup_gives_the_name_and_stays_with_the_case(office, gateway):
    found = look_up(office["clerk"])
    assert found["name"] == "Абенова Дана Ерлановна"  # GBD FL's record (the simulator's seed)
    assert found["details"]["source"] == "gbd_fl"
    response = register(
        office["clerk"],
        {"kind": "individual", "iin": FOUND_IIN, "lookup": found["lookup"], "name": "Подлог"},
        "lookup-0001",
    )
    assert response.status_code == 201, response.content
    case = Application.objects.get()
    assert case.applicant_name == found["name"] != "Подлог"
    assert case.applicant_details == found["details"]
    exchange = GatewayExchange.objects.get(message_id=found["lookup"])
    assert exchange.application == case
    registered = AuditRecord.objects.get(action="cases.register_paper")
    assert registered.after["applicant_source"] == "gbd_fl"
    assert registered.after["lookup"] == found["lookup"]


def test_a_legal_entity_is_looked_up_in_gbd_ul(office, gateway):
    found = look_up(office["clerk"], FOUND_BIN, "legal_entity")
    response = register(
        office["clerk"],
        {"kind": "legal_entity", "bin": FOUND_BIN, "lookup": found["lookup"]},
        "lookup-ul-0001",
        service="restoration-approval",
    )
    assert response.status_code == 201, response.content
    assert Application.objects.get().applicant_details["source"] == "gbd_ul"


def test_the_lookup_must_be_this_clerks_about_this_applicant_and_recent(office, gateway):
    found = look_up(office["clerk"])
    clerk = office["clerk"]

    def refused(applicant: dict, key: str, api=clerk) -> str:
        response = register(api, {"kind": "individual", **applicant}, key)
        assert response.status_code == 400, response.content
        return response.json()["code"]

    # about another person
    assert refused({"iin": OTHER_IIN, "lookup": found["lookup"]}, "lk-other-iin") == (
        "intake_lookup_invalid"
    )
    # no such lookup
    unknown = "9b2f3c1e-0000-4000-8000-000000000000"
    assert refused({"iin": FOUND_IIN, "lookup": unknown}, "lk-unknown-1") == "intake_lookup_invalid"
    # another clerk's
    make_user("clerk2", Role.CLERK, last_name="Оспанова", first_name="Айжан")
    assert refused(
        {"iin": FOUND_IIN, "lookup": found["lookup"]}, "lk-other-clerk", api=staff_api("clerk2")
    ) == ("intake_lookup_invalid")
    # a lookup that found nobody (процесс 5) names no record
    missing = clerk.post(
        "/staff/applicant-lookups/", {"kind": "individual", "identifier": "990101300003"}
    )
    assert missing.json()["code"] == "office_gbd_no_data"
    [nobody] = GatewayExchange.objects.filter(subject_identifier="990101300003")
    assert refused({"iin": "990101300003", "lookup": str(nobody.message_id)}, "lk-not-found") == (
        "intake_lookup_invalid"
    )
    # too old (QYZMET_INTAKE_LOOKUP_MAX_AGE_SECONDS: 8 hours)
    exchange = GatewayExchange.objects.get(message_id=found["lookup"])
    exchange.started_at -= timedelta(hours=9)
    exchange.save(update_fields=["started_at"])
    assert refused({"iin": FOUND_IIN, "lookup": found["lookup"]}, "lk-too-old") == (
        "intake_lookup_invalid"
    )
    assert not Application.objects.exists()


def test_manual_entry_needs_a_reason_and_is_audited(office):
    clerk = office["clerk"]
    applicant = {"kind": "individual", "name": "Ахметов Ерлан", "iin": FOUND_IIN}
    blank = register(clerk, {**applicant, "manual_reason": "  "}, "manual-0001")
    assert blank.status_code == 400
    assert (blank.json()["code"], blank.json()["field"]) == (
        "office_manual_reason_required",
        "manual_reason",
    )
    nameless = register(clerk, {**applicant, "name": "", "manual_reason": "ГБД ФЛ"}, "manual-2")
    assert nameless.json()["code"] == "applicant_name_required"
    response = register(clerk, {**applicant, "manual_reason": "ГБД ФЛ не отвечает"}, "manual-0003")
    assert response.status_code == 201, response.content
    case = Application.objects.get()
    assert case.applicant_details == {"source": "manual", "reason": "ГБД ФЛ не отвечает"}
    registered = AuditRecord.objects.get(action="cases.register_paper")
    assert registered.after["applicant_source"] == "manual"
    assert registered.after["manual_reason"] == "ГБД ФЛ не отвечает"


def test_only_clerks_look_applicants_up(office, gateway):
    response = office["executor"].post(
        "/staff/applicant-lookups/", {"kind": "individual", "identifier": FOUND_IIN}
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not GatewayExchange.objects.exists()
