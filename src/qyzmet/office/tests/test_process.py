"""The executor prepares (p.8.3, p.10 условие 3 / процесс 8); the head signs with the EDS
over the exact bytes the server prepared (p.8.4, процесс 9) or returns the draft; the clerk
prints the result and records the hand-over (p.6)."""

import pytest
from django.test import Client

from qyzmet.cases.models import DecisionState, Status
from qyzmet.testing import build_case
from qyzmet.workflow import actions as flow

from .conftest import case_path, head_signature


def approval_post(app, **extra) -> dict:
    """The prepare form as posted: the prefilled fields unchanged, the approval chosen."""
    form = app.form_data
    item = form["items"][0]
    data = {
        "kind": "approval",
        "receiving_party": form["receiving_party"],
        "country": form["country"],
        "purpose": form["purpose"],
        "purpose_details": form["purpose_details"],
        "export_period.from": form["export_period"]["from"],
        "export_period.until": form["export_period"]["until"],
        **{f"items.0.{k}": v for k, v in item.items() if not isinstance(v, dict)},
        "items.0.insured_value.amount": str(item["insured_value"]["amount"]),
        "items.0.insured_value.currency": item["insured_value"]["currency"],
        "conditions": "Вернуть не позднее 30.09.2026.",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_prepare_page_is_prefilled_from_the_application(clients, staff):
    app = build_case(staff, "checked")
    page = clients["executor"].get(case_path(app, "prepare/")).content.decode()
    assert 'value="Государственный Эрмитаж"' in page
    assert 'value="Ковёр ворсовый «Қызыл гүл» №1"' in page
    assert "export_prohibited_item" in page  # a refusal reason of stage "prepare"
    assert "incomplete_documents" not in page  # a reason of stage "check" only


@pytest.mark.django_db
def test_executor_sends_an_approval_to_the_head(clients, staff):
    app = build_case(staff, "checked")
    response = clients["executor"].post(case_path(app, "prepare/"), approval_post(app))
    assert response.status_code == 302
    app.refresh_from_db()
    decision = app.decisions.get()
    assert app.status == Status.SIGNING
    assert decision.kind == "approval"
    assert decision.result_data["receiving_party"] == "Государственный Эрмитаж"
    assert decision.result_data["holder"] == app.applicant_name
    assert decision.result_data["conditions"] == "Вернуть не позднее 30.09.2026."


@pytest.mark.django_db
def test_an_invalid_result_field_is_refused_and_nothing_is_sent(clients, staff):
    app = build_case(staff, "checked")
    response = clients["executor"].post(
        case_path(app, "prepare/"), approval_post(app, **{"items.0.name": ""})
    )
    assert response.status_code == 400
    assert "Обязательное поле." in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.PREPARING and not app.decisions.exists()


@pytest.mark.django_db
def test_a_motivated_refusal_needs_reasons_of_the_prepare_stage_and_an_explanation(clients, staff):
    app = build_case(staff, "checked")
    url = case_path(app, "prepare/")
    assert clients["executor"].post(url, {"kind": "refusal"}).status_code == 400
    response = clients["executor"].post(
        url, {"kind": "refusal", "reasons": ["incomplete_documents"], "explanation": "x"}
    )
    assert response.status_code == 400
    response = clients["executor"].post(
        url,
        {"kind": "refusal", "reasons": ["grounds_not_met"], "explanation": "Нет оснований."},
    )
    assert response.status_code == 302
    decision = app.decisions.get()
    assert decision.kind == "refusal" and decision.reason_codes == ["grounds_not_met"]


def signing(staff, service="temporary-export"):
    return build_case(staff, "prepared", service=service)


@pytest.mark.django_db
def test_sign_page_shows_the_document_and_serves_the_exact_bytes(clients, staff):
    app = signing(staff)
    decision = app.decisions.get()
    page = clients["head"].get(case_path(app, "sign/")).content.decode()
    assert "data-eds-sign" in page and 'type="password"' in page
    assert f'name="decision" value="{decision.pk}"' in page
    assert "/eds/vendor/node-forge/forge.min.js" in page
    assert '<script type="module" src="/static/office/sign.js"' in page
    response = clients["head"].get(case_path(app, "decision.bin"))
    assert response["Content-Type"] == "application/octet-stream"
    assert response.content == bytes(decision.signed_content)


@pytest.mark.django_db
def test_head_signs_with_the_demo_key_and_the_paper_result_awaits_hand_over(
    clients, staff, demo_pki
):
    app = signing(staff)
    decision = app.decisions.get()
    response = clients["head"].post(
        case_path(app, "sign/submit/"),
        {
            "decision": decision.pk,
            "signature": head_signature(demo_pki, bytes(decision.signed_content)),
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "redirect": case_path(app)}
    app.refresh_from_db()
    decision.refresh_from_db()
    assert app.status == Status.AWAITING_HANDOVER
    assert decision.state == DecisionState.SIGNED and decision.signed_by == staff["head"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "purpose", "code", "says"),
    [
        ("abenova", "sign", "iin_mismatch", "ИИН"),  # another person's signing key
        # the head's own authentication key (EKU clientAuth, no emailProtection)
        ("zhumabaev", "auth", "wrong_purpose", "не предназначен"),
    ],
)
def test_a_key_that_is_not_the_heads_signing_key_is_refused(
    clients, staff, demo_pki, key, purpose, code, says
):
    app = signing(staff)
    decision = app.decisions.get()
    signature = head_signature(demo_pki, bytes(decision.signed_content), key, purpose)
    response = clients["head"].post(
        case_path(app, "sign/submit/"),
        {"decision": decision.pk, "signature": signature},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False and answer["code"] == code and says in answer["message"]
    app.refresh_from_db()
    decision.refresh_from_db()
    assert app.status == Status.SIGNING and decision.state == DecisionState.AWAITING_SIGNATURE


@pytest.mark.django_db
def test_a_signature_over_other_bytes_is_refused(clients, staff, demo_pki):
    app = signing(staff)
    decision = app.decisions.get()
    response = clients["head"].post(
        case_path(app, "sign/submit/"),
        {"decision": decision.pk, "signature": head_signature(demo_pki, b"something else")},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.SIGNING


@pytest.mark.django_db
@pytest.mark.parametrize("signature", ["", "not base64!!", "QUJD"])
def test_missing_or_garbage_signature_is_a_clear_refusal(clients, staff, signature):
    app = signing(staff)
    decision = app.decisions.get()
    response = clients["head"].post(
        case_path(app, "sign/submit/"), {"decision": decision.pk, "signature": signature}
    )
    assert response.status_code == 400
    assert "data-sign-error" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.SIGNING


@pytest.mark.django_db
def test_a_stale_page_cannot_sign_a_newer_draft(clients, staff, demo_pki):
    app = signing(staff)
    decision = app.decisions.get()
    response = clients["head"].post(
        case_path(app, "sign/submit/"),
        {"decision": decision.pk + 1000, "signature": head_signature(demo_pki, b"x")},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "signature_content_mismatch"


@pytest.mark.django_db
def test_head_returns_the_draft_and_the_executor_sees_the_comment_and_the_previous_fields(
    clients, staff
):
    app = signing(staff)
    assert clients["head"].post(case_path(app, "return/"), {"comment": ""}).status_code == 400
    response = clients["head"].post(case_path(app, "return/"), {"comment": "Уточните сроки."})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.PREPARING
    page = clients["executor"].get(case_path(app, "prepare/")).content.decode()
    assert "Уточните сроки." in page


@pytest.mark.django_db
def test_clerk_prints_the_result_and_records_the_hand_over(clients, staff, sign_as_head):
    app = signing(staff, "restoration-approval")
    sign_as_head(staff["head"], app, app.decisions.get())
    page = clients["clerk"].get(case_path(app, "result/")).content.decode()
    assert "М.П." in page and "Жумабаев Ерлан" in page
    assert "data-print" in page
    response = clients["clerk"].post(
        case_path(app, "handover/"),
        {"handed_to": "Ахметов Ерлан Болатұлы", "handed_to_document": "удостоверение № 012345678"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.ISSUED
    assert app.handover.handed_to_document == "удостоверение № 012345678"
    page = clients["clerk"].get(case_path(app)).content.decode()
    assert "data-handover" in page


@pytest.mark.django_db
def test_hand_over_needs_a_recipient_and_no_future_date(clients, staff, sign_as_head):
    app = signing(staff)
    sign_as_head(staff["head"], app, app.decisions.get())
    url = case_path(app, "handover/")
    assert clients["clerk"].post(url, {"handed_to": " "}).status_code == 400
    assert (
        clients["clerk"].post(url, {"handed_to": "А", "handed_at": "2999-01-01"}).status_code == 400
    )
    assert clients["clerk"].post(url, {"handed_to": "А", "handed_at": "garbage"}).status_code == 400
    app.refresh_from_db()
    assert app.status == Status.AWAITING_HANDOVER


@pytest.mark.django_db
def test_refused_at_check_then_signed_is_handed_over_as_a_refusal(clients, staff, sign_as_head):
    app = build_case(staff, "assigned")
    flow.record_completeness_check(
        staff["executor"],
        app,
        complete=False,
        reason_codes=["incomplete_documents"],
        explanation="Нет фото.",
    )
    sign_as_head(staff["head"], app, app.decisions.get())
    page = clients["clerk"].get(case_path(app, "result/")).content.decode()
    assert "Мотивированный отказ" in page and "Нет фото." in page


@pytest.mark.django_db
def test_result_print_before_signing_is_404(clients, staff):
    app = signing(staff)
    assert clients["clerk"].get(case_path(app, "result/")).status_code == 404


@pytest.mark.django_db
def test_sign_post_is_csrf_protected(clients, staff, demo_pki):
    app = signing(staff)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["head"])
    response = client.post(case_path(app, "sign/submit/"), {"decision": 1, "signature": "QUJD"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_sign_and_print_pages_link_the_result_pdf(clients, staff, sign_as_head):
    app = signing(staff)
    decision = app.decisions.get()
    page = clients["head"].get(case_path(app, "sign/")).content.decode()
    pdf_url = case_path(app, f"decisions/{decision.pk}.pdf")
    assert pdf_url in page  # the result rendered at preparation, to be signed
    response = clients["head"].get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
    prepared = response.content
    assert clients["admin"].get(pdf_url).status_code == 403
    assert (
        clients["head"].get(case_path(app, f"decisions/{decision.pk + 99}.pdf")).status_code == 404
    )
    sign_as_head(staff["head"], app, decision)
    assert pdf_url in clients["clerk"].get(case_path(app, "result/")).content.decode()
    signed = clients["clerk"].get(pdf_url).content
    assert signed.startswith(b"%PDF") and signed != prepared  # the issued, signed PDF
