"""A legal entity's representatives with eGov mobile (issue 12, item 3): each signs up and logs
in by QR as themselves (their IIN, for the BIN) whoever came first, and a draft the employee
began is signed by QR by the head — the QR binds the representative who started it, whose
IIN the request names; the employee's own QR is refused for want of the right to sign."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse

from qyzmet.accounts.models import User
from qyzmet.cases.models import SignedRequest, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.demo.pki import COMPANY_BIN

from .conftest import fetch, logged_in, put, ready_draft, signed_body, start

pytestmark = pytest.mark.django_db


def by_qr(demo_pki, phone, purpose: str, person: str) -> User:
    """The page starts a sign-up / log-in QR, the phone signs it with the person's auth key,
    the page's next poll completes it: the account that browser session is logged in as."""
    browser = Client()
    started = start(browser, reverse("mobilesign:start_auth", args=[purpose]))
    api1, api2 = fetch(phone, started)
    body = signed_body(api2, lambda data: demo_pki.sign(person, data, "auth"))
    answer = put(phone, api1, body)
    assert answer.status_code == 200, answer.content
    assert browser.get(started["status_url"]).json()["state"] == "signed"
    return User.objects.get(pk=browser.session["_auth_user_id"])


def test_each_representative_signs_up_and_logs_in_by_qr(demo_pki, phone, catalog):
    employee = by_qr(demo_pki, phone, "sign_up", "ospanova")
    head = by_qr(demo_pki, phone, "sign_up", "serikbaev")  # was: account_exists
    assert employee != head and {employee.bin, head.bin} == {COMPANY_BIN}
    assert by_qr(demo_pki, phone, "log_in", "ospanova") == employee
    assert by_qr(demo_pki, phone, "log_in", "serikbaev") == head  # was: iin_mismatch


def test_the_head_signs_by_qr_the_draft_the_employee_began(demo_pki, phone, catalog):
    employee = by_qr(demo_pki, phone, "sign_up", "ospanova")
    head = by_qr(demo_pki, phone, "sign_up", "serikbaev")
    draft = ready_draft(employee, "restoration-approval")
    url = reverse("mobilesign:start_request", args=[draft.public_id])

    # The employee's own QR: their key has no right to sign for the entity.
    api1, api2 = fetch(phone, start(logged_in(employee), url))
    answer = put(phone, api1, signed_body(api2, lambda data: demo_pki.sign("ospanova", data)))
    assert answer.status_code == 400 and answer.json()["code"] == "signer_not_representative"

    # The head's QR: bound to the head, whose IIN the request names.
    api1, api2 = fetch(phone, start(logged_in(head), url))
    content = base64.b64decode(api2["documentsToSign"][0]["document"]["file"]["data"])
    assert content == canonical_request(draft, signer=head)
    wrong = put(phone, api1, signed_body(api2, lambda data: demo_pki.sign("ospanova", data)))
    assert wrong.status_code == 403 and wrong.json()["code"] == "mobile_sign_other_signer"
    answer = put(phone, api1, signed_body(api2, lambda data: demo_pki.sign("serikbaev", data)))
    assert answer.status_code == 200, answer.content
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert (draft.representative_iin, draft.applicant_user) == (head.iin, head)
    assert bytes(SignedRequest.objects.get(application=draft).content) == content
