"""Single use under a race: the same signed answer PUT twice at the same moment (two
connections) registers the application once; the other PUT is told the QR is used."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from qyzmet.cases.models import SignedRequest, Status
from qyzmet.mobilesign.models import SigningSession, State

from .conftest import fetch, logged_in, put, signed_body, start

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_puts_register_once(draft, applicant, demo_pki):
    from django.urls import reverse

    page = logged_in(applicant)
    api1, api2 = fetch(
        Client(), start(page, reverse("mobilesign:start_request", args=[draft.public_id]))
    )
    body = signed_body(api2, lambda data: demo_pki.sign("abenova", data))
    barrier = threading.Barrier(2)
    answers = []

    def phone():
        try:
            barrier.wait()
            answers.append(put(Client(), api1, body))
        finally:
            connection.close()

    threads = [threading.Thread(target=phone) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409], [a.content for a in answers]
    assert [a.json()["code"] for a in answers if a.status_code == 409] == ["mobile_sign_used"]
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert SignedRequest.objects.filter(application=draft).count() == 1
    assert SigningSession.objects.get().state == State.SIGNED
