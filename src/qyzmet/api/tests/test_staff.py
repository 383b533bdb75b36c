"""The staff flow through the API (regulation p.5–8, p.10): inbox, paper registration and
intake refusal, assignment, check, preparation, the head's EDS signature, return, hand-over;
with the same permission rules as the office pages (the actions check them)."""

import base64

import pytest

from qyzmet.cases.models import Application, DecisionState, Status
from qyzmet.eds.tests.tampering import BAD_CODES, bad_variant
from qyzmet.testing import documents_for, form_for

from .conftest import MANUAL_ABENOVA, b64, paper, submitted

pytestmark = pytest.mark.django_db


def executor_id(office, name="executor") -> int:
    executors = office["head"].get("/staff/executors/").json()["executors"]
    wanted = {"executor": "Ким Денис", "executor2": "Омарова Сауле"}[name]
    return next(e["id"] for e in executors if e["name"] == wanted)


def head_signs(office, case_id, pki, person="zhumabaev"):
    to_sign = office["head"].get(f"/staff/applications/{case_id}/decision/").json()
    content = base64.b64decode(to_sign["content"])
    return office["head"].post(
        f"/staff/applications/{case_id}/sign/",
        {"signature": b64(pki.sign(person, content)), "signed_content": to_sign["content"]},
    )


def test_paper_registration_is_idempotent_and_needs_a_key(office):
    first = paper(office)
    assert first.status_code == 201, first.content
    assert first.json()["registration_number"] and first.json()["channel"] == "office"
    again = paper(office)
    assert again.json()["id"] == first.json()["id"]
    assert Application.objects.count() == 1
    payload = {"service": "temporary-export", "applicant": {}, "form_data": {}}
    missing = office["clerk"].post("/staff/paper-applications/", {**payload, "paper_documents": []})
    assert missing.status_code == 400
    assert missing.json()["code"] in {"field_required", "idempotency_key_required"}


def test_paper_registration_refusals(office):
    incomplete = paper(office, key="paper-incomplete-1", documents=["application"])
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "documents_incomplete"
    payload = {
        "service": "temporary-export",
        "applicant": {**MANUAL_ABENOVA, "iin": "900101300008"},
        "form_data": form_for("temporary-export"),
        "paper_documents": documents_for("temporary-export", "office"),
    }
    bad_iin = office["clerk"].post(
        "/staff/paper-applications/", payload, {"Idempotency-Key": "paper-bad-iin-1"}
    )
    assert bad_iin.status_code == 400 and bad_iin.json()["code"] == "invalid_iin"
    assert not Application.objects.exists()


def test_intake_refusal(office):
    response = office["clerk"].post(
        "/staff/intake-refusals/",
        {
            "service": "temporary-export",
            "applicant": MANUAL_ABENOVA,
            "paper_documents": ["application"],
        },
        {"Idempotency-Key": "intake-refusal-1"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "intake_refused"


def test_only_clerks_register_and_only_heads_assign(office):
    response = office["executor"].post(
        "/staff/paper-applications/",
        {
            "service": "temporary-export",
            "applicant": MANUAL_ABENOVA,
            "form_data": {},
            "paper_documents": [],
        },
        {"Idempotency-Key": "not-a-clerk-1"},
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    case = paper(office).json()
    assign = office["clerk"].post(
        f"/staff/applications/{case['id']}/assign/", {"executor": executor_id(office)}
    )
    assert assign.status_code == 403 and assign.json()["code"] == "permission_denied"


def test_applicants_cannot_use_staff_endpoints(individual, pki):
    application = submitted(individual, pki)
    for response in (
        individual.get("/staff/inbox/"),
        individual.get(f"/staff/applications/{application['id']}/"),
        individual.post(f"/staff/applications/{application['id']}/assign/", {"executor": 1}),
    ):
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_portal_application_from_inbox_to_issue(individual, office, pki):
    application = submitted(individual, pki)
    case_id = application["id"]
    inbox = office["head"].get("/staff/inbox/").json()["tasks"]
    assert [(t["task"], t["application"]["id"]) for t in inbox] == [("assign", case_id)]

    assigned = office["head"].post(
        f"/staff/applications/{case_id}/assign/", {"executor": executor_id(office)}
    )
    assert assigned.status_code == 200 and assigned.json()["status"] == "checking"
    wrong_person = office["executor2"].post(
        f"/staff/applications/{case_id}/check/", {"complete": True}
    )
    assert wrong_person.status_code == 409 and wrong_person.json()["code"] == "not_your_task"
    mine = office["executor"].get("/staff/inbox/", step="check").json()["tasks"]
    assert [t["application"]["id"] for t in mine] == [case_id] and mine[0]["assigned_to_me"]

    checked = office["executor"].post(f"/staff/applications/{case_id}/check/", {"complete": True})
    assert checked.json()["status"] == "preparing"
    prepared = office["executor"].post(
        f"/staff/applications/{case_id}/prepare/",
        {"kind": "approval", "result_data": {"country": "RU"}},
    )
    assert prepared.json()["status"] == "signing", prepared.content

    signed = head_signs(office, case_id, pki)
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "issued"

    seen = individual.get(f"/applications/{case_id}/").json()
    assert seen["status"] == "issued" and seen["result"]["issued"] is True
    assert seen["result"]["pdf_url"].endswith("/result.pdf")
    assert [s["step"] for s in seen["timeline"]] == [
        "register",
        "assign",
        "check",
        "prepare",
        "sign",
    ]
    assert all(s["completed_at"] for s in seen["timeline"])


def at_signing(individual, office, pki) -> str:
    case_id = submitted(individual, pki)["id"]
    office["head"].post(f"/staff/applications/{case_id}/assign/", {"executor": executor_id(office)})
    office["executor"].post(f"/staff/applications/{case_id}/check/", {"complete": True})
    office["executor"].post(f"/staff/applications/{case_id}/prepare/", {"kind": "approval"})
    return case_id


def head_posts(office, case_id, signature: bytes, to_sign: dict):
    return office["head"].post(
        f"/staff/applications/{case_id}/sign/",
        {"signature": b64(signature), "signed_content": to_sign["content"]},
    )


def assert_nothing_signed(case_id):
    application = Application.objects.get(public_id=case_id)
    assert application.status == Status.SIGNING
    decision = application.decisions.get()
    assert decision.state != DecisionState.SIGNED and not decision.signature


def test_asking_for_the_bytes_prepares_the_document_for_the_head_who_asks(individual, office, pki):
    """Another head asking for the decision has the document prepared for them: the bytes the
    first head got before are then refused as prepared for another head, nothing is issued,
    and asking again gives bytes that sign."""
    from qyzmet.accounts.models import Role, User
    from qyzmet.results.models import ResultDocument
    from qyzmet.testing import DEMO_STAFF_PASSWORD

    from .conftest import staff_api

    case_id = at_signing(individual, office, pki)
    User.objects.create_user(
        "head-a", password=DEMO_STAFF_PASSWORD, role=Role.HEAD, last_name="Ахметова"
    )
    before = office["head"].get(f"/staff/applications/{case_id}/decision/").json()
    signature = pki.sign("zhumabaev", base64.b64decode(before["content"]))
    staff_api("head-a").get(f"/staff/applications/{case_id}/decision/")
    document = ResultDocument.objects.get(application__public_id=case_id)
    assert document.prepared_for.username == "head-a"
    number = document.number

    stale = head_posts(office, case_id, signature, before)
    assert stale.status_code == 400
    assert stale.json()["code"] == "result_prepared_for_other_head"
    assert_nothing_signed(case_id)
    assert head_signs(office, case_id, pki).status_code == 200
    document.refresh_from_db()
    assert (document.prepared_for.username, document.number) == ("head", number)


def test_head_signature_must_be_the_heads_and_over_the_prepared_bytes(individual, office, pki):
    case_id = at_signing(individual, office, pki)

    someone_else = head_signs(office, case_id, pki, person="abenova")
    assert someone_else.status_code == 400 and someone_else.json()["code"] == "iin_mismatch"
    other_bytes = office["head"].post(
        f"/staff/applications/{case_id}/sign/",
        {"signature": b64(b"x"), "signed_content": b64(b"other bytes")},
    )
    assert other_bytes.json()["code"] == "signature_content_mismatch"
    by_hash = office["head"].post(
        f"/staff/applications/{case_id}/sign/",
        {"signature": b64(b"x"), "signed_content_sha256": "0" * 64},
    )
    assert by_hash.json()["code"] == "signature_content_mismatch"
    assert Application.objects.get(public_id=case_id).status == Status.SIGNING

    to_sign = office["head"].get(f"/staff/applications/{case_id}/decision/").json()
    content = base64.b64decode(to_sign["content"])
    ok = office["head"].post(
        f"/staff/applications/{case_id}/sign/",
        {
            "signature": b64(pki.sign("zhumabaev", content)),
            "signed_content_sha256": to_sign["sha256"],
        },
    )
    assert ok.status_code == 200 and ok.json()["status"] == "issued"


def test_head_authentication_key_cannot_sign_a_result(individual, office, pki):
    """The head's authentication key (EKU clientAuth, no emailProtection) is refused."""
    case_id = at_signing(individual, office, pki)
    to_sign = office["head"].get(f"/staff/applications/{case_id}/decision/").json()
    content = base64.b64decode(to_sign["content"])
    response = head_posts(office, case_id, pki.sign("zhumabaev", content, "auth"), to_sign)
    assert response.status_code == 400 and response.json()["code"] == "wrong_purpose"
    assert_nothing_signed(case_id)


@pytest.mark.parametrize("code", BAD_CODES)
def test_head_tampered_or_retired_signatures_sign_nothing(individual, office, pki, code):
    case_id = at_signing(individual, office, pki)
    to_sign = office["head"].get(f"/staff/applications/{case_id}/decision/").json()
    content = base64.b64decode(to_sign["content"])
    signature = bad_variant(code, pki, "zhumabaev", content, other="abenova")
    response = head_posts(office, case_id, signature, to_sign)
    assert response.status_code == 400 and response.json()["code"] == code
    assert_nothing_signed(case_id)


def test_refusal_for_incomplete_documents_reaches_the_applicant(individual, office, pki):
    case_id = submitted(individual, pki)["id"]
    office["head"].post(f"/staff/applications/{case_id}/assign/", {"executor": executor_id(office)})
    no_reason = office["executor"].post(
        f"/staff/applications/{case_id}/check/", {"complete": False}
    )
    assert no_reason.json()["code"] == "refusal_reason_required"
    refused = office["executor"].post(
        f"/staff/applications/{case_id}/check/",
        {
            "complete": False,
            "reason_codes": ["incomplete_documents"],
            "explanation": "Нет фотографий предметов.",
        },
    )
    assert refused.status_code == 200, refused.content
    assert head_signs(office, case_id, pki).json()["status"] == "refused"
    seen = individual.get(f"/applications/{case_id}/").json()
    assert seen["status"] == "refused"
    assert [r["code"] for r in seen["refusal_reasons"]] == ["incomplete_documents"]
    assert seen["refusal_reasons"][0]["text"] != "incomplete_documents"


def test_return_and_paper_handover(office, pki):
    case_id = paper(office).json()["id"]
    office["head"].post(f"/staff/applications/{case_id}/assign/", {"executor": executor_id(office)})
    office["head"].post(
        f"/staff/applications/{case_id}/reassign/", {"executor": executor_id(office, "executor2")}
    )
    office["executor2"].post(f"/staff/applications/{case_id}/check/", {"complete": True})
    office["executor2"].post(f"/staff/applications/{case_id}/prepare/", {"kind": "approval"})
    returned = office["head"].post(
        f"/staff/applications/{case_id}/return/", {"comment": "Уточните срок."}
    )
    assert returned.json()["status"] == "preparing"
    office["executor2"].post(f"/staff/applications/{case_id}/prepare/", {"kind": "approval"})
    assert head_signs(office, case_id, pki).json()["status"] == "awaiting_handover"
    handed = office["clerk"].post(
        f"/staff/applications/{case_id}/handover/",
        {"handed_to": "Абенова Дана", "handed_to_document": "удостоверение 012345678"},
    )
    assert handed.status_code == 200 and handed.json()["status"] == "issued"
    again = office["clerk"].post(f"/staff/applications/{case_id}/handover/", {"handed_to": "X"})
    assert again.status_code == 409 and again.json()["code"] == "case_finished"


def test_search_and_case_detail(office):
    case = paper(office).json()
    found = office["clerk"].get("/staff/applications/", q=case["registration_number"]).json()
    assert [a["id"] for a in found["applications"]] == [case["id"]]
    detail = office["executor"].get(f"/staff/applications/{case['id']}/").json()
    assert detail["paper_documents"] and detail["decisions"] == []


def test_drafts_are_not_visible_to_staff(individual, office):
    from .conftest import new_draft

    draft = new_draft(individual)
    response = office["head"].get(f"/staff/applications/{draft['id']}/")
    assert response.status_code == 404


def test_inbox_rejects_bad_parameters(office):
    assert office["head"].get("/staff/inbox/", page="x").json()["code"] == "invalid_value"
    assert office["head"].get("/staff/inbox/", step="dance").json()["code"] == "invalid_value"


def test_prepare_refuses_result_data_outside_the_form_schema(individual, office, pki):
    """The action checks the result's fields against the service's schema (issue 14, item 2):
    the API route only translates the refusal."""
    case_id = submitted(individual, pki)["id"]
    office["head"].post(f"/staff/applications/{case_id}/assign/", {"executor": executor_id(office)})
    office["executor"].post(f"/staff/applications/{case_id}/check/", {"complete": True})
    for result_data in ({"country": "Russia"}, {"certificate_term": "2026-09-30"}):
        refused = office["executor"].post(
            f"/staff/applications/{case_id}/prepare/",
            {"kind": "approval", "result_data": result_data},
        )
        assert refused.status_code == 400 and refused.json()["code"] == "form_invalid"
    detail = office["executor"].get(f"/staff/applications/{case_id}/").json()
    assert detail["status"] == "preparing" and detail["decisions"] == []
