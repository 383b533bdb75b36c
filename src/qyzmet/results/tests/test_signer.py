"""The signature block names the head who signs, their position and the signing day (issue 10,
item 2): the document is prepared again for the head who opens the sign page (or asks for the
bytes), and a signature over a document prepared for another head or on another day is
refused without issuing anything. The PDFs are read with pdftotext."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from qyzmet.accounts.models import Role, User
from qyzmet.cases.models import DecisionState
from qyzmet.core.refusals import Refused
from qyzmet.results import actions
from qyzmet.results.models import DocumentState, OutgoingRegister, ResultDocument
from qyzmet.results.queries import decision_view, document_view
from qyzmet.testing import DEMO_STAFF_PASSWORD, CaseBuilder, session_pki
from qyzmet.workflow import actions as flow

from .tools import pdftotext

pytestmark = pytest.mark.django_db

HEAD_KEY = "zhumabaev"  # the demo head's key: staff["head"] has its IIN


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def heads(staff):
    """Head A, who assigns the case (so the executor's draft names A), and head B, who signs
    it (the demo head, with the key's IIN); each with a position of their own."""
    head_a = User.objects.create_user(
        "head-a",
        password=DEMO_STAFF_PASSWORD,
        role=Role.HEAD,
        last_name="Ахметова",
        first_name="Сауле",
        position_kk="Басшының орынбасары",
        position_ru="Заместитель руководителя",
    )
    head_b = staff["head"]
    head_b.position_kk = "Басқарма басшысы"
    head_b.position_ru = "Руководитель управления"
    head_b.save(update_fields=["position_kk", "position_ru"])
    return head_a, head_b


@pytest.fixture
def day_one(monkeypatch):
    """Yesterday, by the clock the application reads (``timezone.now``): ``undo()`` returns
    to today. The TSA and the certificates keep the real time."""
    real_now = timezone.now
    moment = real_now() - timedelta(days=1)

    class Day:
        date = timezone.localdate(moment, actions.SIGNING_ZONE)
        today = timezone.localdate(real_now(), actions.SIGNING_ZONE)

        @staticmethod
        def undo():
            monkeypatch.setattr(timezone, "now", real_now)

    monkeypatch.setattr(timezone, "now", lambda: moment)
    return Day


def prepared_by_executor(staff, head_a):
    """A case assigned by head A and prepared by the executor: the draft names A."""
    return CaseBuilder({**staff, "head": head_a}, session_pki()).make("prepared")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def office(application, tail: str) -> str:
    return f"/office/cases/{application.public_id}/{tail}"


def signature_of(content: bytes) -> str:
    """The demo head's detached CMS over ``content``, as the page posts it (base64)."""
    return base64.b64encode(session_pki().sign(HEAD_KEY, content)).decode()


def post_signature(client, application, signature: str):
    """The sign page posts the head's signature (its script asks for JSON)."""
    return client.post(
        office(application, "sign/submit/"),
        {"decision": application.decisions.get().pk, "signature": signature},
        HTTP_ACCEPT="application/json",
    )


def sign_on_page(client, application):
    """What the sign page does: fetch the bytes prepared for its head, sign them, post."""
    content = client.get(office(application, "decision.bin")).content
    return post_signature(client, application, signature_of(content))


def signed_text(document: ResultDocument, folder) -> str:
    with document.pdf.open("rb") as handle:
        return words(pdftotext(handle.read(), folder))


def test_prepared_on_day_one_for_head_a_signed_by_head_b_on_day_two_names_b_and_day_two(
    catalog, staff, heads, day_one, tmp_path
):
    head_a, head_b = heads
    application = prepared_by_executor(staff, head_a)
    draft = ResultDocument.objects.get(application=application)
    draft_text = words(pdftotext(bytes(draft.prepared_pdf), tmp_path))
    day1 = day_one.date.strftime("%d.%m.%Y")
    assert head_a.display_name in draft_text and day1 in draft_text  # the executor's draft
    number = draft.number
    day_one.undo()

    # Day 2: head B opens the sign page, fetches the bytes, signs them with the key, posts.
    client = client_for(head_b)
    assert client.get(office(application, "sign/")).status_code == 200
    answer = sign_on_page(client, application)
    assert answer.status_code == 200, answer.content

    document = ResultDocument.objects.get(pk=draft.pk)
    assert document.state == DocumentState.ISSUED
    text = signed_text(document, tmp_path)
    day2 = day_one.today.strftime("%d.%m.%Y")
    assert head_b.display_name in text
    assert "Басқарма басшысы / Руководитель управления" in text
    assert day2 in text
    assert head_a.display_name not in text and "Заместитель руководителя" not in text
    assert day1 not in text
    # The outgoing number did not change, and no second one was taken.
    assert document.number == number and number in text
    assert OutgoingRegister.objects.get(kind=document.kind).last_number == 1
    # The HTML view of the issued document says the same.
    signature = next(b for b in document_view(document).blocks if b.type == "signature").signer
    assert (signature.name, signature.date) == (head_b.display_name, day2)
    assert signature.position == "Басқарма басшысы / Руководитель управления"


def test_the_heads_preview_names_the_head_who_opened_the_sign_page(
    catalog, staff, heads, day_one, tmp_path
):
    head_a, head_b = heads
    application = prepared_by_executor(staff, head_a)
    day_one.undo()
    client_for(head_b).get(office(application, "sign/"))
    document = ResultDocument.objects.get(application=application)
    preview = words(pdftotext(actions.preview_pdf(document), tmp_path))
    today = day_one.today.strftime("%d.%m.%Y")
    assert head_b.display_name in preview and "Руководитель управления" in preview
    assert today in preview and head_a.display_name not in preview
    signature = next(
        b for b in decision_view(application.decisions.get()).blocks if b.type == "signature"
    ).signer
    assert (signature.name, signature.date) == (head_b.display_name, today)


def test_a_signature_over_the_document_prepared_for_another_head_is_refused(
    catalog, staff, heads, tmp_path
):
    head_a, head_b = heads
    application = prepared_by_executor(staff, head_a)
    number = ResultDocument.objects.get(application=application).number
    # B's page gets the bytes prepared for B; B signs them; meanwhile A opens the sign page.
    b_page = client_for(head_b)
    signature = signature_of(b_page.get(office(application, "decision.bin")).content)
    client_for(head_a).get(office(application, "sign/"))
    answer = post_signature(b_page, application, signature)
    assert answer.status_code == 400
    assert answer.json()["code"] == "result_prepared_for_other_head"
    assert "другого руководителя" in answer.json()["message"]
    # The page's script goes back to the sign page: the document prepared again, and why.
    page = b_page.get(answer.json()["reload"]).content.decode()
    assert "data-sign-error" in page and "другого руководителя" in page
    # Nothing issued; the page prepared the document for B again, under the same number.
    decision = application.decisions.get()
    document = ResultDocument.objects.get(application=application)
    assert decision.state == DecisionState.AWAITING_SIGNATURE and not decision.signed_by
    assert document.state == DocumentState.PREPARED and not document.pdf
    assert document.prepared_for == head_b and document.number == number
    # Signed again over the bytes now prepared for B: issued, naming B.
    answer = sign_on_page(b_page, application)
    assert answer.status_code == 200, answer.content
    document.refresh_from_db()
    text = signed_text(document, tmp_path)
    assert head_b.display_name in text and head_a.display_name not in text
    assert document.number == number


def test_a_signature_made_on_the_day_before_is_refused(catalog, staff, heads, day_one, tmp_path):
    head_a, head_b = heads
    application = prepared_by_executor(staff, head_a)
    number = ResultDocument.objects.get(application=application).number
    # Day 1: B's page has the document prepared for B, B signs it; it reaches us on day 2.
    page = client_for(head_b)
    signature = signature_of(page.get(office(application, "decision.bin")).content)
    day_one.undo()
    page.force_login(head_b)  # the staff session of day 1 has expired
    answer = post_signature(page, application, signature)
    assert answer.status_code == 400
    assert answer.json()["code"] == "result_signing_day_changed"
    document = ResultDocument.objects.get(application=application)
    assert application.decisions.get().state == DecisionState.AWAITING_SIGNATURE
    assert document.state == DocumentState.PREPARED and not document.pdf
    # The page prepared it again: today's date, the same number; signed now, it is issued.
    assert (document.prepared_on, document.number) == (day_one.today, number)
    answer = sign_on_page(page, application)
    assert answer.status_code == 200, answer.content
    document.refresh_from_db()
    text = signed_text(document, tmp_path)
    assert day_one.today.strftime("%d.%m.%Y") in text
    assert day_one.date.strftime("%d.%m.%Y") not in text


def test_the_action_refuses_a_document_prepared_on_another_day(catalog, staff, heads, day_one):
    """The check is the workflow action's, whatever route the signature comes by."""
    _, head_b = heads
    application = CaseBuilder(staff, session_pki()).make("prepared")
    decision = flow.prepare_signing(head_b, application)
    content = bytes(decision.signed_content)
    day_one.undo()
    with pytest.raises(Refused) as refused:
        flow.sign_decision(
            head_b,
            application,
            signature=session_pki().sign(HEAD_KEY, content),
            signed_content=content,
        )
    assert refused.value.code == "result_signing_day_changed"
    assert ResultDocument.objects.get(application=application).state == DocumentState.PREPARED


def test_opening_the_page_again_the_same_day_keeps_the_bytes(catalog, staff, heads):
    _, head_b = heads
    application = CaseBuilder(staff, session_pki()).make("prepared")
    first = bytes(flow.prepare_signing(head_b, application).signed_content)
    assert bytes(flow.prepare_signing(head_b, application).signed_content) == first


def test_only_a_head_has_the_document_prepared(catalog, staff):
    application = CaseBuilder(staff, session_pki()).make("prepared")
    with pytest.raises(Refused) as refused:
        flow.prepare_signing(staff["executor"], application)
    assert refused.value.code == "permission_denied"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's (see test_locking)"
)
def test_preparing_for_a_head_and_signing_wait_for_each_other(catalog, staff, heads):
    """Head A's preparation and head B's signature lock the case: while A's preparation is
    uncommitted, B's signature waits (it does not sign the document A's preparation is
    replacing); afterwards B's signature over B's bytes is refused as prepared for A."""
    from qyzmet.testing import held, is_lock_timeout, without_waiting

    head_a, head_b = heads
    application = CaseBuilder(staff, session_pki()).make("prepared")
    content = bytes(flow.prepare_signing(head_b, application).signed_content)
    signature = session_pki().sign(HEAD_KEY, content)

    def sign():
        return flow.sign_decision(head_b, application, signature=signature, signed_content=content)

    with held(lambda: flow.prepare_signing(head_a, application)):
        with pytest.raises(OperationalError) as raised:
            without_waiting(sign)
        assert is_lock_timeout(raised.value)
    with pytest.raises(Refused) as refused:
        without_waiting(sign)
    assert refused.value.code == "result_prepared_for_other_head"
    document = ResultDocument.objects.get(application=application)
    assert (document.state, document.prepared_for) == (DocumentState.PREPARED, head_a)
    # The bytes on the decision are those of the document prepared for A.
    decision = application.decisions.get()
    assert actions.pades.PreparedPdf(
        bytes(document.prepared_pdf), document.region_start, document.region_end
    ).covered == bytes(decision.signed_content)
