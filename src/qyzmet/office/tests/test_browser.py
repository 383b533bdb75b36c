"""End-to-end in Debian's Chromium (Playwright) against a live server: the whole office route
of both services (p.10 "через услугодателя") — the clerk registers with a look-up in GBD
FL/UL through the registry simulator process, the head assigns, the executor checks and
prepares, the head signs in the page with the demo head's key file, the clerk prints the
result and records the hand-over, the head revokes the document — and the refusal paths. Each desk is its own browser
context at 1366×768; every screen is saved as a screenshot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from qyzmet.cases.models import Application, Status
from qyzmet.results.models import ResultDocument
from qyzmet.testing import form_for, pdf_bytes, png_bytes

from .desk import Desk, assign, case_url, check_and_prepare, sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("QYZMET_SCREENSHOTS", "/tmp/qyzmet-office-shots"))
FOUND_IIN = "900101300007"  # in the simulator's seed
UNKNOWN_IIN = "990101300003"  # valid, not in the seed


@pytest.fixture
def desk(browser, live_server, catalog, staff, gateway, demo_pki, media, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "заявление.pdf").write_bytes(pdf_bytes("application"))
    (files / "photo-1.png").write_bytes(png_bytes())
    (files / "photo-2.png").write_bytes(png_bytes(3, 3))
    office = Desk(browser, live_server.url, demo_pki, SHOTS, files=files)
    yield office
    office.close()
    # No script error and no missing resource on any page of the route.
    assert office.unexpected_errors() == []


def flatten(data, prefix: str = "") -> list[tuple[str, object]]:
    """Form data as (dotted field name, value) pairs, the way the page names its inputs."""
    pairs = []
    if isinstance(data, dict):
        for key, value in data.items():
            pairs += flatten(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(data, list) and data and isinstance(data[0], dict):
        for index, item in enumerate(data):
            pairs += flatten(item, f"{prefix}.{index}")
    else:
        pairs.append((prefix, data))
    return pairs


def fill_form(page, data: dict) -> None:
    for name, value in flatten(data):
        if isinstance(value, list):  # a checkbox group (enum items)
            for option in value:
                page.check(f'input[name="{name}"][value="{option}"]')
            continue
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))


def register_paper_application(desk, clerk, service: str, items: int = 1) -> Application:
    """The clerk's whole intake: service, look-up, form, documents, scans, receipt."""
    clerk.goto(desk.url + "/office/register/")
    desk.shot(clerk, "02-register-choose")
    clerk.click(f'a[href="/office/register/{service}/"]')
    clerk.fill("#identifier", FOUND_IIN)
    clerk.click("button[data-lookup]")
    clerk.wait_for_selector("[data-lookup-found]")
    assert clerk.input_value("#applicant_name") == "Абенова Дана Ерлановна"
    data = form_for(service)
    if service == "temporary-export" and items > 1:
        data["items"] = data["items"] + [dict(data["items"][0], name="Кувшин", photo="photo-2.png")]
        for _ in range(items - 1):
            clerk.click("[data-repeat-add]")  # a second row, added by the page's script
    fill_form(clerk, data)
    for box in clerk.locator('input[name="paper_documents"]').all():
        box.check()
    clerk.set_input_files('input[name="scan_application"]', str(desk.files / "заявление.pdf"))
    if service == "temporary-export":
        clerk.set_input_files(
            'input[name="scan_photos"]',
            [str(desk.files / "photo-1.png"), str(desk.files / "photo-2.png")],
        )
        assert clerk.locator("[data-file-list] li").count() == 3
    desk.shot(clerk, f"03-register-form-{service}")
    # A double click registers once (the page sends one request; the key guards the rest).
    clerk.dblclick('button[value="register"]')
    clerk.wait_for_url("**/receipt/")
    number = clerk.inner_text("[data-reg-number]")
    desk.shot(clerk, f"04-receipt-{service}")
    application = Application.objects.get(registration_number=number)
    assert (
        Application.objects.filter(
            applicant_iin=FOUND_IIN, service_version__service_code=service
        ).count()
        == 1
    )
    return application


def hand_over(desk, clerk, application):
    clerk.goto(case_url(desk, application))
    clerk.click("a:text-is('Печать результата')")
    clerk.wait_for_selector("[data-result]")
    desk.shot(clerk, "11-result-print")
    clerk.go_back()
    clerk.fill("#handed_to_document", "удостоверение личности № 045678912")
    desk.shot(clerk, "12-handover")
    clerk.click("button:text-is('Отметить выдачу')")
    clerk.wait_for_selector("[data-handover]")


def revoke(desk, head, application, reason: str):
    """The head revokes the issued document; the public page behind the QR code says so."""
    head.goto(case_url(desk, application))
    head.click('a[href$="/result/revoke/"]')
    head.fill("#reason", reason)
    desk.shot(head, "16-revoke")
    head.click("form[data-revoke] button[type=submit]")
    head.wait_for_selector("[data-revoked]")
    assert reason in head.inner_text("[data-revoked]")
    document = ResultDocument.objects.get(application=application)
    path = reverse("results:verify", args=[application.registration_number, document.token])
    # Fetched, not opened: the public page has no favicon and Chromium would log its 404.
    public = head.request.get(desk.url + path, headers={"Accept-Language": "ru"}).text()
    assert "verdict-revoked" in public and reason in public


@pytest.mark.parametrize("service", ["temporary-export", "restoration-approval"])
def test_whole_office_route(desk, service):
    clerk = desk.log_in("clerk")
    desk.shot(clerk, "01-inbox-clerk")
    application = register_paper_application(desk, clerk, service, items=2)
    assert application.applicant_details["source"] == "gbd_fl"
    assert application.attachments.count() == (3 if service == "temporary-export" else 1)
    if service == "temporary-export":
        assert len(application.form_data["items"]) == 2

    head = desk.log_in("head")
    assign(desk, head, application)
    executor = desk.log_in("executor")
    check_and_prepare(desk, executor, application)

    sign(desk, head, application)
    head.wait_for_selector('[data-status="awaiting_handover"]')
    desk.shot(head, "10-case-signed")
    head.click("nav a:text-is('Сводка')")
    head.wait_for_selector("[data-dashboard]")
    assert head.inner_text('[data-dashboard] tr[data-step="sign"] td:nth-child(5)') == "1"
    desk.shot(head, "14-dashboard")
    head.click("button[name=language][value=kk]")
    head.wait_for_selector("html[lang=kk]")
    desk.shot(head, "15-dashboard-kk")
    application.refresh_from_db()
    decision = application.decisions.get()
    assert decision.signed_by.username == "head"
    assert decision.result_data["conditions"].startswith("Вернуть")

    hand_over(desk, clerk, application)
    application.refresh_from_db()
    assert application.status == Status.ISSUED and application.outcome == "approved"
    assert application.handover.handed_to == "Абенова Дана Ерлановна"
    desk.shot(clerk, f"13-case-issued-{service}")

    revoke(desk, head, application, "Выдан по ошибке: неверные реквизиты.")


def test_refusal_paths(desk):
    clerk = desk.log_in("clerk")
    # Process 5: no data in GBD FL → a clear message, then manual entry with a reason and
    # an incomplete package → the receipt of refusal.
    clerk.goto(desk.url + "/office/register/temporary-export/")
    clerk.fill("#identifier", UNKNOWN_IIN)
    clerk.click("button[data-lookup]")
    assert "отсутствуют в ГБД ФЛ" in clerk.inner_text("#lookup-error")
    desk.shot(clerk, "20-lookup-no-data")
    clerk.check("[data-manual-toggle]")
    clerk.fill("#applicant_name", "Нұрланов Әлихан")
    clerk.fill("#manual_reason", "Данные сверены по удостоверению личности.")
    clerk.check('input[name="paper_documents"][value="application"]')
    clerk.click('button[value="refuse"]')
    clerk.wait_for_url("**/receipt/")
    assert "Расписка об отказе" in clerk.inner_text("h1")
    assert "Цветные фотографии каждого предмета" in clerk.inner_text("[data-list=missing]")
    desk.shot(clerk, "21-refusal-receipt")
    refused = Application.objects.get(applicant_iin=UNKNOWN_IIN)
    assert refused.status == Status.INTAKE_REFUSED

    # Refusal at the completeness check, signed by the head in the page, handed over.
    application = register_paper_application(desk, clerk, "temporary-export")
    head = desk.log_in("head")
    assign(desk, head, application)
    executor = desk.log_in("executor")
    check_and_prepare(desk, executor, application, refuse_at_check=True)

    # A wrong key password is refused in the page; nothing reaches the server.
    sign(desk, head, application, password="wrong-password")
    head.wait_for_selector("[data-eds-status][data-code=wrong_password]")
    assert "Неверный пароль" in head.inner_text("[data-eds-status]")
    # The head's log-in (AUTH_) key does not sign a result: refused in the page (issue 9).
    sign(desk, head, application, key_file=desk.auth_key_file)
    head.wait_for_selector("[data-eds-status][data-code=auth_key]")
    assert "ключ для входа" in head.inner_text("[data-eds-status]")
    application.refresh_from_db()
    assert application.status == Status.SIGNING

    sign(desk, head, application)
    head.wait_for_selector('[data-status="awaiting_handover"]')
    hand_over(desk, clerk, application)
    application.refresh_from_db()
    assert application.status == Status.REFUSED
    assert application.outcome == "refused"
    assert application.refusal_codes == ["incomplete_documents"]


def test_gateway_unavailable_then_retry_and_head_returns_the_draft(desk, gateway):
    clerk = desk.log_in("clerk")
    gateway.control(fail_rate=1.0)
    clerk.goto(desk.url + "/office/register/restoration-approval/")
    clerk.fill("#identifier", FOUND_IIN)
    clerk.click("button[data-lookup]")
    assert clerk.get_attribute("#lookup-error", "data-code") == "gateway_unavailable"
    desk.shot(clerk, "22-gateway-unavailable")
    gateway.control(fail_rate=0.0)
    clerk.click("button[data-lookup]")  # "retry"
    clerk.wait_for_selector("[data-lookup-found]")

    application = register_paper_application(desk, clerk, "restoration-approval")
    head = desk.log_in("head")
    assign(desk, head, application)
    executor = desk.log_in("executor")
    check_and_prepare(desk, executor, application)
    head.goto(case_url(desk, application))
    head.click("a:text-is('Открыть страницу подписания')")
    head.fill("#comment", "Уточните сроки работ.")
    head.click("button:text-is('Вернуть')")
    head.wait_for_selector('[data-status="preparing"]')
    executor.goto(case_url(desk, application) + "prepare/")
    assert "Уточните сроки работ." in executor.inner_text("main")


def test_failed_log_in_shows_the_refusal(desk):
    context = desk.browser.new_context(viewport={"width": 1366, "height": 768}, locale="ru-RU")
    desk.contexts.append(context)
    page = context.new_page()
    page.goto(desk.url + "/office/")
    page.wait_for_url("**/office/log-in/?next=**")  # ** also matches the "/" of next
    page.fill("#username", "clerk")
    page.fill("#password", "wrong")
    page.click("button[type=submit]")
    assert "Отказ в авторизации" in page.inner_text("[role=alert]")
    desk.shot(page, "00-login-refused")
