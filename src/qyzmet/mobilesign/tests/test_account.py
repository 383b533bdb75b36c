"""Sign-up and log-in with eGov mobile (p.10 процесс 1, 2): the phone signs the accounts app's
one-time challenge — the very bytes the key-file route signs — with the person's
authentication key; the PUT is checked as the key-file route checks it; the browser session
that started the QR (and only it) completes the sign-up / log-in with the key-file route's
own action when its status poll sees the accepted signature. Late, replayed, foreign and
wrong-key answers change nothing."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qyzmet.accounts.models import Challenge, Role, User
from qyzmet.audit.models import AuditRecord
from qyzmet.core.refusals import Refused
from qyzmet.mobilesign import actions
from qyzmet.mobilesign.models import SigningSession, State
from qyzmet.testing import CaseBuilder

from .conftest import fetch, put, signed_body, start

pytestmark = pytest.mark.django_db


def start_url(purpose: str) -> str:
    return reverse("mobilesign:start_auth", args=[purpose])


def auth_signer(demo_pki, person: str, key: str = "auth"):
    return lambda data: demo_pki.sign(person, data, key)


def poll(browser: Client, started: dict) -> dict:
    answer = browser.get(started["status_url"])
    assert answer.status_code == 200, answer.content
    return answer.json()


def logged_in_as(browser: Client) -> User | None:
    user_id = browser.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def registered(demo_pki, person: str = "abenova") -> User:
    """The person's account, signed up with their key file (no portal password yet)."""
    return CaseBuilder({}, demo_pki).account(person)


@pytest.mark.parametrize("person", ["abenova", "abenova-rsa"], ids=["gost2015-512", "rsa"])
def test_sign_up_by_qr_completes_in_the_browser_that_started_it(demo_pki, phone, person):
    browser = Client()
    started = start(browser, start_url("sign_up"))
    session = SigningSession.objects.get()
    assert session.purpose == "sign_up" and session.user is None and session.application is None
    assert (
        started["qr_text"] == f"mobileSign:https://qyzmet.example.kz/mobile-sign/{session.token}/"
    )
    api1, api2 = fetch(phone, started)
    assert api1["organisation"]["nameEn"] == "qyzmet public services portal"
    [document] = api2["documentsToSign"]
    challenge = Challenge.objects.get()
    assert document["id"] == f"sign_up-{challenge.public_id}"
    # The phone is given exactly the bytes the key-file route signs.
    assert base64.b64decode(document["document"]["file"]["data"]) == challenge.payload
    assert poll(browser, started)["state"] == "waiting"

    answer = put(phone, api1, signed_body(api2, auth_signer(demo_pki, person)))
    assert answer.status_code == 200, answer.content
    assert not User.objects.filter(role=Role.APPLICANT).exists()  # not before the page asks

    status = poll(browser, started)
    assert status == {**status, "state": "signed", "redirect": reverse("portal:set_password")}
    user = User.objects.get(role=Role.APPLICANT)
    assert user.iin == demo_pki.person(person)["iin"] and not user.has_usable_password()
    assert logged_in_as(browser) == user
    challenge.refresh_from_db()
    assert challenge.used_at is not None
    session.refresh_from_db()
    assert session.completed_at is not None and session.user == user and not session.signature
    assert AuditRecord.objects.filter(action="accounts.sign_up", actor=user).exists()
    assert AuditRecord.objects.filter(action="mobilesign.complete", actor=user).exists()
    # Polling again completes nothing a second time; the page still goes on.
    assert poll(browser, started)["redirect"] == reverse("portal:set_password")
    assert User.objects.filter(role=Role.APPLICANT).count() == 1


def test_log_in_by_qr(demo_pki, phone):
    user = registered(demo_pki)
    user.set_password("a-Long-portal-passw0rd")
    user.save()
    browser = Client()
    started = start(browser, start_url("log_in"))
    api1, api2 = fetch(phone, started)
    assert put(phone, api1, signed_body(api2, auth_signer(demo_pki, "abenova"))).status_code == 200
    status = poll(browser, started)
    assert status["state"] == "signed"
    assert status["redirect"] == reverse("portal:my_applications")
    assert logged_in_as(browser) == user
    assert browser.get(reverse("portal:my_applications")).status_code == 200


def test_another_browser_session_cannot_see_or_complete_it(demo_pki, phone):
    registered(demo_pki)
    browser, stranger = Client(), Client()
    started = start(browser, start_url("log_in"))
    start(stranger, start_url("log_in"))  # the stranger has a binding of its own
    api1, api2 = fetch(phone, started)
    assert put(phone, api1, signed_body(api2, auth_signer(demo_pki, "abenova"))).status_code == 200
    assert stranger.get(started["status_url"]).status_code == 404
    assert stranger.get(started["qr_url"]).status_code == 404
    session = SigningSession.objects.get(token=started["status_url"].split("/")[-3])
    with pytest.raises(Refused) as caught:
        actions.complete_auth(session.token, "a-guessed-secret", "127.0.0.1")
    assert caught.value.code == "mobile_sign_not_found"
    assert logged_in_as(stranger) is None
    session.refresh_from_db()
    assert session.state == State.SIGNED and session.completed_at is None
    # The browser that started it still completes it.
    assert poll(browser, started)["state"] == "signed" and logged_in_as(browser) is not None


def test_expired_qr_is_refused_and_changes_nothing(demo_pki, phone):
    browser = Client()
    started = start(browser, start_url("sign_up"))
    api1, api2 = fetch(phone, started)
    SigningSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = put(phone, api1, signed_body(api2, auth_signer(demo_pki, "abenova")))
    assert answer.status_code == 410 and answer.json()["code"] == "mobile_sign_expired"
    assert SigningSession.objects.get().state == State.EXPIRED
    assert poll(browser, started)["code"] == "mobile_sign_expired"
    assert not User.objects.filter(role=Role.APPLICANT).exists()
    assert logged_in_as(browser) is None


def test_a_replayed_put_changes_nothing(demo_pki, phone):
    browser = Client()
    started = start(browser, start_url("sign_up"))
    api1, api2 = fetch(phone, started)
    body = signed_body(api2, auth_signer(demo_pki, "abenova"))
    assert put(phone, api1, body).status_code == 200
    again = put(phone, api1, body)
    assert again.status_code == 409 and again.json()["code"] == "mobile_sign_used"
    assert poll(browser, started)["state"] == "signed"
    late = put(phone, api1, signed_body(api2, auth_signer(demo_pki, "abenova-rsa")))
    assert late.status_code == 409 and late.json()["code"] == "mobile_sign_used"
    assert User.objects.filter(role=Role.APPLICANT).count() == 1
    # The stored signature completes once: the challenge is spent.
    session = SigningSession.objects.get()
    secret = browser.session["qyzmet.mobilesign.browser"]
    with pytest.raises(Refused) as caught:
        actions.complete_auth(session.token, secret, "127.0.0.1")
    assert caught.value.code == "mobile_sign_used"


def test_a_signing_key_is_not_an_authentication_key(demo_pki, phone):
    browser = Client()
    started = start(browser, start_url("sign_up"))
    api1, api2 = fetch(phone, started)
    answer = put(phone, api1, signed_body(api2, auth_signer(demo_pki, "abenova", "sign")))
    assert answer.status_code == 400 and answer.json()["code"] == "wrong_purpose"
    assert answer.json()["message"]
    status = poll(browser, started)
    assert status["state"] == "refused" and status["code"] == "wrong_purpose" and status["message"]
    assert not User.objects.filter(role=Role.APPLICANT).exists()
    assert logged_in_as(browser) is None
    assert AuditRecord.objects.filter(action="mobilesign.refuse").exists()


@pytest.mark.parametrize(
    ("purpose", "setup", "code"),
    [("log_in", False, "not_registered"), ("sign_up", True, "account_exists")],
)
def test_sign_up_and_log_in_rules_hold(demo_pki, phone, purpose, setup, code):
    if setup:
        registered(demo_pki)
    browser = Client()
    started = start(browser, start_url(purpose))
    api1, api2 = fetch(phone, started)
    answer = put(phone, api1, signed_body(api2, auth_signer(demo_pki, "abenova")))
    assert answer.status_code == 400 and answer.json()["code"] == code
    assert poll(browser, started)["code"] == code
    assert logged_in_as(browser) is None


def test_a_new_qr_closes_the_same_browsers_waiting_one_only(demo_pki, phone):
    browser, other = Client(), Client()
    first = start(browser, start_url("log_in"))
    theirs = start(other, start_url("log_in"))
    start(browser, start_url("log_in"))
    assert poll(browser, first)["code"] == "mobile_sign_expired"
    assert poll(other, theirs)["state"] == "waiting"
    api1 = phone.get(first["qr_text"].split("qyzmet.example.kz", 1)[1])
    assert api1.status_code == 410 and api1.json()["code"] == "mobile_sign_expired"


def test_unknown_purpose_is_refused():
    answer = Client().post(start_url("sign_in"))
    assert answer.status_code == 400 and answer.json()["code"] == "challenge_invalid"
    assert not SigningSession.objects.exists()
