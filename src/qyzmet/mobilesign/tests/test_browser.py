"""eGov mobile QR signing in Chromium, the phone being the simulator process over real HTTP:
an applicant applies by QR (the page shows the QR, the phone signs, the page goes to the
registered application); the head signs an approval and a refusal by QR on the desk's signing
page; the applicant gets the signed result, whose PDF verifies with qyzmet's verifier and on
the public verification page; an expired QR is replaced by a new one in the page. The phone
signs with the demo people's GOST-2015/512 keys."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qyzmet.cases.models import Status
from qyzmet.mobilesign.models import SigningSession
from qyzmet.office.tests.desk import Desk, assign, case_url, check_and_prepare
from qyzmet.portal.tests.browser import (
    fill_form,
    sign_up_in_browser,
    start_application,
    upload_documents,
)
from qyzmet.portal.tests.conftest import SHOTS
from qyzmet.results import pades
from qyzmet.results.models import DocumentState, ResultDocument
from qyzmet.testing import form_for

from .browser import apply_by_qr, phone_signs, show_qr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The applicant signs up in the page with her legacy RSA kit (the page's key-file module reads
# RSA files); the phone then signs with her current GOST-2015/512 key — the same person (IIN).
SIGN_UP_KEY = "abenova-rsa"


@pytest.fixture
def egov(portal, settings):
    """The portal's live server is also the address the phone reaches."""
    settings.QYZMET_EGOV_MOBILE_BASE_URL = portal["url"]
    return portal


@pytest.fixture
def desk(browser, egov, staff):
    office = Desk(browser, egov["url"], egov["pki"], SHOTS, prefix="egov-desk-")
    yield office
    office.close()
    assert office.unexpected_errors() == []


def head_signs_by_qr(desk, head, application, keys) -> None:
    head.goto(case_url(desk, application))
    head.click("a:text-is('Открыть страницу подписания')")
    qr = show_qr(head)
    desk.shot(head, "09-sign-qr")
    phone_signs(qr, keys, "zhumabaev")
    head.wait_for_url(case_url(desk, application))


def valid_for_qyzmet(pdf: bytes) -> bool:
    """qyzmet's own PDF verifier, trusting what the public verification page trusts (the
    demo PKI's CAs, GOST and RSA), in a thread of its own: it runs pyHanko under asyncio, and
    Playwright's sync API keeps an event loop running in the test's thread."""
    from concurrent.futures import ThreadPoolExecutor

    from qyzmet.results.queries import trust_roots

    with ThreadPoolExecutor(1) as pool:
        check = pool.submit(pades.validate, pdf, trust_roots=trust_roots()).result()
    return check.code == "valid"


def verify_issued(application, desk, keys) -> ResultDocument:
    """The issued PDF verifies with qyzmet's verifier and on the public verification page
    (opened by a visitor of its own, as anyone with the PDF's QR code does)."""
    document = ResultDocument.objects.get(application=application)
    assert document.state == DocumentState.ISSUED
    with document.pdf.open("rb") as handle:
        assert valid_for_qyzmet(handle.read())
    path = reverse("results:verify", args=[application.registration_number, document.token])
    visitor = desk.browser.new_context(locale="ru-RU")
    try:
        public = visitor.new_page()
        public.goto(desk.url + path)
        body = public.text_content("main")
    finally:
        visitor.close()
    assert "Документ подлинный" in body and keys.person("zhumabaev")["iin"] in body
    return document


def test_apply_by_qr_and_the_head_approves_by_qr(page, egov, desk, tmp_path):
    keys = egov["pki"]
    sign_up_in_browser(page, egov, SIGN_UP_KEY)
    application = apply_by_qr(page, egov, "temporary-export", "abenova")
    signer = application.applicant_details["signer"]
    assert signer["subject"]["iin"] == keys.person("abenova")["iin"]
    assert signer["algorithm"] == "gost2015-512"  # signed by phone with her current key

    head = desk.log_in("head")
    assign(desk, head, application)
    check_and_prepare(desk, desk.log_in("executor"), application)
    head_signs_by_qr(desk, head, application, keys)
    head.wait_for_selector('[data-status="issued"]')
    desk.shot(head, "10-issued-by-qr")
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.ISSUED, "approved")
    assert application.decisions.get().signer_certificate["algorithm"] == "gost2015-512"
    verify_issued(application, desk, keys)

    # The applicant sees the signed result and saves the PDF with the head's signature.
    page.goto(f"{egov['url']}/applications/{application.public_id}/")
    assert page.get_attribute("[data-status]", "data-status") == Status.ISSUED
    with page.expect_download() as download:
        page.goto(f"{egov['url']}/applications/{application.public_id}/result/")
        page.click("text=Сохранить (PDF с ЭЦП)")
    saved = tmp_path / "result.pdf"
    download.value.save_as(saved)
    assert valid_for_qyzmet(saved.read_bytes())
    assert not page.errors


def test_the_head_signs_a_refusal_by_qr(page, egov, desk):
    keys = egov["pki"]
    sign_up_in_browser(page, egov, SIGN_UP_KEY)
    application = apply_by_qr(page, egov, "restoration-approval", "abenova")
    head = desk.log_in("head")
    assign(desk, head, application)
    check_and_prepare(desk, desk.log_in("executor"), application, refuse_at_check=True)
    head_signs_by_qr(desk, head, application, keys)
    head.wait_for_selector('[data-status="refused"]')
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.REFUSED, "refused")
    verify_issued(application, desk, keys)
    page.goto(f"{egov['url']}/applications/{application.public_id}/")
    assert page.get_attribute("[data-status]", "data-status") == Status.REFUSED
    assert not page.errors


def test_an_expired_qr_is_replaced_in_the_page(page, egov):
    sign_up_in_browser(page, egov, SIGN_UP_KEY)
    draft = start_application(page, egov, "temporary-export")
    fill_form(page, form_for("temporary-export"))
    upload_documents(page, egov, "temporary-export")
    page.click("button[name=action][value=review]")
    first = show_qr(page)
    # the countdown in Russian's plural forms (djangojs catalogue): "Осталось 119 секунд"
    countdown = page.text_content("[data-egov-countdown]")
    seconds = int(re.search(r"\d+", countdown).group())
    form = (
        "Осталась {} секунда"
        if seconds % 10 == 1 and seconds % 100 != 11
        else (
            "Осталось {} секунды"
            if seconds % 10 in (2, 3, 4) and seconds % 100 not in (12, 13, 14)
            else "Осталось {} секунд"
        )
    )
    assert countdown == form.format(seconds)
    SigningSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page.wait_for_selector("[data-egov-restart]:not([hidden])")
    assert page.get_attribute("[data-egov-status]", "data-code") == "mobile_sign_expired"
    assert "истёк" in page.text_content("[data-egov-status]")
    assert page.is_hidden("[data-egov-qr]")
    page.click("[data-egov-restart]")  # the script is running: it showed the expiry
    page.wait_for_selector("[data-egov-qr][data-qr-text]")
    second = page.get_attribute("[data-egov-qr]", "data-qr-text")
    assert second != first
    phone_signs(second, egov["pki"], "abenova")
    page.wait_for_url(re.compile(r"\?registered=1$"))
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert not page.errors
