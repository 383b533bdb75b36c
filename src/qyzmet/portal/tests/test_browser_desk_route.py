"""The whole electronic route in Chromium, each person in a browser of their own: the
applicant signs up with the demo AUTH key, applies with the documents the page asks for,
signs with the demo SIGN key and sees the incoming number; the provider's staff process the
case in the office desk (the head assigns, the executor checks and prepares, the head signs
the result PDF in the page with the demo head's key file); the case is issued at once (no
hand-over on the portal channel); the applicant views the output document in the page and
saves the signed PDF, which poppler's pdfsig validates as signed by the demo head under the
trusted demo root."""

from __future__ import annotations

import re

import pytest

from qyzmet.cases.models import Application, Status
from qyzmet.office.tests.desk import Desk, assign, check_and_prepare, sign
from qyzmet.results.tests.tools import pdfsig
from qyzmet.workflow.models import Step

from .conftest import SHOTS
from .test_browser import apply_and_sign, sign_up_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The result's name as the applicant reads it on the output document.
RESULT_NAME = {
    "temporary-export": "Свидетельство на право временного вывоза культурных ценностей",
    "restoration-approval": "Согласование проведения научно-реставрационных работ",
}


@pytest.fixture
def desk(browser, portal, staff):
    """The provider's office on the portal's live server, its screens beside the portal's."""
    office = Desk(browser, portal["url"], portal["pki"], SHOTS, prefix="desk-")
    yield office
    office.close()
    assert office.unexpected_errors() == []


def process_in_the_desk(desk, application: Application) -> None:
    head = desk.log_in("head")
    assign(desk, head, application)
    check_and_prepare(desk, desk.log_in("executor"), application)
    sign(desk, head, application)
    head.wait_for_selector('[data-status="issued"]')
    desk.shot(head, f"10-case-issued-{application.service_version.service_code}")


def save_result_pdf(page, folder) -> bytes:
    with page.expect_download() as download:
        page.click("text=Сохранить (PDF с ЭЦП)")
    saved = folder / "saved.pdf"
    download.value.save_as(saved)
    return saved.read_bytes()


@pytest.mark.parametrize(
    ("person", "kind", "service"),
    [
        ("abenova", "individual", "temporary-export"),
        ("serikbaev", "legal_entity", "restoration-approval"),  # the company's head
    ],
    ids=["individual", "legal-entity"],
)
def test_portal_application_processed_in_the_desk(
    page, portal, desk, tmp_path, person, kind, service
):
    sign_up_in_browser(page, portal, person)
    number = apply_and_sign(page, portal, service, person)
    application = Application.objects.get(registration_number=number)
    assert (application.channel, application.applicant_kind) == ("portal", kind)

    process_in_the_desk(desk, application)
    application.refresh_from_db()
    assert application.status == Status.ISSUED and application.outcome == "approved"
    assert application.decisions.get().signed_by.username == "head"
    assert not application.tasks.filter(step=Step.HANDOVER).exists()

    page.goto(f"{portal['url']}/applications/{application.public_id}/")
    assert page.get_attribute("[data-status]", "data-status") == Status.ISSUED
    assert "результат выдан" in page.inner_text("[data-status]")
    page.click("text=Просмотреть выходной документ")
    page.wait_for_url(re.compile(r"/result/$"))
    document = page.inner_text("article.document")
    assert RESULT_NAME[service] in document and application.applicant_name in document
    page.screenshot(path=str(SHOTS / f"result-{service}.png"), full_page=True)

    pki = portal["pki"]
    report = pdfsig(
        save_result_pdf(page, tmp_path),
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
