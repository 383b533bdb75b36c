"""API test fixtures: the project's demo PKI (the session's ``demo_pki``) as the EDS
verifier's trust anchor and CRL (no network), applicants signed up through the API itself
with its key files, staff with tokens, and a small client that speaks JSON with a bearer
token."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.cache import cache
from django.test import Client

from qyzmet.office.tests.conftest import (  # noqa: F401  (the registry simulator process)
    gateway,
    registry_keys,
    simulator_process,
)
from qyzmet.testing import (
    DEMO_STAFF_PASSWORD,
    PORTAL_UPLOADS,
    documents_for,
    form_for,
    pdf_bytes,
    png_bytes,
)

API = "/api/v1"


class Api:
    """JSON requests against /api/v1 with an optional bearer token."""

    def __init__(self, token: str | None = None, language: str = "ru") -> None:
        self.client = Client()
        self.token = token
        self.language = language

    def _headers(self, extra: dict | None) -> dict:
        headers = {"Accept-Language": self.language}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return {**headers, **(extra or {})}

    def get(self, path: str, headers: dict | None = None, **params):
        return self.client.get(API + path, params, headers=self._headers(headers))

    def post(self, path: str, data=None, headers: dict | None = None):
        body = json.dumps(data if data is not None else {})
        return self.client.post(
            API + path, body, content_type="application/json", headers=self._headers(headers)
        )

    def put(self, path: str, data, headers: dict | None = None):
        return self.client.put(
            API + path,
            json.dumps(data),
            content_type="application/json",
            headers=self._headers(headers),
        )

    def delete(self, path: str):
        return self.client.delete(API + path, headers=self._headers(None))

    def raw(self, method: str, path: str, body: bytes, content_type: str, headers=None):
        return getattr(self.client, method)(
            API + path, body, content_type=content_type, headers=self._headers(headers)
        )

    def upload(self, path: str, fields: dict):
        return self.client.post(API + path, fields, headers=self._headers(None))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.fixture
def pki(demo_pki, settings, tmp_path):
    """The demo PKI (``qyzmet.conftest.DemoPki``): its people sign up, apply and sign."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    return demo_pki


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # DRF throttles count in the cache; every test starts with none counted.
    cache.clear()
    yield
    cache.clear()


def signed_challenge(api: Api, pki, person: str, purpose: str, key: str = "auth") -> dict:
    """A challenge of ``purpose`` signed with the demo person's ``key`` ("auth" or "sign")."""
    response = api.post("/auth/challenges/", {"purpose": purpose})
    assert response.status_code == 201, response.content
    challenge = response.json()
    payload = base64.b64decode(challenge["payload"])
    return {"challenge": challenge["id"], "signature": b64(pki.sign(person, payload, key))}


def sign_up(pki, person: str) -> Api:
    api = Api()
    response = api.post("/auth/sign-up/", signed_challenge(api, pki, person, "sign_up"))
    assert response.status_code == 201, response.content
    api.token = response.json()["token"]
    return api


@pytest.fixture
def individual(pki, catalog) -> Api:
    return sign_up(pki, "abenova")


@pytest.fixture
def other_individual(pki, catalog) -> Api:
    return sign_up(pki, "nurlanov")


@pytest.fixture
def company(pki, catalog) -> Api:
    """The legal entity's account, opened by its first head."""
    return sign_up(pki, "serikbaev")


def staff_api(username: str) -> Api:
    api = Api()
    response = api.post(
        "/auth/staff/log-in/", {"username": username, "password": DEMO_STAFF_PASSWORD}
    )
    assert response.status_code == 200, response.content
    api.token = response.json()["token"]
    return api


@pytest.fixture
def office(staff, pki, catalog):
    """The shared staff logged in through the API: clerk, two executors and the head (whose
    EDS key is the demo head's, "zhumabaev", first head of the provider's BIN)."""
    return {name: staff_api(name) for name in ("clerk", "executor", "executor2", "head")}


def new_draft(api: Api, service: str = "temporary-export", form_data=None) -> dict:
    response = api.post("/applications/", {"service": service, "form_data": form_data or {}})
    assert response.status_code == 201, response.content
    return response.json()


def attach(api: Api, draft_id: str, code: str):
    content = png_bytes() if code == "photos" else pdf_bytes(code)
    name = f"{code}.png" if code == "photos" else f"{code}.pdf"
    from qyzmet.testing import upload

    return api.upload(
        f"/applications/{draft_id}/attachments/",
        {"document_code": code, "file": upload(name, content)},
    )


def ready_draft(api: Api, service: str = "temporary-export") -> dict:
    draft = new_draft(api, service, form_for(service))
    for code in PORTAL_UPLOADS[service]:
        response = attach(api, draft["id"], code)
        assert response.status_code == 201, response.content
    return draft


def signature_over_request(api: Api, draft_id: str, pki, person: str, key: str = "sign") -> str:
    response = api.get(f"/applications/{draft_id}/request-to-sign/")
    assert response.status_code == 200, response.content
    content = base64.b64decode(response.json()["content"])
    return b64(pki.sign(person, content, key))


def submitted(api: Api, pki, service: str = "temporary-export", person: str = "abenova"):
    draft = ready_draft(api, service)
    signature = signature_over_request(api, draft["id"], pki, person)
    response = api.post(f"/applications/{draft['id']}/submit/", {"signature": signature})
    assert response.status_code == 201, response.content
    return response.json()


# Entered by hand with the reason (p.10 процесс 5): a registration needs that or a lookup.
MANUAL_ABENOVA = {
    "kind": "individual",
    "name": "Абенова Дана",
    "iin": "900101300007",
    "manual_reason": "ГБД ФЛ недоступна",
}


def paper(office, key="paper-0001-key", documents=None):
    """The clerk registers a paper application of the temporary export through the API."""
    payload = {
        "service": "temporary-export",
        "applicant": MANUAL_ABENOVA,
        "form_data": form_for("temporary-export"),
        "paper_documents": documents
        if documents is not None
        else documents_for("temporary-export", "office"),
    }
    return office["clerk"].post("/staff/paper-applications/", payload, {"Idempotency-Key": key})
