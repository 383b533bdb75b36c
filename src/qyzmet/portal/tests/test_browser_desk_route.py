"""The whole electronic route in Chromium, each person in a browser of their own: the
applicant signs up with the demo AUTH key, applies with the documents the page asks for,
signs with the demo SIGN key and sees the incoming number; the provider's staff process the
case in the office desk (the head assigns, the executor checks and prepares, the head signs
the result PDF in the page with the demo head's key file: the GOST-2015/512 one, or the
legacy RSA kit); the case is issued at once (no hand-over on the portal channel); the
applicant views the output document in the page and saves the signed PDF, which qyzmet's
verifier (GOST) or poppler's pdfsig (RSA; it knows no GOST) validates as signed by the demo
head under the trusted demo root."""

from __future__ import annotations

import re

import pytest

from qyzmet.cases.models import Application, Status
from qyzmet.office.tests.desk import Desk, assign, check_and_prepare, sign
from qyzmet.results import pades, queries
from qyzmet.results.tests.tools import pdfsig
from qyzmet.workflow.models import Step

from .browser import apply_and_sign, sign_up_in_browser
from .conftest import SHOTS

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


def process_in_the_desk(desk, application: Application, pki, kit: str) -> None:
    head = desk.log_in("head")
    assign(desk, head, application)
    check_and_prepare(desk, desk.log_in("executor"), application)
    sign(desk, head, application, key_file=pki.p12_path(kit), password=pki.person(kit)["password"])
    head.wait_for_selector('[data-status="issued"]')
    desk.shot(head, f"10-case-issued-{application.service_version.service_code}")


def save_result_pdf(page, folder) -> bytes:
    with page.expect_download() as download:
        page.click("text=Сохранить (PDF с ЭЦП)")
    saved = folder / "saved.pdf"
    download.value.save_as(saved)
    return saved.read_bytes()


@pytest.mark.parametrize(
    ("person", "kind", "service", "kit"),
    [
        ("abenova", "individual", "temporary-export", "zhumabaev"),  # the head's GOST key
        # the company's head applies; the provider's head signs with the legacy RSA kit
        ("serikbaev", "legal_entity", "restoration-approval", "zhumabaev-rsa"),
    ],
    ids=["individual-gost", "legal-entity-rsa"],
)
def test_portal_application_processed_in_the_desk(
    page, portal, desk, tmp_path, person, kind, service, kit
):
    sign_up_in_browser(page, portal, person)
    number = apply_and_sign(page, portal, service, person)
    application = Application.objects.get(registration_number=number)
    assert (application.channel, application.applicant_kind) == ("portal", kind)

    process_in_the_desk(desk, application, portal["pki"], kit)
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
    saved = save_result_pdf(page, tmp_path)
    head = pki.person(kit)
    assert not page.errors
    if kit == "zhumabaev":  # GOST: qyzmet's verifier (poppler knows no GOST)
        verdict = pades.validate(saved, trust_roots=queries.trust_roots())
        assert verdict.code == "valid"
        assert verdict.signer.subject.native["serial_number"] == f"IIN{head['iin']}"
        key = verdict.signer["tbs_certificate"]["subject_public_key_info"]["algorithm"]
        assert key["algorithm"].dotted == "1.2.398.3.10.1.1.2.2"
        return
    # RSA: poppler (pyHanko's synchronous API cannot run beside Playwright's event loop)
    report = pdfsig(
        saved,
        tmp_path / "pdfsig",
        roots=[pki.ca_pem("root")],
        intermediates=[pki.ca_pem("intermediate")],
        ocsp=False,  # the demo responder's address is `make run`'s, not this live server's
    )
    assert "Signature is Valid." in report, report
    assert "Certificate is Trusted." in report, report
    assert f"Signer Certificate Common Name: {head['common_name']}\n" in report, report
