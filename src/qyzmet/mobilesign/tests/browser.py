"""eGov mobile's panel in the portal's pages (Chromium, Playwright): the QR shown, the phone
simulator signing it, an application applied for by QR. Shared by the mobilesign browser
tests."""

from __future__ import annotations

import re

from qyzmet.cases.models import Application, Status
from qyzmet.portal.tests.browser import ready_for_review
from qyzmet.portal.tests.conftest import SHOTS

from .phone import run_phone


def show_qr(page) -> str:
    """Choose eGov mobile: the page shows the QR code; its text is read from the page."""
    page.wait_for_selector("[data-egov-mobile][data-ready]", state="attached")
    page.click("[data-egov-start]")
    page.wait_for_function(
        "() => document.querySelector('[data-egov-qr][data-qr-text]')"
        " || document.querySelector('[data-egov-mobile]').dataset.state === 'refused'"
    )
    assert page.get_attribute("[data-egov-mobile]", "data-state") == "waiting", page.text_content(
        "[data-egov-status]"
    )
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-egov-qr-image]');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    assert page.is_hidden("[data-egov-start]")  # one QR at a time; "new QR" comes on expiry
    text = page.get_attribute("[data-egov-qr]", "data-qr-text")
    page.click(".egov-qr-text summary")  # the text is also shown, for copying
    assert page.text_content("[data-egov-qr-copy]") == text
    assert text.startswith(f"mobileSign:{page.url.split('/', 3)[0]}//")
    link = page.get_attribute('[data-egov-link="egov_mobile"]', "href")
    assert link.startswith("https://mgovsign.page.link/?link=")
    return text


def phone_signs(qr: str, keys, person: str) -> None:
    run = run_phone(qr, keys, person)
    assert run.returncode == 0, (run.exchanges, run.stderr)


def apply_by_qr(page, portal, service: str, person: str) -> Application:
    draft = ready_for_review(page, portal, service)
    qr = show_qr(page)
    page.screenshot(path=str(SHOTS / f"egov-review-qr-{service}.png"), full_page=True)
    page.locator("[data-egov-mobile]").screenshot(path=str(SHOTS / f"egov-panel-{service}.png"))
    phone_signs(qr, portal["pki"], person)
    page.wait_for_url(re.compile(r"\?registered=1$"))
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert page.locator("[data-registration-number]").text_content().strip() == (
        draft.registration_number
    )
    return draft
