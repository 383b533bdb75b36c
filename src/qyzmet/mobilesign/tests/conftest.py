"""Fixtures of eGov mobile QR signing: an applicant's draft ready to sign, a case whose result
waits for the head's signature (both made through the real actions), the pages' clients, the
anonymous "phone" client, and the signed PUT body as the eGov mobile app sends it."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from qyzmet.cases import actions as cases

# The portal's browser fixtures (its live server with the catalogue, the demo PKI, a page).
from qyzmet.portal.tests.conftest import page, pki, portal  # noqa: F401
from qyzmet.testing import PORTAL_UPLOADS, build_case, form_for, pdf_bytes, png_bytes, upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QYZMET_EGOV_MOBILE_BASE_URL = "https://qyzmet.example.kz"
    return settings.MEDIA_ROOT


def ready_draft(user, service: str = "temporary-export"):
    """A portal draft with its form filled and every document it asks for attached."""
    draft = cases.save_draft(user, service_code=service, form_data=form_for(service))
    for code in PORTAL_UPLOADS[service]:
        if code == "photos":
            item = upload("photo-1.png", png_bytes(), "image/png")
        else:
            item = upload(f"{code}.pdf", pdf_bytes(code))
        cases.add_draft_attachment(user, draft, cases.AttachmentInput(code, item))
    return draft


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(catalog, applicant):
    return ready_draft(applicant)


@pytest.fixture
def awaiting(catalog, staff):
    """A paper case whose approval the executor prepared: the head's signature is next."""

    return build_case(staff, "prepared")


@pytest.fixture
def phone() -> Client:
    """The eGov mobile app: no session, no cookies, JSON over the public URLs."""
    return Client(enforce_csrf_checks=True)


def path_of(url: str) -> str:
    return url.removeprefix("https://qyzmet.example.kz")


def start(client, url: str, **data) -> dict:
    response = client.post(url, data)
    assert response.status_code == 200, response.content
    return response.json()


def fetch(phone, started: dict) -> tuple[dict, dict]:
    """The app's two GETs: API1 from the QR text, API2 from API1's document URI."""
    api1 = phone.get(path_of(started["qr_text"].removeprefix("mobileSign:")))
    assert api1.status_code == 200, api1.content
    api2 = phone.get(path_of(api1.json()["document"]["uri"]))
    assert api2.status_code == 200, api2.content
    return api1.json(), api2.json()


def signed_body(api2: dict, sign, *, alter: bool = False, document_id: str | None = None) -> bytes:
    """API2's structure with the data replaced by the detached CMS ``sign(bytes)``."""
    answer = json.loads(json.dumps(api2))
    for item in answer["documentsToSign"]:
        data = base64.b64decode(item["document"]["file"]["data"])
        if alter:
            data = data + b" "
        item["document"]["file"]["data"] = base64.b64encode(sign(data)).decode()
        if document_id is not None:
            item["id"] = document_id
    return json.dumps(answer).encode()


def put(phone, api1: dict, body: bytes, **headers):
    return phone.put(
        path_of(api1["document"]["uri"]), body, content_type="application/json", **headers
    )
