"""The portal's pages driven in Chromium (Playwright) as an applicant drives them: sign-up
with a key file, a new application, its form and uploads, the request signed in the page.
Shared by the portal's browser tests and the eGov mobile ones (``docs/testing.md``)."""

from __future__ import annotations

import re

import pytest

from qyzmet.cases.models import Application, Status
from qyzmet.testing import PORTAL_PASSWORD, PORTAL_UPLOADS, form_for

from .conftest import form_post


def choose_key(page, portal, prefix: str, person: str, key: str, password: str | None = None):
    """Pick the demo person's key file ("sign" or "auth") in the EDS form ``prefix`` and
    sign; ``password`` defaults to the key file's own."""
    pki = portal["pki"]
    page.set_input_files(f"#{prefix}-key", str(pki.p12_path(person, key)))
    page.fill(f"#{prefix}-password", password or pki.person(person)["password"])


def sign_up_in_browser(page, portal, person: str, email: str = "applicant@example.kz"):
    page.goto(f"{portal['url']}/sign-up/")
    choose_key(page, portal, "signup", person, "auth")
    page.click("form[data-eds-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-up/password/$"))
    page.fill("#password", PORTAL_PASSWORD)
    page.fill("#email", email)
    page.click("form[data-once] button[type=submit]")
    page.wait_for_url(re.compile(r"/applications/$"))


def start_application(page, portal, service: str) -> Application:
    page.goto(f"{portal['url']}/services/{service}/")
    page.click(".apply-box button")
    page.wait_for_url(re.compile(r"/edit/$"))
    return Application.objects.get(public_id=page.url.split("/")[-3])


def fill_form(page, data: dict):
    fields = form_post(data)
    rows = {int(m.group(1)) for name in fields if (m := re.match(r"items\.(\d+)\.", name))}
    for _ in range(max(rows, default=0)):
        page.click("[data-repeat-add]")
    for name, value in fields.items():
        selector = f'[name="{name}"]'
        if isinstance(value, list):
            for option in value:
                page.check(f'{selector}[value="{option}"]')
        elif page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            if page.locator(f'{selector} option[value="{value}"]').count() == 0:
                continue  # a file not uploaded yet: chosen by upload_documents
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click("button[name=action][value=save]")
    page.wait_for_url(re.compile(r"\?saved=1$"))


def upload_documents(page, portal, service: str):
    for code in PORTAL_UPLOADS[service]:
        name = "photo-1.png" if code == "photos" else f"{code}.pdf"
        with page.expect_navigation():
            page.set_input_files(f"#file-{code}", str(portal["files"] / name))
        page.wait_for_selector(f".doc-slot .file-name >> text={name}")
    choose_uploaded_files(page)


def choose_uploaded_files(page):
    """The form's file fields (an item's photo, the project's file) name an uploaded file:
    chosen from the list of the document's uploads, then the form is saved."""
    chosen = False
    for select in page.locator("#application-form select[data-attachment-choice]").all():
        if select.is_visible() and not select.input_value():
            select.select_option(index=1)
            chosen = True
    if chosen:
        page.click("button[name=action][value=save]")
        page.wait_for_url(re.compile(r"\?saved=1$"))


def sign_request(page, portal, person: str):
    choose_key(page, portal, "sign", person, "sign")
    page.click("form[data-eds-form] button[type=submit]")


def refusal_in_page(page) -> str:
    status = page.locator("[data-eds-status]")
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-eds-status]');"
        " return s && s.textContent && !s.classList.contains('working'); }"
    )
    return status.text_content()


def wait_registered(page):
    page.wait_for_function(
        "() => location.search.includes('registered=1') || (document.querySelector("
        "'[data-eds-status]') && document.querySelector('[data-eds-status]').textContent"
        " && !document.querySelector('[data-eds-status]').classList.contains('working'))"
    )
    if "registered=1" not in page.url:
        pytest.fail("refused: " + page.locator("[data-eds-status]").text_content())
    page.wait_for_load_state()


def ready_for_review(page, portal, service: str) -> Application:
    """A new application of ``service``: its form filled, its documents uploaded, and its
    review page open, where it is signed."""
    draft = start_application(page, portal, service)
    fill_form(page, form_for(service))
    upload_documents(page, portal, service)
    page.click("button[name=action][value=review]")
    page.wait_for_url(re.compile(r"/review/$"))
    return draft


def apply_and_sign(page, portal, service: str, person: str) -> str:
    draft = ready_for_review(page, portal, service)
    sign_request(page, portal, person)
    wait_registered(page)
    number = page.locator("[data-registration-number]").text_content().strip()
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED and draft.registration_number == number
    return number
