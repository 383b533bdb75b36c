"""The head signs results through NCALayer (the simulator process holding the demo head's
keys: GOST 34.10-2015/512, and the legacy RSA kit) in Debian's Chromium: an approval and a
motivated refusal; the issued PDF verifies with qyzmet's verifier and on the public
verification page. A cancelled dialog, NCALayer's error
and another person's key leave the case awaiting the signature."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

from qyzmet.cases.models import Status
from qyzmet.results import queries as results
from qyzmet.testing import build_case
from qyzmet.workflow import actions as flow

from .conftest import HEAD_KEY
from .desk import Desk, case_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("QYZMET_SCREENSHOTS", "/tmp/qyzmet-office-shots"))


@pytest.fixture
def desk(browser, live_server, catalog, staff, demo_pki, media, ncalayer):
    ncalayer.control(person=HEAD_KEY)
    office = Desk(browser, live_server.url, demo_pki, SHOTS, prefix="ncalayer-")
    yield office
    office.close()
    assert office.unexpected_errors() == []


def off_the_browser_thread(function, *args):
    """Run a set-up action in its own thread: Playwright keeps an event loop running in the
    test's thread, and preparing a result document runs pyHanko's own (asyncio.run)."""

    def run():
        try:
            return function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def refusal_at_check(staff):
    app = build_case(staff)
    flow.assign_executor(staff["head"], app, staff["executor"])
    flow.record_completeness_check(
        staff["executor"],
        app,
        complete=False,
        reason_codes=["incomplete_documents"],
        explanation="Не представлены цветные фотографии предметов.",
    )
    return app


def open_and_sign(desk, head, application):
    head.goto(case_url(desk, application))
    head.click("a:text-is('Открыть страницу подписания')")
    desk.shot(head, "sign")
    head.click("form[data-eds-sign] [data-ncalayer-sign]")


def status_of(head) -> tuple[str, str]:
    head.wait_for_function(
        "() => { const s = document.querySelector('[data-eds-status]');"
        " return s && s.dataset.code && !s.classList.contains('working'); }"
    )
    status = head.locator("[data-eds-status]")
    return status.get_attribute("data-code"), status.inner_text()


@pytest.mark.parametrize(
    ("outcome", "kit", "algorithm"),
    [
        ("approval", HEAD_KEY, "gost2015-512"),
        ("refusal", HEAD_KEY, "gost2015-512"),
        ("approval", f"{HEAD_KEY}-rsa", "rsa"),  # the head's legacy RSA kit
    ],
)
def test_the_head_signs_through_ncalayer(desk, staff, demo_pki, ncalayer, outcome, kit, algorithm):
    keys = ncalayer.control(person=kit)["keys"]
    assert {key["algorithm"] for key in keys} == {algorithm}
    if outcome == "approval":
        application = off_the_browser_thread(build_case, staff, "prepared")
    else:
        application = off_the_browser_thread(refusal_at_check, staff)
    head = desk.log_in("head")
    open_and_sign(desk, head, application)
    head.wait_for_selector('[data-status="awaiting_handover"]')
    desk.shot(head, f"signed-{outcome}-{algorithm}")

    head_iin = demo_pki.person(HEAD_KEY)["iin"]
    sent = ncalayer.control()["last_request"]["args"]
    assert sent["signerParams"] == {"extKeyUsageOids": ["1.3.6.1.5.5.7.3.4"], "iin": head_iin}
    assert sent["signingParams"]["encapsulate"] is False
    application.refresh_from_db()
    assert application.status == Status.AWAITING_HANDOVER
    assert application.decisions.get().signed_by.username == "head"

    document = results.document_for(application)
    verdict = off_the_browser_thread(results.verify_document, document)
    assert (verdict.status, verdict.signer_iin) == ("authentic", head_iin)
    head.goto(
        desk.url
        + reverse(
            "results:verify",
            args=[application.registration_number, document.token],
        )
    )
    assert "Документ подлинный" in head.content()
    assert head_iin in head.content()
    desk.shot(head, f"verified-{outcome}-{algorithm}")


def test_cancel_error_and_another_key_leave_the_case_unsigned(desk, staff, ncalayer):
    application = off_the_browser_thread(build_case, staff, "prepared")
    head = desk.log_in("head")

    ncalayer.control(answer="cancel")
    open_and_sign(desk, head, application)
    code, text = status_of(head)
    assert code == "ncalayer_cancelled" and "отменено" in text

    ncalayer.control(answer="error", error_message="Token is locked")
    head.click("form[data-eds-sign] [data-ncalayer-sign]")
    code, text = status_of(head)
    assert code == "ncalayer_error" and "Token is locked" in text

    ncalayer.control(person="kim", answer="sign")  # the executor's key, not the head's
    head.click("form[data-eds-sign] [data-ncalayer-sign]")
    code, text = status_of(head)
    assert code == "ncalayer_error" and "No suitable certificate" in text
    desk.shot(head, "no-key")

    application.refresh_from_db()
    assert application.status == Status.SIGNING
    assert results.document_for(application) is None
    assert ncalayer.control()["counters"]["signed"] == 0
