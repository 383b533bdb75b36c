"""Bad input gets a 4xx JSON error with a stable code and a message in the request's
language — bad JSON, bad types, missing fields, oversized bodies, wrong media types, unknown
addresses and methods — and changes nothing; never a 500."""

import json

import pytest

from qyzmet.cases.models import Application
from qyzmet.core.refusals import message_for

from .conftest import new_draft

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str, field=...):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    if field is not ...:
        assert body["field"] == field
    return body


@pytest.mark.parametrize(
    "body",
    [b"{", b"not json", b'{"service": "temporary-export",}', b"\xff\xfe", b'{"a": NaN}'],
)
def test_malformed_json(individual, body):
    response = individual.raw("post", "/applications/", body, "application/json")
    assert_error(response, 400, "malformed_json")
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"service": "temporary-export", "form_data": "text"}, "invalid_value", "form_data"),
        ({"service": "temporary-export", "form_data": [1, 2]}, "invalid_value", "form_data"),
        ({"service": 12, "form_data": {}}, "invalid_value", "service"),
        ({"service": ["temporary-export"]}, "invalid_value", "service"),
        ({"form_data": {}}, "field_required", "service"),
        ({"service": None}, "field_required", "service"),
    ],
)
def test_bad_types_and_missing_fields(individual, payload, code, field):
    assert_error(individual.post("/applications/", payload), 400, code, field)
    assert not Application.objects.exists()


def test_top_level_array_is_refused(individual):
    response = individual.raw("post", "/applications/", b"[1, 2]", "application/json")
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_value", "field_required"}


def test_nested_errors_name_the_path(office):
    payload = {
        "service": "temporary-export",
        "applicant": {"kind": "alien", "name": "X"},
        "form_data": {},
        "paper_documents": [],
    }
    response = office["clerk"].post(
        "/staff/paper-applications/", payload, {"Idempotency-Key": "paper-key-0001"}
    )
    assert_error(response, 400, "invalid_value", "applicant.kind")


def test_bad_base64_signature(individual):
    draft = new_draft(individual)
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": "@@@"})
    assert_error(response, 400, "invalid_value", "signature")
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": 5})
    assert_error(response, 400, "invalid_value", "signature")
    not_ascii = "MIIB\u0436AAAA"  # a Cyrillic letter
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": not_ascii})
    assert_error(response, 400, "invalid_value", "signature")
    # A lone surrogate is no character at all: refused by the parser (core.untrusted).
    response = individual.post(f"/applications/{draft['id']}/submit/", {"signature": "MIIB\ud800"})
    assert_error(response, 400, "input_invalid_unicode")


def test_oversized_json_body(individual, settings):
    settings.QYZMET_API_MAX_JSON_BYTES = 10_000
    draft = new_draft(individual)
    big = {"form_data": {"receiving_party": "x" * 20_000}}
    body = assert_error(individual.put(f"/applications/{draft['id']}/", big), 413, "body_too_large")
    assert "9" in body["message"]  # the limit in KB is named
    assert Application.objects.get(public_id=draft["id"]).form_data == {}


def test_oversized_body_without_honest_length_is_cut_off(individual, settings):
    settings.QYZMET_API_MAX_JSON_BYTES = 1000
    draft = new_draft(individual)
    body = json.dumps({"form_data": {"a": "x" * 5000}}).encode()
    response = individual.client.generic(
        "PUT",
        f"/api/v1/applications/{draft['id']}/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {individual.token}"},
        CONTENT_LENGTH="10",
    )
    # The declared length is what Django reads: the cut body is not valid JSON.
    assert response.status_code == 400 and response.json()["code"] == "malformed_json"


def test_oversized_upload(individual, settings):
    settings.QYZMET_API_MAX_UPLOAD_BYTES = 50_000
    from qyzmet.testing import pdf_bytes, upload

    draft = new_draft(individual)
    response = individual.upload(
        f"/applications/{draft['id']}/attachments/",
        {"document_code": "items_list", "file": upload("big.pdf", pdf_bytes(pad_to=80_000))},
    )
    assert_error(response, 413, "body_too_large")
    assert Application.objects.get(public_id=draft["id"]).attachments.count() == 0


def test_file_over_the_attachment_limit(individual, settings):
    settings.QYZMET_ATTACHMENT_MAX_BYTES = 1024 * 1024
    from qyzmet.testing import pdf_bytes, upload

    draft = new_draft(individual)
    response = individual.upload(
        f"/applications/{draft['id']}/attachments/",
        {"document_code": "items_list", "file": upload("big.pdf", pdf_bytes(pad_to=1_100_000))},
    )
    # The upload stops being read at the file limit (core/uploads.py, issue 12 finding 9).
    assert_error(response, 413, "upload_exceeds_limit")


def test_upload_without_file(individual):
    draft = new_draft(individual)
    response = individual.upload(
        f"/applications/{draft['id']}/attachments/", {"document_code": "items_list"}
    )
    assert_error(response, 400, "field_required", "file")


def test_unsupported_media_types(individual):
    response = individual.raw("post", "/applications/", b"service=x", "text/plain")
    assert_error(response, 415, "unsupported_media_type")
    draft = new_draft(individual)
    response = individual.raw(
        "post", f"/applications/{draft['id']}/attachments/", b"{}", "application/json"
    )
    assert_error(response, 415, "unsupported_media_type")


def test_unknown_address_and_method(individual):
    assert_error(individual.get("/no/such/thing/"), 404, "not_found")
    assert_error(individual.get("/applications/not-a-uuid/"), 404, "not_found")
    assert_error(individual.delete("/applications/"), 405, "method_not_allowed")


def test_messages_follow_accept_language(individual):
    for language in ("ru", "kk", "en"):
        individual.language = language
        response = individual.raw("post", "/applications/", b"{", "application/json")
        assert response.json()["message"] == message_for("malformed_json").text(language)


def test_unknown_language_falls_back_to_russian(individual):
    individual.language = "de"
    response = individual.raw("post", "/applications/", b"{", "application/json")
    assert response.json()["message"] == message_for("malformed_json").text("ru")


@pytest.mark.parametrize("key", ["short", "x" * 65, "white space key", "ключ-кириллицей"])
def test_invalid_idempotency_keys(individual, key):
    response = individual.post(
        "/applications/", {"service": "temporary-export"}, {"Idempotency-Key": key}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert not Application.objects.exists()


def test_draft_creation_with_idempotency_key_creates_one(individual):
    headers = {"Idempotency-Key": "create-draft-0001"}
    first = individual.post("/applications/", {"service": "temporary-export"}, headers)
    second = individual.post("/applications/", {"service": "temporary-export"}, headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Application.objects.count() == 1


def test_form_data_too_large_for_a_draft(individual):
    draft = new_draft(individual)
    big = {"form_data": {"receiving_party": "x" * 300_000}}
    assert_error(individual.put(f"/applications/{draft['id']}/", big), 400, "draft_too_large")
