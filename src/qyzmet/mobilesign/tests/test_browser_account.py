"""Sign-up, log-in and application by eGov mobile QR in Chromium, the phone being the
simulator process over real HTTP and signing with the person's GOST-2015/512 keys: the
authentication key for the sign-up and log-in challenges, the signing key for the request.
No key file is chosen in the page at any point."""

from __future__ import annotations

import re

import pytest

from qyzmet.accounts.models import Role, User
from qyzmet.audit.models import AuditRecord
from qyzmet.cases.models import Status
from qyzmet.mobilesign.models import SigningSession, State
from qyzmet.portal.tests.conftest import SHOTS
from qyzmet.testing import PORTAL_PASSWORD

from .browser import apply_by_qr, show_qr
from .phone import run_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSON = "abenova"  # her current kit: GOST 34.10-2015/512


@pytest.fixture
def egov(portal, settings):
    """The portal's live server is also the address the phone reaches."""
    settings.QYZMET_EGOV_MOBILE_BASE_URL = portal["url"]
    return portal


def phone_signs_with_auth_key(qr: str, keys) -> None:
    run = run_phone(qr, keys, PERSON, key="auth")
    assert run.returncode == 0, (run.exchanges, run.stderr)


def test_sign_up_log_in_and_apply_by_qr_with_a_gost_key(page, egov):
    keys = egov["pki"]
    assert keys.person(PERSON)["algorithm"] == "gost2015-512"

    page.goto(f"{egov['url']}/sign-up/")
    qr = show_qr(page)
    page.screenshot(path=str(SHOTS / "egov-sign-up-qr.png"), full_page=True)
    phone_signs_with_auth_key(qr, keys)
    page.wait_for_url(re.compile(r"/sign-up/password/$"))
    user = User.objects.get(role=Role.APPLICANT)
    assert user.iin == keys.person(PERSON)["iin"]
    page.fill("#password", PORTAL_PASSWORD)
    page.fill("#email", "applicant@example.kz")
    page.click("form[data-once] button[type=submit]")
    page.wait_for_url(re.compile(r"/applications/$"))

    page.click("header form button.link-button")  # log out
    page.wait_for_load_state()
    page.goto(f"{egov['url']}/log-in/")
    qr = show_qr(page)
    page.screenshot(path=str(SHOTS / "egov-log-in-qr.png"), full_page=True)
    phone_signs_with_auth_key(qr, keys)
    page.wait_for_url(re.compile(r"/applications/$"))

    application = apply_by_qr(page, egov, "temporary-export", PERSON)
    assert application.status == Status.REGISTERED and application.applicant_user == user

    sessions = SigningSession.objects.order_by("pk")
    assert [(s.purpose, s.state) for s in sessions] == [
        ("sign_up", State.SIGNED),
        ("log_in", State.SIGNED),
        ("request", State.SIGNED),
    ]
    assert all(s.completed_at for s in sessions[:2])
    assert AuditRecord.objects.filter(action="mobilesign.complete", actor=user).count() == 2
