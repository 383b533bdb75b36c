"""The whole portal route in Chromium to the signed PDF: sign-up, application, signature,
incoming number; the provider processes the case (actions layer, the head signs the result
PDF with the demo head key); the applicant views the output document in the page and saves
the signed PDF, which poppler's pdfsig validates as signed by the demo head under the trusted
demo root."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from qyzmet.accounts.models import Role
from qyzmet.cases.models import Application
from qyzmet.conftest import make_user
from qyzmet.results.tests.tools import pdfsig
from qyzmet.workflow import actions as workflow

from .conftest import SHOTS
from .test_browser import apply_and_sign, sign_up_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def issue(portal, application: Application) -> None:
    """The provider's side through the actions layer (the office desk does the same), in a
    thread of its own: pyHanko runs asyncio, and Playwright's sync API holds this thread's
    event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_issue, portal, application).result()


def _issue(portal, application: Application) -> None:
    from django.db import connection

    try:
        _issue_steps(portal, application)
    finally:
        connection.close()


def _issue_steps(portal, application: Application) -> None:
    pki = portal["pki"]
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


def test_individual_route_to_the_signed_pdf(page, portal, tmp_path):
    sign_up_in_browser(page, portal, "abenova")
    number = apply_and_sign(page, portal, "temporary-export", "abenova")
    application = Application.objects.get(registration_number=number)
    issue(portal, application)
    page.goto(f"{portal['url']}/applications/{application.public_id}/")
    assert "результат выдан" in page.content()
    page.click("text=Просмотреть выходной документ")
    page.wait_for_url(re.compile(r"/result/$"))
    assert "Свидетельство на право временного вывоза культурных ценностей" in page.content()
    page.screenshot(path=str(SHOTS / "result.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=Сохранить (PDF с ЭЦП)")
    saved = tmp_path / "saved.pdf"
    download.value.save_as(saved)
    pki = portal["pki"]
    report = pdfsig(
        saved.read_bytes(),
        tmp_path / "pdfsig",
        roots=[pki.ca_pem("root")],
        intermediates=[pki.ca_pem("intermediate")],
        ocsp=False,  # the demo responder's address is `make run`'s, not this live server's
    )
    assert "Signature is Valid." in report, report
    assert "Certificate is Trusted." in report, report
    head = pki.person("zhumabaev")["common_name"]
    assert f"Signer Certificate Common Name: {head}\n" in report, report
    assert not page.errors
