"""The whole portal route in Chromium with the project's demo PKI (the key files `make run`
gives the demo's people): sign-up, application, signature, incoming number; the provider
processes the case (actions layer, the head signs the result PDF with the demo head key);
the applicant views the output document in the page and saves the signed PDF, which
poppler's pdfsig validates as signed by the demo head under the trusted demo root."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from qyzmet.accounts.models import Role
from qyzmet.cases.models import Application, Status
from qyzmet.conftest import make_user
from qyzmet.results.tests.tools import pdfsig
from qyzmet.workflow import actions as workflow

from .conftest import PORTAL_PASSWORD
from .test_browser import (
    SHOTS,
    fill_form,
    start_application,
    upload_documents,
    wait_registered,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_portal(demo_pki, live_server, tmp_path, settings):
    from qyzmet.catalog.loader import load_catalog
    from qyzmet.testing import form_for, pdf_bytes, png_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    load_catalog()
    files = tmp_path / "files"
    files.mkdir()
    (files / "photo-1.png").write_bytes(png_bytes())
    for code in ("items_list", "purpose_document", "project_documentation", "contractor_licence"):
        (files / f"{code}.pdf").write_bytes(pdf_bytes(code))
    SHOTS.mkdir(parents=True, exist_ok=True)
    return {"url": live_server.url, "files": files, "pki": demo_pki, "form_for": form_for}


def key_path(demo_portal, person: str, purpose: str) -> str:
    pki = demo_portal["pki"]
    return str(pki.directory / pki.person(person)[f"{purpose}_p12"])


def sign_with(page, demo_portal, person: str, purpose: str, prefix: str):
    page.set_input_files(f"#{prefix}-key", key_path(demo_portal, person, purpose))
    page.fill(f"#{prefix}-password", demo_portal["pki"].person(person)["password"])
    page.click("form[data-eds-form] button[type=submit]")


def sign_up_and_apply(page, demo_portal, person: str, service: str) -> Application:
    page.goto(f"{demo_portal['url']}/sign-up/")
    sign_with(page, demo_portal, person, "auth", "signup")
    page.wait_for_url(re.compile(r"/sign-up/password/$"))
    page.fill("#password", PORTAL_PASSWORD)
    page.fill("#email", f"{person}@example.kz")
    page.click("form[data-once] button[type=submit]")
    page.wait_for_url(re.compile(r"/applications/$"))
    draft = start_application(page, demo_portal, service)
    fill_form(page, demo_portal["form_for"](service))
    upload_documents(page, demo_portal, service)
    page.click("button[name=action][value=review]")
    page.wait_for_url(re.compile(r"/review/$"))
    sign_with(page, demo_portal, person, "sign", "sign")
    wait_registered(page)
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    assert page.locator("[data-registration-number]").text_content().strip() == (
        draft.registration_number
    )
    return draft


def issue(demo_portal, application: Application) -> None:
    """The provider's side through the actions layer (the office desk does the same), in a
    thread of its own: pyHanko runs asyncio, and Playwright's sync API holds this thread's
    event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_issue, demo_portal, application).result()


def _issue(demo_portal, application: Application) -> None:
    from django.db import connection

    try:
        _issue_steps(demo_portal, application)
    finally:
        connection.close()


def _issue_steps(demo_portal, application: Application) -> None:
    pki = demo_portal["pki"]
    head = make_user("head", Role.HEAD, iin=pki.person("zhumabaev")["iin"])
    executor = make_user("executor", Role.EXECUTOR, iin=pki.person("kim")["iin"])
    workflow.assign_executor(head, application, executor)
    workflow.record_completeness_check(executor, application, complete=True)
    decision = workflow.prepare_decision(
        executor, application, kind="approval", result_data={"country": "RU"}
    )
    content = bytes(decision.signed_content)  # the result PDF's byte range, prepared by the server
    workflow.sign_decision(
        head, application, signature=pki.sign("zhumabaev", content), signed_content=content
    )


def test_individual_route_to_the_signed_pdf(page, demo_portal, tmp_path):
    application = sign_up_and_apply(page, demo_portal, "abenova", "temporary-export")
    issue(demo_portal, application)
    page.goto(f"{demo_portal['url']}/applications/{application.public_id}/")
    assert "результат выдан" in page.content()
    page.click("text=Просмотреть выходной документ")
    page.wait_for_url(re.compile(r"/result/$"))
    assert "Свидетельство на право временного вывоза культурных ценностей" in page.content()
    page.screenshot(path=str(SHOTS / "result.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=Сохранить (PDF с ЭЦП)")
    saved = tmp_path / "saved.pdf"
    download.value.save_as(saved)
    pki = demo_portal["pki"]
    ca = pki.directory / "ca"
    report = pdfsig(
        saved.read_bytes(),
        tmp_path / "pdfsig",
        roots=[(ca / "root.pem").read_bytes()],
        intermediates=[(ca / "intermediate.pem").read_bytes()],
        ocsp=False,  # the demo responder's address is `make run`'s, not this live server's
    )
    assert "Signature is Valid." in report, report
    assert "Certificate is Trusted." in report, report
    head = pki.person("zhumabaev")["common_name"]
    assert f"Signer Certificate Common Name: {head}\n" in report, report
    assert not page.errors


def test_legal_entity_route_with_the_demo_keys(page, demo_portal):
    application = sign_up_and_apply(page, demo_portal, "serikbaev", "restoration-approval")
    assert application.applicant_bin == demo_portal["pki"].person("serikbaev")["bin"]


@pytest.mark.parametrize(("person", "message"), [("tolegenova", "отозвано"), ("eskenov", "истёк")])
def test_demo_revoked_and_expired_keys_cannot_sign_up(page, demo_portal, person, message):
    page.goto(f"{demo_portal['url']}/sign-up/")
    sign_with(page, demo_portal, person, "auth", "signup")
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-eds-status]');"
        " return s && s.textContent && !s.classList.contains('working'); }"
    )
    assert message in page.locator("[data-eds-status]").text_content()
