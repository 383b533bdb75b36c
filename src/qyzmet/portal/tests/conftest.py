"""Portal test fixtures: the project's demo PKI (the session's ``demo_pki``) as the EDS
verifier's trust anchor and CRL (no network), applicants signed up through the real actions
with its key files (``qyzmet.testing.sign_up``), the form's fields as the page posts them, and
the live portal and a browser page for the browser tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from qyzmet.accounts import actions as accounts
from qyzmet.testing import PORTAL_UPLOADS, sign_up


@pytest.fixture
def pki(demo_pki, settings, tmp_path):
    """The demo PKI (``qyzmet.conftest.DemoPki``): its people sign up, apply and sign."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    # Tasks run at once in the tests (in production a worker takes them from the queue).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return demo_pki


@pytest.fixture
def individual(pki, catalog):
    user = sign_up(pki, "abenova")
    return accounts.update_contact_email(user, "dana@example.kz")


@pytest.fixture
def company(pki, catalog):
    """The legal entity's account, opened by its first head."""
    return sign_up(pki, "serikbaev")


@pytest.fixture
def individual_client(individual):
    client = Client()
    client.force_login(individual)
    return client


@pytest.fixture
def company_client(company):
    client = Client()
    client.force_login(company)
    return client


def form_post(data, prefix: str = "") -> dict:
    """A form's JSON data as the generated HTML form posts it (dotted names)."""
    fields: dict = {}
    if isinstance(data, dict):
        for key, value in data.items():
            fields.update(form_post(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(data, list) and data and isinstance(data[0], dict | list):
        for index, value in enumerate(data):
            fields.update(form_post(value, f"{prefix}.{index}"))
    elif isinstance(data, list):
        fields[prefix] = [str(v) for v in data]
    else:
        fields[prefix] = str(data)
    return fields


# --- browser tests (Playwright driving Debian's Chromium; never downloads a browser) -------

SHOTS = Path(os.environ.get("QYZMET_SCREENSHOTS", "/tmp/qyzmet-portal-shots"))


@pytest.fixture
def portal(pki, live_server, tmp_path):
    """The portal on a live server with the catalogue loaded, and the files an applicant
    uploads; ``pki`` holds the demo people's key files."""
    from qyzmet.catalog.loader import load_catalog
    from qyzmet.testing import pdf_bytes, png_bytes

    load_catalog()
    files = tmp_path / "files"
    files.mkdir()
    (files / "photo-1.png").write_bytes(png_bytes())
    for code in {c for codes in PORTAL_UPLOADS.values() for c in codes}:
        (files / f"{code}.pdf").write_bytes(pdf_bytes(code))
    SHOTS.mkdir(parents=True, exist_ok=True)
    return {"url": live_server.url, "pki": pki, "files": files}


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()
