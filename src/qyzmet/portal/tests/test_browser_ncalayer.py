"""The portal's NCALayer route in Debian's Chromium against the NCALayer simulator process
(``qyzmet ncalayer-simulator``, the root conftest's ``ncalayer``): an applicant signs up,
logs in and applies with the key NCALayer holds (the demo PKI's GOST 34.10-2015/512 keys); NCALayer absent, silent, cancelled or
offering no key of the applicant's IIN each leave a clear message and change nothing."""

from __future__ import annotations

import re
import socket

import pytest
from django.utils.csp import CSP

from qyzmet.accounts.models import User
from qyzmet.cases.models import Status
from qyzmet.testing import ABENOVA_IIN, PORTAL_PASSWORD

from .browser import ready_for_review, refusal_in_page
from .conftest import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NCALAYER_BUTTON = "form[data-eds-form] [data-ncalayer-sign]"


def ncalayer_status(page) -> tuple[str, str]:
    text = refusal_in_page(page)
    return page.locator("[data-eds-status]").get_attribute("data-code"), text


def sign_up_with_ncalayer(page, portal, email: str = "applicant@example.kz"):
    page.goto(f"{portal['url']}/sign-up/")
    page.click(NCALAYER_BUTTON)
    page.wait_for_url(re.compile(r"/sign-up/password/$"))
    page.fill("#password", PORTAL_PASSWORD)
    page.fill("#email", email)
    page.click("form[data-once] button[type=submit]")
    page.wait_for_url(re.compile(r"/applications/$"))


def log_in_with_password(page, portal, login: str = ABENOVA_IIN):
    page.goto(f"{portal['url']}/log-in/")
    page.fill("#login", login)
    page.fill("#password", PORTAL_PASSWORD)
    page.click("form[data-once] button[type=submit]")
    page.wait_for_url(re.compile(r"/applications/$"))


def only_socket_errors(errors: list[str]) -> list[str]:
    """Console errors other than Chromium's own note of a WebSocket that could not connect."""
    return [e for e in errors if not re.search(r"WebSocket connection to .* failed", e)]


def test_sign_up_log_in_and_apply_through_ncalayer(page, portal, ncalayer):
    assert {key["algorithm"] for key in ncalayer.control()["keys"]} == {"gost2015-512"}
    sign_up_with_ncalayer(page, portal)
    user = User.objects.get(iin=ABENOVA_IIN)
    assert user.last_name.upper() == "АБЕНОВА"
    sign_up_request = ncalayer.control()["last_request"]
    assert sign_up_request["module"] == "kz.gov.pki.knca.basics"
    assert sign_up_request["args"]["signerParams"]["extKeyUsageOids"] == ["1.3.6.1.5.5.7.3.2"]

    page.click(".account button")  # log out
    page.goto(f"{portal['url']}/log-in/")
    page.click(NCALAYER_BUTTON)
    page.wait_for_url(re.compile(r"/applications/$"))

    draft = ready_for_review(page, portal, "temporary-export")
    page.screenshot(path=str(SHOTS / "ncalayer-review.png"), full_page=True)
    page.click(NCALAYER_BUTTON)
    page.wait_for_url(re.compile(r"registered=1"))
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED and draft.registration_number.startswith("CULT-")
    sent = ncalayer.control()["last_request"]["args"]
    assert sent["format"] == "cms"
    assert sent["signingParams"] == {"decode": True, "encapsulate": False, "digested": False}
    assert sent["signerParams"] == {"extKeyUsageOids": ["1.3.6.1.5.5.7.3.4"], "iin": ABENOVA_IIN}
    assert not page.errors


def test_a_legal_entity_applies_through_ncalayer_with_its_bin(page, portal, ncalayer):
    person = portal["pki"].person("serikbaev")
    ncalayer.control(person="serikbaev")
    sign_up_with_ncalayer(page, portal, "office@restorator.kz")
    ready_for_review(page, portal, "restoration-approval")
    page.click(NCALAYER_BUTTON)
    page.wait_for_url(re.compile(r"registered=1"))
    params = ncalayer.control()["last_request"]["args"]["signerParams"]
    assert (params["iin"], params["bin"]) == (person["iin"], person["bin"])
    assert not page.errors


def test_cancel_error_and_someone_elses_key_change_nothing(page, portal, ncalayer, individual):
    log_in_with_password(page, portal)
    draft = ready_for_review(page, portal, "temporary-export")

    ncalayer.control(answer="cancel")
    page.click(NCALAYER_BUTTON)
    code, text = ncalayer_status(page)
    assert code == "ncalayer_cancelled" and "отменено" in text
    assert page.url.endswith("/review/")

    ncalayer.control(answer="error", error_message="Хранилище заблокировано")
    page.click(NCALAYER_BUTTON)
    code, text = ncalayer_status(page)
    assert code == "ncalayer_error" and "Хранилище заблокировано" in text

    # NCALayer holds only another person's keys: its IIN filter offers none (the server
    # would refuse that signature anyway; the filter saves the applicant the round trip).
    ncalayer.control(person="nurlanov", answer="sign")
    page.click(NCALAYER_BUTTON)
    code, text = ncalayer_status(page)
    assert code == "ncalayer_error" and "No suitable certificate" in text
    page.screenshot(path=str(SHOTS / "ncalayer-no-key.png"), full_page=True)
    assert ncalayer.control()["counters"]["signed"] == 0
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.registration_number

    ncalayer.control(person="abenova")
    page.click(NCALAYER_BUTTON)  # the same page, the button usable again
    page.wait_for_url(re.compile(r"registered=1"))
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert not page.errors


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ncalayer_absent_says_what_to_install_and_registers_nobody(page, portal, settings):
    url = f"ws://127.0.0.1:{_closed_port()}/"
    settings.QYZMET_NCALAYER_URL = url
    settings.SECURE_CSP = {**settings.SECURE_CSP, "connect-src": [CSP.SELF, url]}
    page.goto(f"{portal['url']}/sign-up/")
    assert page.get_attribute("[data-ncalayer]", "data-ncalayer-url") == url
    page.click(NCALAYER_BUTTON)
    code, text = ncalayer_status(page)
    assert code == "ncalayer_absent"
    assert "NCALayer не отвечает" in text and "pki.gov.kz" in text
    assert page.url.endswith("/sign-up/")
    assert not User.objects.filter(iin=ABENOVA_IIN).exists()
    page.screenshot(path=str(SHOTS / "ncalayer-absent.png"), full_page=True)
    assert only_socket_errors(page.errors) == []

    page.click("button[name=language][value=kk]")
    page.wait_for_selector("html[lang=kk]")
    page.click(NCALAYER_BUTTON)
    assert "NCALayer жауап бермейді" in ncalayer_status(page)[1]


def test_a_silent_ncalayer_is_not_a_hang(page, portal, ncalayer, settings):
    settings.QYZMET_NCALAYER_TIMEOUT_MS = 1500
    ncalayer.control(greeting=False)
    page.goto(f"{portal['url']}/log-in/")
    page.click(NCALAYER_BUTTON)
    code, text = ncalayer_status(page)
    assert code == "ncalayer_absent" and "pki.gov.kz" in text
    assert page.url.endswith("/log-in/")
    assert not page.errors
