"""The head's result signed with eGov mobile: the phone is given exactly the bytes the
key-file route signs (the PDF byte range the PAdES signature covers), and its CMS goes
through the desk's own signing action, so the document is issued the same way and verifies
with qyzmet's verifier and on the public verification page. Foreign signers, other bytes
and a changed draft are refused, nothing signed."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from qyzmet.cases.models import DecisionState, Status
from qyzmet.mobilesign.models import SigningSession, State
from qyzmet.results import pades
from qyzmet.results.models import DocumentState, ResultDocument
from qyzmet.testing import build_case

from .conftest import fetch, logged_in, put, signed_body, start

pytestmark = pytest.mark.django_db


def start_url(application) -> str:
    return reverse("mobilesign:start_result", args=[application.public_id])


def signer(demo_pki, person: str):
    return lambda data: demo_pki.sign(person, data)


@pytest.fixture
def head_page(staff):
    return logged_in(staff["head"])


def assert_nothing_signed(application):
    application.refresh_from_db()
    assert application.status == Status.SIGNING
    decision = application.decisions.get()
    assert decision.state == DecisionState.AWAITING_SIGNATURE and decision.signature is None
    assert ResultDocument.objects.get(decision=decision).state == DocumentState.PREPARED


@pytest.mark.parametrize("key", ["zhumabaev", "zhumabaev-rsa"], ids=["gost2015-512", "rsa-legacy"])
def test_the_head_signs_by_phone_and_the_result_is_issued(
    awaiting, head_page, phone, demo_pki, client, key
):
    decision = awaiting.decisions.get()
    started = start(head_page, start_url(awaiting), decision=decision.pk)
    api1, api2 = fetch(phone, started)
    assert awaiting.registration_number in api1["description"]
    [document] = api2["documentsToSign"]
    assert document["id"] == f"result-{awaiting.registration_number}-{decision.pk}"
    assert base64.b64decode(document["document"]["file"]["data"]) == bytes(decision.signed_content)

    answer = put(phone, api1, signed_body(api2, signer(demo_pki, key)))
    assert answer.status_code == 200, answer.content
    awaiting.refresh_from_db()
    # The paper route: signed by the head, then printed and handed over by the clerk.
    assert awaiting.status == Status.AWAITING_HANDOVER
    decision.refresh_from_db()
    assert decision.state == DecisionState.SIGNED and decision.signed_by.username == "head"
    assert decision.signer_certificate["algorithm"] == demo_pki.person(key)["algorithm"]
    issued = ResultDocument.objects.get(decision=decision)
    assert issued.state == DocumentState.ISSUED
    assert head_page.get(started["status_url"]).json()["redirect"] == (
        f"/office/cases/{awaiting.public_id}/"
    )

    with issued.pdf.open("rb") as handle:
        pdf = handle.read()
    from qyzmet.eds.certificate import pem_or_der

    roots = [p.read_bytes() for p in sorted((demo_pki.directory / "ca").iterdir())]
    check = pades.validate(pdf, trust_roots=[d for r in roots for d in pem_or_der(r)])
    assert check.code == "valid"
    page = client.get(
        reverse("results:verify", args=[awaiting.registration_number, issued.token])
    ).content.decode()
    assert "Документ подлинный" in page and demo_pki.person("zhumabaev")["iin"] in page


@pytest.mark.parametrize(
    ("person", "alter", "code"),
    [
        (
            "kim",
            False,
            "mobile_sign_other_signer",
        ),  # the executor: the provider's BIN, not the head
        ("abenova", False, "mobile_sign_other_signer"),
        ("zhumabaev", True, "mobile_sign_other_bytes"),
    ],
    ids=["executor", "applicant", "altered-bytes"],
)
def test_a_foreign_or_altered_signature_signs_nothing(
    awaiting, head_page, phone, demo_pki, person, alter, code
):
    decision = awaiting.decisions.get()
    api1, api2 = fetch(phone, start(head_page, start_url(awaiting), decision=decision.pk))
    answer = put(phone, api1, signed_body(api2, signer(demo_pki, person), alter=alter))
    assert answer.json()["code"] == code
    assert_nothing_signed(awaiting)
    assert SigningSession.objects.get().state == State.WAITING


def test_a_returned_draft_makes_the_qr_stale(awaiting, head_page, phone, demo_pki, staff):
    from qyzmet.workflow import actions as flow

    decision = awaiting.decisions.get()
    api1, api2 = fetch(phone, start(head_page, start_url(awaiting), decision=decision.pk))
    body = signed_body(api2, signer(demo_pki, "zhumabaev"))
    flow.return_decision(staff["head"], awaiting, comment="Уточнить условия.")
    answer = put(phone, api1, body)
    assert answer.status_code == 409 and answer.json()["code"] == "mobile_sign_stale"
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PREPARING
    assert not ResultDocument.objects.filter(state=DocumentState.ISSUED).exists()


def test_only_the_head_of_the_shown_decision_starts_a_qr(awaiting, head_page, staff):
    decision = awaiting.decisions.get()
    other = head_page.post(start_url(awaiting), {"decision": decision.pk + 1})
    assert other.status_code == 400 and other.json()["code"] == "signature_content_mismatch"
    executor = logged_in(staff["executor"]).post(start_url(awaiting), {"decision": decision.pk})
    assert executor.status_code == 403 and executor.json()["code"] == "permission_denied"
    assert not SigningSession.objects.exists()


@pytest.mark.parametrize("service", ["temporary-export", "restoration-approval"])
@pytest.mark.parametrize("kind", ["approval", "refusal"])
def test_both_services_approvals_and_refusals_are_issued_by_phone(
    catalog, staff, head_page, phone, demo_pki, service, kind
):
    from qyzmet.workflow import actions as flow

    if kind == "approval":
        application = build_case(staff, "prepared", service=service)
    else:
        application = build_case(staff, "assigned", service=service)
        flow.record_completeness_check(
            staff["executor"],
            application,
            complete=False,
            reason_codes=["incomplete_documents"],
            explanation="Не представлены документы.",
        )
    decision = application.decisions.get()
    assert decision.kind == kind
    api1, api2 = fetch(phone, start(head_page, start_url(application), decision=decision.pk))
    assert put(phone, api1, signed_body(api2, signer(demo_pki, "zhumabaev"))).status_code == 200
    decision.refresh_from_db()
    assert decision.state == DecisionState.SIGNED
    assert ResultDocument.objects.get(decision=decision).state == DocumentState.ISSUED


def test_the_qr_signs_the_document_prepared_for_the_head_who_started_it(
    awaiting, head_page, phone, demo_pki, staff
):
    """Another head had the document prepared for them (opened the sign page); the head who
    starts eGov mobile has it prepared again for themselves, and the phone signs that; another
    preparation meanwhile makes the QR stale and signs nothing."""
    from qyzmet.accounts.models import Role, User
    from qyzmet.results.queries import document_view

    head_a = User.objects.create_user("head-a", role=Role.HEAD, last_name="Ахметова")
    assert logged_in(head_a).get(f"/office/cases/{awaiting.public_id}/sign/").status_code == 200
    decision = awaiting.decisions.get()
    started = start(head_page, start_url(awaiting), decision=decision.pk)
    document = ResultDocument.objects.get(decision=decision)
    assert document.prepared_for == staff["head"]
    api1, api2 = fetch(phone, started)
    decision.refresh_from_db()
    [to_sign] = api2["documentsToSign"]
    assert base64.b64decode(to_sign["document"]["file"]["data"]) == bytes(decision.signed_content)

    # Head A opens the page again before the phone answers: the QR's bytes are stale.
    logged_in(head_a).get(f"/office/cases/{awaiting.public_id}/sign/")
    answer = put(phone, api1, signed_body(api2, signer(demo_pki, "zhumabaev")))
    assert answer.status_code == 409 and answer.json()["code"] == "mobile_sign_stale"
    assert_nothing_signed(awaiting)

    # A new QR of the head: prepared for the head again, signed, issued naming the head.
    started = start(head_page, start_url(awaiting), decision=decision.pk)
    api1, api2 = fetch(phone, started)
    answer = put(phone, api1, signed_body(api2, signer(demo_pki, "zhumabaev")))
    assert answer.status_code == 200, answer.content
    document.refresh_from_db()
    assert document.state == DocumentState.ISSUED
    block = next(b for b in document_view(document).blocks if b.type == "signature")
    assert block.signer.name == staff["head"].display_name
