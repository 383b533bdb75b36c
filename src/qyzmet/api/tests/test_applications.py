"""The applicant's route through the API (p.10 "через портал", процессы 3–7, условие 2; p.11):
drafts, attachments, the bytes to sign, the signed submission (idempotent), the list and
the status; and that nobody sees another applicant's application."""

import base64

import pytest

from qyzmet.audit.models import AuditRecord
from qyzmet.cases.models import Application, SignedRequest, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.demo.pki import COMPANY_BIN, COMPANY_NAME
from qyzmet.eds.tests.tampering import BAD_CODES, bad_variant
from qyzmet.testing import PORTAL_UPLOADS, form_for, restoration_form

from .conftest import (
    attach,
    b64,
    new_draft,
    ready_draft,
    sign_up,
    signature_over_request,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_draft_is_created_saved_and_read_back(individual):
    draft = new_draft(individual)
    assert draft["status"] == "draft" and draft["registration_number"] is None
    assert draft["service"] == "temporary-export" and draft["form_data"] == {}

    form = form_for("temporary-export")
    response = individual.put(f"/applications/{draft['id']}/", {"form_data": form})
    assert response.status_code == 200, response.content
    again = individual.get(f"/applications/{draft['id']}/").json()
    assert again["form_data"] == form
    assert again["revision"] == draft["revision"] + 1


def test_draft_for_a_service_not_in_force_is_refused(individual):
    response = individual.post("/applications/", {"service": "no-such-service", "form_data": {}})
    assert response.status_code == 400
    assert response.json()["code"] == "service_not_in_force"
    assert not Application.objects.exists()


def test_attachments_are_uploaded_checked_by_content_and_removed(individual):
    draft = new_draft(individual)
    uploaded = attach(individual, draft["id"], "items_list")
    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json()
    assert body["content_type"] == "application/pdf" and len(body["sha256"]) == 64

    from qyzmet.testing import upload

    fake = individual.upload(
        f"/applications/{draft['id']}/attachments/",
        {"document_code": "items_list", "file": upload("x.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert fake.status_code == 400 and fake.json()["code"] == "attachment_type_not_allowed"

    unknown = individual.upload(
        f"/applications/{draft['id']}/attachments/",
        {"document_code": "nonsense", "file": upload("a.pdf", b"%PDF-1.4 x")},
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_document"

    listed = individual.get(f"/applications/{draft['id']}/").json()["attachments"]
    assert [a["id"] for a in listed] == [body["id"]]
    assert (
        individual.delete(f"/applications/{draft['id']}/attachments/{body['id']}/").status_code
        == 204
    )
    assert individual.get(f"/applications/{draft['id']}/").json()["attachments"] == []
    gone = individual.delete(f"/applications/{draft['id']}/attachments/{body['id']}/")
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


def test_request_to_sign_is_the_canonical_request(individual):
    draft = ready_draft(individual)
    answer = individual.get(f"/applications/{draft['id']}/request-to-sign/").json()
    stored = Application.objects.get(public_id=draft["id"])
    assert base64.b64decode(answer["content"]) == canonical_request(stored)
    assert answer["length"] == len(canonical_request(stored))


def test_signed_submission_registers_once_per_idempotency_key(individual, pki):
    draft = ready_draft(individual)
    signature = signature_over_request(individual, draft["id"], pki, "abenova")
    headers = {"Idempotency-Key": "submit-0001-abcdef"}
    first = individual.post(
        f"/applications/{draft['id']}/submit/", {"signature": signature}, headers
    )
    assert first.status_code == 201, first.content
    number = first.json()["registration_number"]
    assert number and first.json()["status"] == "registered"

    retry = individual.post(
        f"/applications/{draft['id']}/submit/", {"signature": signature}, headers
    )
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Application.objects.filter(registration_number__isnull=False).count() == 1
    assert SignedRequest.objects.count() == 1

    other = individual.post(
        f"/applications/{draft['id']}/submit/", {"signature": b64(b"other bytes")}, headers
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_submission_without_key_is_still_registered_once(individual, pki):
    draft = ready_draft(individual)
    signature = signature_over_request(individual, draft["id"], pki, "abenova")
    first = individual.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    second = individual.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    assert first.status_code == second.status_code == 201
    assert first.json()["registration_number"] == second.json()["registration_number"]


def test_after_submission_the_draft_cannot_change(individual, pki):
    application = submitted(individual, pki)
    response = individual.put(f"/applications/{application['id']}/", {"form_data": {}})
    assert response.status_code == 409 and response.json()["code"] == "not_a_draft"
    to_sign = individual.get(f"/applications/{application['id']}/request-to-sign/")
    assert to_sign.status_code == 409 and to_sign.json()["code"] == "not_a_draft"


@pytest.mark.parametrize(
    ("person", "key", "code"),
    [
        ("nurlanov", "sign", "iin_mismatch"),  # someone else's key (p.10 условие 2)
        ("tolegenova", "sign", "revoked"),
        ("eskenov", "sign", "expired"),
        ("abenova", "auth", "wrong_purpose"),
    ],
)
def test_submission_refusals_name_their_reason(individual, pki, person, key, code):
    draft = ready_draft(individual)
    signature = signature_over_request(individual, draft["id"], pki, person, key)
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert Application.objects.get(public_id=draft["id"]).status == Status.DRAFT


def test_the_stored_signed_request_is_exactly_the_bytes_posted(individual, pki):
    draft = ready_draft(individual)
    to_sign = individual.get(f"/applications/{draft['id']}/request-to-sign/").json()
    signature = signature_over_request(individual, draft["id"], pki, "abenova")
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    assert response.status_code == 201, response.content
    stored = SignedRequest.objects.get(application__public_id=draft["id"])
    assert bytes(stored.signature) == base64.b64decode(signature)
    assert bytes(stored.content) == base64.b64decode(to_sign["content"])


@pytest.mark.parametrize("code", BAD_CODES)
def test_tampered_or_retired_signatures_register_nothing(individual, pki, code):
    """Issue 9 item 6: each variant of the applicant's real signature over the request is
    refused with its code; no signed request, no number, no registration record."""
    draft = ready_draft(individual)
    content = base64.b64decode(
        individual.get(f"/applications/{draft['id']}/request-to-sign/").json()["content"]
    )
    signature = bad_variant(code, pki, "abenova", content, other="nurlanov")
    response = individual.post(
        f"/applications/{draft['id']}/submit/", {"signature": b64(signature)}
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and response.json()["message"]
    stored = Application.objects.get(public_id=draft["id"])
    assert (stored.status, stored.registration_number) == (Status.DRAFT, None)
    assert not SignedRequest.objects.exists()
    assert not AuditRecord.objects.filter(action="cases.submit_portal").exists()


def test_signature_over_other_bytes_is_refused(individual, pki):
    draft = ready_draft(individual)
    signature = b64(pki.sign("abenova", b"something else"))
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    assert response.status_code == 400
    assert response.json()["code"] == "digest_mismatch"
    assert Application.objects.get(public_id=draft["id"]).registration_number is None


def test_incomplete_documents_are_refused(individual, pki):
    draft = new_draft(individual, form_data=form_for("temporary-export"))
    attach(individual, draft["id"], "items_list")
    signature = signature_over_request(individual, draft["id"], pki, "abenova")
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    assert response.status_code == 400
    assert response.json()["code"] == "documents_incomplete"
    # the missing documents by their catalogue names (issue 13 item 3), not their codes
    assert "Цветные фотографии каждого предмета" in response.json()["message"]
    assert "photos" not in response.json()["message"]


def test_invalid_form_is_refused_naming_the_field(individual, pki):
    form = form_for("temporary-export")
    form["country"] = "Russia"
    draft = new_draft(individual, form_data=form)
    for code in ("items_list", "photos", "purpose_document"):
        attach(individual, draft["id"], code)
    signature = signature_over_request(individual, draft["id"], pki, "abenova")
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    assert response.status_code == 400
    assert response.json()["code"] == "form_invalid" and response.json()["field"] == "/country"


def test_legal_entity_submits_with_its_first_heads_key(company, pki):
    application = submitted(company, pki, "restoration-approval", person="serikbaev")
    assert application["applicant"]["kind"] == "legal_entity"
    assert application["applicant"]["bin"] == COMPANY_BIN
    # The applicant is the legal entity, named as in its certificate (O), not the signer.
    assert application["applicant"]["name"] == COMPANY_NAME
    assert application["applicant"]["representative_iin"]


def test_legal_entity_key_without_signing_role_is_refused(pki, catalog):
    # An employee opened the company's account (IIN and BIN match), but the certificate's
    # role (EKU "employee") gives no right to sign for the company.
    employee = sign_up(pki, "ospanova")
    draft = new_draft(employee, "restoration-approval", restoration_form())
    for code in ("project_documentation", "contractor_licence"):
        attach(employee, draft["id"], code)
    signature = signature_over_request(employee, draft["id"], pki, "ospanova")
    response = employee.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    assert response.status_code == 400
    assert response.json()["code"] == "signer_not_representative"


def test_my_applications_and_status_with_timeline(individual, pki):
    application = submitted(individual, pki)
    new_draft(individual)
    listed = individual.get("/applications/").json()["applications"]
    assert len(listed) == 2
    assert {row["status"] for row in listed} == {"registered", "draft"}

    detail = individual.get(f"/applications/{application['id']}/").json()
    assert [step["step"] for step in detail["timeline"]] == ["register", "assign"]
    assert detail["timeline"][0]["completed_at"] and detail["timeline"][1]["completed_at"] is None
    assert detail["deadline_at"] and detail["term_working_days"] > 0
    assert detail["result"]["issued"] is False
    pdf = individual.get(f"/applications/{application['id']}/result.pdf")
    assert pdf.status_code == 404 and pdf.json()["code"] == "result_not_available"


def test_status_texts_follow_accept_language(individual, pki):
    application = submitted(individual, pki)
    individual.language = "en"
    english = individual.get(f"/applications/{application['id']}/").json()
    individual.language = "kk"
    kazakh = individual.get(f"/applications/{application['id']}/").json()
    assert english["status_text"] == "registered, awaiting assignment"
    assert kazakh["status_text"].startswith("тіркелді")


# --- another applicant's application does not exist for them ------------------------------


def test_another_applicant_never_sees_the_application(individual, other_individual, pki):
    mine = submitted(individual, pki)
    draft = ready_draft(individual)
    signature = signature_over_request(individual, draft["id"], pki, "abenova")
    for target in (mine["id"], draft["id"]):
        for response in (
            other_individual.get(f"/applications/{target}/"),
            other_individual.put(f"/applications/{target}/", {"form_data": {}}),
            other_individual.get(f"/applications/{target}/request-to-sign/"),
            other_individual.post(f"/applications/{target}/submit/", {"signature": signature}),
            other_individual.get(f"/applications/{target}/result.pdf"),
            attach(other_individual, target, "items_list"),
            other_individual.delete(f"/applications/{target}/attachments/1/"),
        ):
            assert response.status_code == 404, response.content
            assert response.json()["code"] == "not_found"
    assert other_individual.get("/applications/").json()["applications"] == []
    assert Application.objects.get(public_id=draft["id"]).status == Status.DRAFT
    assert Application.objects.get(public_id=draft["id"]).attachments.count() == len(
        PORTAL_UPLOADS["temporary-export"]
    )


def test_staff_are_not_applicants(individual, office):
    draft = new_draft(individual)
    response = office["clerk"].get(f"/applications/{draft['id']}/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = office["clerk"].post("/applications/", {"service": "temporary-export"})
    assert response.status_code == 403


def test_anonymous_requests_are_told_to_log_in(catalog):
    from .conftest import Api

    response = Api().get("/applications/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
