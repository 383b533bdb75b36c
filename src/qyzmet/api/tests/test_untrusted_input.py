"""Issue 12, finding 10: text no database can store (NUL), characters that are not
characters (lone surrogates) and JSON nested past the recursion limit are a 400 with a code
and change nothing — on SQLite and PostgreSQL alike (they were a 500 on PostgreSQL, or on
both). One parser of untrusted JSON, ``qyzmet.core.untrusted``, for every channel."""

import json

import pytest

from qyzmet.audit.models import AuditRecord
from qyzmet.cases.models import Application
from qyzmet.testing import documents_for, form_for

from .conftest import Api, new_draft

pytestmark = pytest.mark.django_db

NUL = '"receiving_party": "Эрмитаж\\u0000"'
SURROGATE = '"receiving_party": "\\ud800"'
NUL_KEY = '"receiving\\u0000party": "Эрмитаж"'


def assert_refused(response, code: str, status: int = 400):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"]


@pytest.mark.parametrize(
    ("member", "code"),
    [
        (NUL, "input_nul_character"),
        (NUL_KEY, "input_nul_character"),
        (SURROGATE, "input_invalid_unicode"),
    ],
)
def test_create_and_replace_a_draft(individual, member, code):
    body = f'{{"service": "temporary-export", "form_data": {{{member}}}}}'.encode()
    assert_refused(individual.raw("post", "/applications/", body, "application/json"), code)
    assert not Application.objects.exists()
    draft = new_draft(individual)
    put = f'{{"form_data": {{{member}}}}}'.encode()
    response = individual.raw("put", f"/applications/{draft['id']}/", put, "application/json")
    assert_refused(response, code)
    assert Application.objects.get().form_data == {}


def test_deep_json_even_anonymously():
    deep = b'{"purpose": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    before = AuditRecord.objects.count()
    response = Api().raw("post", "/auth/challenges/", deep, "application/json")
    assert_refused(response, "input_too_deep")
    assert AuditRecord.objects.count() == before
    # Deep but below the recursion limit: refused by the same rule, not walked into later.
    deep = b'{"purpose": ' + b"[" * 500 + b"]" * 500 + b"}"
    assert_refused(
        Api().raw("post", "/auth/challenges/", deep, "application/json"), "input_too_deep"
    )


def test_staff_form_data_and_result_data(office):
    payload = {
        "service": "temporary-export",
        "applicant": {
            "kind": "individual",
            "name": "Абенова Дана",
            "iin": "900101300007",
            "manual_reason": "test: entered by hand",
        },
        "form_data": {**form_for("temporary-export"), "receiving_party": "Эрмитаж\x00"},
        "paper_documents": documents_for("temporary-export", "office"),
    }
    response = office["clerk"].raw(
        "post",
        "/staff/paper-applications/",
        json.dumps(payload).encode(),
        "application/json",
        {"Idempotency-Key": "paper-nul-0001"},
    )
    assert_refused(response, "input_nul_character")
    assert not Application.objects.exists()
    payload["form_data"]["receiving_party"] = "Эрмитаж"
    response = office["clerk"].post(
        "/staff/paper-applications/", payload, {"Idempotency-Key": "paper-ok-0001"}
    )
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    prepare = b'{"kind": "approval", "result_data": {"note": "\\ud800\\u0000"}}'
    response = office["executor"].raw(
        "post", f"/staff/applications/{case_id}/prepare/", prepare, "application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] in {"input_nul_character", "input_invalid_unicode"}


def test_nul_in_a_query_string(office):
    assert_refused(office["clerk"].get("/staff/applications/", q="abc\x00"), "input_nul_character")
    response = office["clerk"].client.get(
        "/api/v1/staff/applications/?q=%00",
        headers={"Authorization": f"Bearer {office['clerk'].token}"},
    )
    assert_refused(response, "input_nul_character")
