"""The phone simulator as its own process against the live server, over real HTTP: it scans the
QR text, fetches API1 and API2, signs with a demo key file and PUTs back; on request it
misbehaves (replay, other bytes, another document id, a PUT held until the QR expired, a
foreign key), and the server refuses each with its code, nothing registered."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from qyzmet.cases.models import SignedRequest, Status
from qyzmet.mobilesign import actions, protocol
from qyzmet.mobilesign.models import SigningSession, State

from .conftest import ready_draft
from .phone import finished, run_phone, start_phone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def qr(live_server, settings, catalog, applicant):
    """A fresh QR of a new ready draft of the applicant's, reachable on the live server."""
    settings.QYZMET_EGOV_MOBILE_BASE_URL = live_server.url

    def make():
        draft = ready_draft(applicant)
        return draft, protocol.qr_text(actions.start_for_request(applicant, draft))

    return make


@pytest.mark.parametrize("key", ["abenova", "abenova-rsa"], ids=["gost2015-512", "rsa-legacy"])
def test_the_phone_signs_the_request(qr, demo_pki, key):
    draft, text = qr()
    run = run_phone(text, demo_pki, key)
    assert run.returncode == 0, (run.exchanges, run.stderr)
    assert run.steps() == [("api1", 200), ("api2", 200), ("put", 200)]
    assert run.exchanges[0]["body"]["organisation"]["bin"] == "070840007503"
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert draft.applicant_details["signer"]["algorithm"] == demo_pki.person(key)["algorithm"]
    assert SigningSession.objects.get().state == State.SIGNED


@pytest.mark.parametrize(
    ("person", "extra", "steps", "code"),
    [
        ("abenova", ("--replay",), [("put", 200), ("replay", 409)], "mobile_sign_used"),
        ("nurlanov", (), [("put", 403)], "mobile_sign_other_signer"),
        ("abenova", ("--alter-bytes",), [("put", 400)], "mobile_sign_other_bytes"),
        ("abenova", ("--document-id", "1"), [("put", 400)], "mobile_sign_wrong_document"),
    ],
    ids=["replay", "foreign-key", "altered-bytes", "wrong-id"],
)
def test_a_misbehaving_phone_is_refused(qr, demo_pki, person, extra, steps, code):
    draft, text = qr()
    run = run_phone(text, demo_pki, person, *extra)
    assert run.returncode == 1, (run.exchanges, run.stderr)
    assert run.steps()[2:] == steps and run.last["body"]["code"] == code
    draft.refresh_from_db()
    registered = code == "mobile_sign_used"  # the first PUT of a replay was the real one
    assert (draft.status == Status.REGISTERED) is registered
    assert SignedRequest.objects.filter(application=draft).count() == int(registered)


def test_a_put_after_expiry_is_refused(qr, demo_pki, tmp_path):
    draft, text = qr()
    go = tmp_path / "go"
    process = start_phone(text, demo_pki, "abenova", "--put-after", str(go))
    deadline = time.monotonic() + 120
    while not SigningSession.objects.filter(api2_served_at__isnull=False).exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    SigningSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    go.touch()
    run = finished(process)
    assert run.returncode == 1, (run.exchanges, run.stderr)
    assert run.last["status"] == 410 and run.last["body"]["code"] == "mobile_sign_expired"
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert SigningSession.objects.get().state == State.EXPIRED


def test_an_expired_qr_stops_the_phone_at_api1(qr, demo_pki):
    draft, text = qr()
    SigningSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    run = run_phone(text, demo_pki, "abenova")
    assert run.returncode == 1 and run.steps() == [("api1", 410)]
    assert run.last["body"]["code"] == "mobile_sign_expired"


def test_bad_input_is_exit_code_2(demo_pki):
    run = run_phone("https://example.kz/not-a-qr", demo_pki, "abenova")
    assert run.returncode == 2 and "mobileSign:" in run.last["error"]
