"""Applying on the portal (p.10 процессы 3–7, условие 2) and following the case (p.11):
the generated form, attachments, review, the canonical request, signed submission and its
refusals, another applicant's cases, notifications, the timeline and the issued result."""

import base64
import hashlib
import re

import pytest
from django.core import mail
from django.test import Client

from qyzmet.audit.models import AuditRecord
from qyzmet.cases.models import Application, Attachment, SignedRequest, Status
from qyzmet.cases.portal_requests import canonical_request
from qyzmet.demo.pki import COMPANY_BIN
from qyzmet.eds.tests.tampering import BAD_CODES, bad_variant
from qyzmet.testing import (
    LazyMultipart,
    form_for,
    pdf_bytes,
    png_bytes,
    sign_up,
    temporary_export_form,
    upload,
)
from qyzmet.workflow import actions as workflow

from .applying import (
    attach_all,
    fill,
    head_signs,
    new_draft,
    ready_draft,
    registered,
    signature_for,
    submit,
)

pytestmark = pytest.mark.django_db


# --- the form -----------------------------------------------------------------------------------


def test_form_is_generated_from_the_schema(individual_client):
    draft = new_draft(individual_client)
    text = individual_client.get(f"/applications/{draft.public_id}/edit/").content.decode()
    for expected in (
        'name="receiving_party"',
        'name="items.0.name"',
        'name="items.0.insured_value.amount"',
        'name="items.__i__.photo"',  # the template row the page clones
        '<option value="DE" >Германия</option>',  # x-choices: countries, CLDR names
        '<option value="USD" >доллар США (USD)</option>',
        'data-attachment-choice="photos"',  # x-attachment: chosen among the photos
        "Временное экспонирование (выставка)",
        '<label for="f-receiving_party">Принимающая сторона',
    ):
        assert expected in text, expected
    assert re.search(r'name="export_period.from" value=""\s+type="date"', text)


def test_saving_the_form_round_trips_the_data(individual_client):
    draft = new_draft(individual_client)
    data = temporary_export_form(items=3)
    response = fill(individual_client, draft, data)
    assert response.status_code == 302 and response.url.endswith("?saved=1")
    draft.refresh_from_db()
    assert draft.form_data == data
    assert isinstance(draft.form_data["items"][2]["quantity"], int)


def test_restoration_form_round_trips_checkboxes(company_client):
    draft = new_draft(company_client, "restoration-approval")
    data = form_for("restoration-approval")
    fill(company_client, draft, data)
    draft.refresh_from_db()
    assert draft.form_data == data


def test_half_filled_draft_is_kept_and_review_names_the_missing(individual_client):
    draft = new_draft(individual_client)
    fill(individual_client, draft, {"receiving_party": "Музей", "country": "KZ"}, action="review")
    draft.refresh_from_db()
    assert draft.form_data == {"receiving_party": "Музей", "country": "KZ"}
    text = individual_client.get(f"/applications/{draft.public_id}/review/").content.decode()
    assert "Заявление ещё нельзя подписать" in text
    assert "Цветные фотографии каждого предмета" in text  # missing document
    edit = individual_client.get(f"/applications/{draft.public_id}/edit/").content.decode()
    assert "Заполните это поле." not in edit  # the edit page does not shout before review


def test_drafts_list_and_come_back(individual_client):
    draft = new_draft(individual_client)
    text = individual_client.get("/applications/").content.decode()
    assert f"/applications/{draft.public_id}/edit/" in text


def test_repealed_or_unknown_service_takes_no_new_application(individual_client):
    response = individual_client.post("/applications/new/no-such-service/")
    assert response.status_code == 400
    assert not Application.objects.exists()


# --- attachments --------------------------------------------------------------------------------


def test_attachment_upload_and_removal(individual_client):
    draft = new_draft(individual_client)
    response = individual_client.post(
        f"/applications/{draft.public_id}/attachments/",
        {"document_code": "photos", "file": upload("item-1.png", png_bytes())},
        HTTP_ACCEPT="application/json",
    )
    attachment = response.json()["attachments"][0]
    assert attachment["sha256"] == hashlib.sha256(png_bytes()).hexdigest()
    removed = individual_client.post(
        f"/applications/{draft.public_id}/attachments/{attachment['id']}/remove/"
    )
    assert removed.status_code == 302
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("language", "size"), [("kk", "16,5 КБ"), ("ru", "16,5 КБ"), ("en", "16.5 KB")]
)
def test_file_sizes_are_written_as_the_pages_language_writes_numbers(
    individual_client, settings, language, size
):
    """Issue 13 item 6: a kk page wrote "16.5 КБ" (Django has no Kazakh formats)."""
    draft = new_draft(individual_client)
    individual_client.post(
        f"/applications/{draft.public_id}/attachments/",
        {"document_code": "purpose_document", "file": upload("a.pdf", pdf_bytes(pad_to=16_900))},
    )
    individual_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = individual_client.get(f"/applications/{draft.public_id}/edit/").content.decode()
    assert size.replace(" ", "\xa0") in html or size in html


def test_attachment_type_is_checked_by_content_on_the_server(individual_client):
    draft = new_draft(individual_client)
    response = individual_client.post(
        f"/applications/{draft.public_id}/attachments/",
        {"document_code": "photos", "file": upload("photo.png", b"MZ\x90\x00 not an image")},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "attachment_type_not_allowed"
    assert not Attachment.objects.exists()


def test_attachment_size_is_checked_on_the_server(individual_client, settings):
    settings.QYZMET_ATTACHMENT_MAX_BYTES = 1024 * 1024
    draft = new_draft(individual_client)
    response = individual_client.post(
        f"/applications/{draft.public_id}/attachments/",
        {
            "document_code": "purpose_document",
            "file": upload("big.pdf", pdf_bytes(pad_to=1_200_000)),
        },
    )
    assert response.status_code == 413
    assert "не более 1 МБ" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_not_read_past_the_limit(individual_client, settings):
    """Issue 12, finding 9: within the body limit, a file over the file limit stops the
    reading there (an upload handler), not after the whole file is on disk."""
    settings.QYZMET_ATTACHMENT_MAX_BYTES = 1024 * 1024
    draft = new_draft(individual_client)
    body = LazyMultipart(60 * 1024 * 1024, fields={"document_code": "purpose_document"})
    response = individual_client.generic(
        "POST",
        f"/applications/{draft.public_id}/attachments/",
        HTTP_ACCEPT="application/json",
        **body.environ(),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "upload_exceeds_limit"
    assert body.bytes_read < 2 * 1024 * 1024
    assert not Attachment.objects.exists()


def test_nul_in_a_form_field_is_refused_and_nothing_saved(individual_client):
    """Issue 12, finding 10: PostgreSQL stores no NUL; it was a 500, now a 400 with a code."""
    draft = new_draft(individual_client)
    response = individual_client.post(
        f"/applications/{draft.public_id}/edit/", {"receiving_party": "Эрмитаж\x00"}
    )
    assert response.status_code == 400
    assert 'data-code="input_nul_character"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.form_data == {}


def test_open_drafts_quota_on_the_portal(individual_client, settings):
    """Issue 12, finding 8: the portal refuses a draft past the quota with its message."""
    settings.QYZMET_QUOTA_OPEN_DRAFTS = 1
    new_draft(individual_client)
    # another service: "Apply" for the same one continues the open draft (issue 13 item 10)
    response = individual_client.post("/applications/new/restoration-approval/")
    assert response.status_code == 400
    assert "У вас уже 1 неподанное заявление (черновик)." in response.content.decode()
    assert Application.objects.count() == 1


def test_unknown_document_code_and_empty_upload_are_refused(individual_client):
    draft = new_draft(individual_client)
    url = f"/applications/{draft.public_id}/attachments/"
    bad = individual_client.post(
        url,
        {"document_code": "passport_scan", "file": upload("a.pdf", pdf_bytes())},
        HTTP_ACCEPT="application/json",
    )
    assert bad.json()["code"] == "unknown_document"
    # No file chosen is said so (not "the file is empty", which is about a file of 0 bytes).
    none = individual_client.post(url, {"document_code": "photos"}, HTTP_ACCEPT="application/json")
    assert none.json()["code"] == "attachment_not_chosen"
    assert none.json()["message"] == "Выберите файл, чтобы загрузить его."
    empty = individual_client.post(
        url,
        {"document_code": "photos", "file": upload("a.png", b"")},
        HTTP_ACCEPT="application/json",
    )
    assert empty.json()["code"] == "attachment_empty"


def test_upload_page_tells_the_browser_the_limits(individual_client):
    draft = new_draft(individual_client)
    text = individual_client.get(f"/applications/{draft.public_id}/edit/").content.decode()
    assert 'data-accept="application/pdf,image/jpeg,image/png,image/tiff"' in text
    assert 'data-limit="20"' in text


# --- signing and submission ---------------------------------------------------------------------


def test_request_bytes_are_the_canonical_request(individual_client):
    draft = ready_draft(individual_client)
    response = individual_client.get(f"/applications/{draft.public_id}/request.bin")
    draft.refresh_from_db()
    assert response.content == canonical_request(draft)
    assert response["X-Content-SHA256"] == hashlib.sha256(response.content).hexdigest()


@pytest.mark.parametrize("service", ["temporary-export", "restoration-approval"])
def test_individual_submits_and_gets_an_incoming_number(
    pki, individual_client, service, django_capture_on_commit_callbacks
):
    draft = ready_draft(individual_client, service)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            individual_client,
            draft,
            signature_for(individual_client, draft, pki, "abenova"),
        )
    answer = response.json()
    assert answer["ok"] and answer["registration_number"].startswith("CULT-")
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    page = individual_client.get(answer["redirect"]).content.decode()
    assert answer["registration_number"] in page and "Заявление зарегистрировано" in page
    assert len(mail.outbox) == 1
    assert answer["registration_number"] in mail.outbox[0].subject
    assert mail.outbox[0].to == ["dana@example.kz"]


def test_legal_entity_submits_with_its_heads_key(pki, company_client):
    draft = ready_draft(company_client, "restoration-approval")
    answer = submit(
        company_client, draft, signature_for(company_client, draft, pki, "serikbaev")
    ).json()
    assert answer["ok"]
    draft.refresh_from_db()
    head_iin = pki.person("serikbaev")["iin"]
    assert (draft.applicant_bin, draft.representative_iin) == (COMPANY_BIN, head_iin)


def test_submission_is_idempotent(pki, individual_client):
    draft = ready_draft(individual_client)
    signature = signature_for(individual_client, draft, pki, "abenova")
    first = submit(individual_client, draft, signature).json()
    second = submit(individual_client, draft, signature).json()
    assert first["registration_number"] == second["registration_number"]
    assert Application.objects.exclude(registration_number=None).count() == 1


@pytest.mark.parametrize(
    ("person", "key", "code"),
    [
        ("tolegenova", "sign", "revoked"),
        ("eskenov", "sign", "expired"),
        ("nurlanov", "sign", "iin_mismatch"),  # someone else's key
        ("abenova", "auth", "wrong_purpose"),  # the authentication key cannot sign requests
    ],
)
def test_submission_refusals_of_condition_2(pki, individual_client, person, key, code):
    draft = ready_draft(individual_client)
    signature = signature_for(individual_client, draft, pki, person, key)
    response = submit(individual_client, draft, signature)
    assert response.status_code == 400
    assert response.json()["code"] == code
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.registration_number is None


def test_the_stored_signed_request_is_exactly_the_bytes_posted(pki, individual_client):
    draft = ready_draft(individual_client)
    content = individual_client.get(f"/applications/{draft.public_id}/request.bin").content
    signature = signature_for(individual_client, draft, pki, "abenova")
    assert submit(individual_client, draft, signature).json()["ok"]
    stored = SignedRequest.objects.get(application=draft)
    assert bytes(stored.signature) == signature.encode("ascii")  # the posted field, as sent
    assert bytes(stored.content) == content


@pytest.mark.parametrize("code", BAD_CODES)
def test_tampered_or_retired_signatures_register_nothing(pki, individual_client, code):
    """Issue 9 item 6: each variant of the applicant's real signature is refused with its
    code and its message; no signed request, no number, no registration record."""
    draft = ready_draft(individual_client)
    content = individual_client.get(f"/applications/{draft.public_id}/request.bin").content
    signature = bad_variant(code, pki, "abenova", content, other="nurlanov")
    response = submit(individual_client, draft, base64.b64encode(signature).decode())
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["message"]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.registration_number is None
    assert not SignedRequest.objects.exists()
    assert not AuditRecord.objects.filter(action="cases.submit_portal").exists()


def test_legal_entity_needs_a_signing_role(pki, company_client):
    draft = ready_draft(company_client, "restoration-approval")
    # An employee of the same company (BIN matches, IIN does not) cannot sign for it.
    response = submit(company_client, draft, signature_for(company_client, draft, pki, "ospanova"))
    assert response.json()["code"] == "iin_mismatch"


def test_legal_entity_employee_cannot_sign_even_on_an_account_they_opened(pki, catalog):
    # The account is the employee's (IIN and BIN match), but the certificate's role
    # (EKU "employee") gives no right to sign for the company.
    client = Client()
    client.force_login(sign_up(pki, "ospanova"))
    draft = ready_draft(client, "restoration-approval")
    response = submit(client, draft, signature_for(client, draft, pki, "ospanova"))
    assert response.json()["code"] == "signer_not_representative"


def test_untrusted_key_is_refused(pki, individual_client, settings, tmp_path):
    draft = ready_draft(individual_client)
    signature = signature_for(individual_client, draft, pki, "abenova")
    (tmp_path / "no-anchors").mkdir()
    settings.QYZMET_EDS_TRUST_ANCHORS_DIR = tmp_path / "no-anchors"
    assert submit(individual_client, draft, signature).json()["code"] == "untrusted_chain"


def _submitted_without_documents(client, pki) -> dict:
    draft = new_draft(client)
    fill(client, draft, form_for("temporary-export"))
    return submit(client, draft, signature_for(client, draft, pki, "abenova")).json()


def test_incomplete_documents_are_refused(pki, individual_client):
    answer = _submitted_without_documents(individual_client, pki)
    assert answer["code"] == "documents_incomplete"
    # issue 13 item 3: the missing document by its catalogue name, not its code
    assert "Цветные фотографии каждого предмета" in answer["message"]
    assert "photos" not in answer["message"]


def test_incomplete_documents_are_named_in_the_pages_language(pki, individual_client, settings):
    """Issue 13 item 3: on a kk page the missing documents are named in Kazakh."""
    individual_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    answer = _submitted_without_documents(individual_client, pki)
    assert answer["code"] == "documents_incomplete"
    assert "Әрбір заттың түсті фотосуреттері" in answer["message"]
    assert "photos" not in answer["message"]


def test_invalid_form_is_refused(pki, individual_client):
    draft = new_draft(individual_client)
    fill(individual_client, draft, {**form_for("temporary-export"), "country": "KZ"})
    attach_all(individual_client, draft, "temporary-export")
    answer = submit(
        individual_client, draft, signature_for(individual_client, draft, pki, "abenova")
    ).json()
    assert answer["code"] == "form_invalid"


def test_signature_of_an_older_version_of_the_draft_is_refused(pki, individual_client):
    draft = ready_draft(individual_client)
    signature = signature_for(individual_client, draft, pki, "abenova")
    fill(individual_client, draft, temporary_export_form(items=2))  # changed after signing
    assert submit(individual_client, draft, signature).json()["code"] == "digest_mismatch"


def test_garbage_signature_is_a_refusal_not_a_crash(individual_client):
    draft = ready_draft(individual_client)
    for garbage in ("", "%%%", "QUJD", "A" * 5000):
        response = submit(individual_client, draft, garbage)
        assert response.status_code == 400
        assert response.json()["code"] == "malformed"


# --- another applicant's cases ------------------------------------------------------------------


def test_another_applicants_case_is_not_found(pki, individual_client, company):
    other = Client()
    other.force_login(company)
    draft = new_draft(individual_client)
    base = f"/applications/{draft.public_id}"
    for url in (
        f"{base}/",
        f"{base}/edit/",
        f"{base}/review/",
        f"{base}/request.bin",
        f"{base}/result/",
    ):
        assert other.get(url).status_code == 404, url
    for url in (f"{base}/submit/", f"{base}/attachments/", f"{base}/edit/"):
        assert other.post(url, {"signature": "x"}).status_code == 404, url
    assert str(draft.public_id) not in other.get("/applications/").content.decode()


# --- after registration: status, timeline, refusal reasons, result ------------------------------


@pytest.fixture
def head(staff):
    """The provider's head, whose key is the demo head's ("zhumabaev": IIN, provider's BIN)."""
    return staff["head"]


def test_status_page_shows_when_submitted_and_when_registered(pki, individual_client):
    """Issue 13, item 8: the applicant's page labels both moments, as the desk and the API do:
    submitted (signed) and registered (the next working moment after it, p.10 процесс 7); the
    timeline's registration step is done at the registration moment."""
    from django.utils import timezone

    from qyzmet.workflow.engine import calendar_for

    application = registered(pki, individual_client)
    submitted = timezone.localtime(application.submitted_at)
    registered_at = timezone.localtime(application.registered_at)
    assert registered_at == calendar_for(application).next_working_moment(submitted)
    text = individual_client.get(f"/applications/{application.public_id}/").content.decode()
    assert f"<dt>Подано</dt><dd data-submitted-at>{submitted:%d.%m.%Y %H:%M}</dd>" in text
    assert f"<dt>Зарегистрировано</dt><dd data-registered-at>{registered_at:%d.%m.%Y %H:%M}" in text
    timeline = text.split('id="timeline-h"', 1)[1]
    register_row = timeline.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Регистрация заявления" in register_row
    assert register_row.rstrip().endswith(f"{registered_at:%d.%m.%Y %H:%M}</td>")


def test_status_page_shows_timeline_and_deadline(pki, individual_client, staff):
    application = registered(pki, individual_client)
    workflow.assign_executor(staff["head"], application, staff["executor"])
    text = individual_client.get(f"/applications/{application.public_id}/").content.decode()
    assert "проверка полноты документов" in text
    assert "Регистрация заявления" in text and "Определение ответственного исполнителя" in text
    assert "Проверка полноты и достоверности документов" in text
    assert "10 рабочих дней со дня регистрации" in text
    assert application.deadline_at is not None


def test_refusal_shows_catalogue_reasons_and_mails(
    pki, individual_client, staff, head, django_capture_on_commit_callbacks
):
    application = registered(pki, individual_client)
    workflow.assign_executor(head, application, staff["executor"])
    workflow.record_completeness_check(
        staff["executor"],
        application,
        complete=False,
        reason_codes=["incomplete_documents"],
        explanation="Нет фотографии предмета №1.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        head_signs(pki, head, application)
    text = individual_client.get(f"/applications/{application.public_id}/").content.decode()
    assert "мотивированный отказ" in text
    assert "Представлен неполный пакет документов" in text
    assert "Нет фотографии предмета №1." in text
    assert [m.subject for m in mail.outbox][-1].startswith("По заявлению")


def test_issued_result_is_viewable(
    pki, individual_client, staff, head, django_capture_on_commit_callbacks
):
    application = registered(pki, individual_client)
    workflow.assign_executor(head, application, staff["executor"])
    workflow.record_completeness_check(staff["executor"], application, complete=True)
    workflow.prepare_decision(
        staff["executor"],
        application,
        kind="approval",
        result_data={  # in the reverse of the order the page shows them
            "conditions": "Вернуть не позднее срока вывоза.",
            "holder_identifier": "900101300007",
            "holder": "Абенова Дана",
            "country": "RU",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        head_signs(pki, head, application)
    detail = individual_client.get(f"/applications/{application.public_id}/").content.decode()
    assert "результат выдан" in detail and "Просмотреть выходной документ" in detail
    result = individual_client.get(
        f"/applications/{application.public_id}/result/"
    ).content.decode()
    assert "Свидетельство на право временного вывоза культурных ценностей" in result
    assert pki.person("zhumabaev")["common_name"] in result
    assert application.registration_number in result
    # The document as its PDF lays it out (the catalogue template): labels, never raw keys;
    # the country by name; the executor's special conditions.
    positions = [
        result.index(label)
        for label in ("Услугополучатель", "Ресей / Россия", "Особые условия", "Вернуть не позднее")
    ]
    assert positions == sorted(positions)
    assert "holder" not in result and "conditions" not in result
    assert mail.outbox[-1].subject.startswith("Результат по заявлению")


def test_result_before_issue_is_404(pki, individual_client):
    application = registered(pki, individual_client)
    assert (
        individual_client.get(f"/applications/{application.public_id}/result/").status_code == 404
    )


def test_signed_pdf_is_saved_by_its_applicant_and_validates_with_pdfsig(
    pki, individual_client, staff, head, company_client, tmp_path
):
    """p.11 "save": the result PDF signed by the head (PAdES), served to its applicant only;
    poppler's pdfsig finds the signature intact and the head's certificate trusted."""
    from qyzmet.results.tests.tools import pdfsig

    application = registered(pki, individual_client)
    workflow.assign_executor(head, application, staff["executor"])
    workflow.record_completeness_check(staff["executor"], application, complete=True)
    workflow.prepare_decision(
        staff["executor"], application, kind="approval", result_data={"country": "RU"}
    )
    head_signs(pki, head, application, key="zhumabaev-rsa")  # pdfsig knows no GOST
    detail = individual_client.get(f"/applications/{application.public_id}/").content.decode()
    assert f"/applications/{application.public_id}/result.pdf" in detail
    assert "/results/verify/" in detail
    response = individual_client.get(f"/applications/{application.public_id}/result.pdf")
    pdf = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    assert (
        company_client.get(f"/applications/{application.public_id}/result.pdf").status_code == 404
    )
    report = pdfsig(
        pdf,
        tmp_path,
        roots=[pki.ca_pem("root")],
        intermediates=[pki.ca_pem("intermediate")],
        ocsp=False,  # the demo responder's address is `make run`'s, not running here
    )
    assert "Signature is Valid." in report, report
    assert "Certificate is Trusted." in report, report
    head = pki.person("zhumabaev")["common_name"]  # the provider's head
    assert f"Signer Certificate Common Name: {head}\n" in report, report
