"""The public verification page behind the QR code and the upload check (no log-in; ru/kk/en;
a wrong token is a plain 404), and revocation by the head or an administrator."""

import re

import pytest
from django.urls import reverse

from qyzmet.audit.models import AuditRecord
from qyzmet.core.refusals import Refused
from qyzmet.results import actions, queries
from qyzmet.results.models import DocumentState
from qyzmet.testing import LazyMultipart

from .signing import upload
from .tools import flip_byte

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(certificate_decision, demo_pki):
    covered = actions.prepare_document(certificate_decision)
    return actions.finalize_document(certificate_decision, demo_pki.sign("zhumabaev", covered))


@pytest.fixture
def head(demo_pki) -> dict:
    """The demo head as the page names them: full name and IIN from the certificate."""
    person = demo_pki.person("zhumabaev")
    return {**person, "name": f"{person['surname']} {person['given_name']} {person['patronymic']}"}


def page_url(document, **kwargs) -> str:
    number = kwargs.get("number", document.application.registration_number)
    token = kwargs.get("token", document.token)
    return reverse("results:verify", args=[number, token])


def stored(document) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


def test_the_qr_link_is_the_page(issued, client):
    url = queries.verification_url(issued)
    assert url == "https://qyzmet.example.kz" + page_url(issued)


def test_authentic_document_shows_who_signed_and_when(issued, client, head):
    response = client.get(page_url(issued))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Документ подлинный" in body
    assert head["name"] in body
    assert head["iin"] in body
    assert issued.application.registration_number in body
    assert "Свидетельство на право временного вывоза культурных ценностей" in body
    assert (
        reverse("results:download", args=[issued.application.registration_number, issued.token])
        in body
    )
    # strict CSP: nothing inline (the portal frame's scripts are files)
    assert re.findall(r"<script(?![^>]*\bsrc=)", body) == []


def test_verify_page_is_in_the_portal_frame(issued, client):
    """Issue 13 item 15: the page behind the QR had no favicon and no frame; now the
    portal's masthead, footer with the service's helpline and legal basis, its favicon,
    and the language links keep the ?lang= of a page opened without a session."""
    body = client.get(page_url(issued) + "?lang=kk").content.decode()
    assert 'rel="icon"' in body and 'class="masthead"' in body
    assert "Мәдениет саласындағы мемлекеттік қызметтер порталы" in body  # frame in kk
    assert "data-helpline>1414<" in body
    assert "2/339" in body.split("data-footer-basis")[1]  # the shown service's basis
    assert 'href="?lang=ru"' in body


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("kk", "Құжат түпнұсқа"), ("en", "The document is authentic"), ("ru", "Документ подлинный")],
)
def test_the_page_speaks_three_languages(issued, client, language, phrase):
    response = client.get(page_url(issued) + f"?lang={language}")
    assert phrase in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()


def test_download_gives_the_signed_pdf(issued, client):
    response = client.get(
        reverse("results:download", args=[issued.application.registration_number, issued.token])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored(issued)


def test_wrong_token_or_number_is_a_404_that_says_nothing(issued, client):
    wrong_token = client.get(page_url(issued, token="x" * 32))
    wrong_number = client.get(page_url(issued, number="CULT-2026-999999"))
    unknown_both = client.get(page_url(issued, number="CULT-2026-999999", token="y" * 32))
    assert wrong_token.status_code == wrong_number.status_code == unknown_both.status_code == 404
    # The same page (the portal's 404) but for its script nonce and its language switch's
    # CSRF token, new on every answer.
    masked = re.compile(rb'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"')
    assert masked.sub(b"", wrong_token.content) == masked.sub(b"", unknown_both.content)
    assert issued.application.registration_number.encode() not in wrong_token.content
    download = client.get(
        reverse("results:download", args=[issued.application.registration_number, "z" * 32])
    )
    assert download.status_code == 404


def test_a_document_not_yet_issued_is_not_found(certificate_decision, client):
    actions.prepare_document(certificate_decision)
    document = certificate_decision.result_document
    assert client.get(page_url(document)).status_code == 404


def test_a_changed_byte_in_the_stored_pdf_makes_the_page_say_not_authentic(issued, client, head):
    assert "Документ подлинный" in client.get(page_url(issued)).content.decode()
    path = issued.pdf.path
    with open(path, "rb") as handle:
        pdf = handle.read()
    with open(path, "wb") as handle:
        handle.write(flip_byte(pdf, b"(qyzmet)"))
    body = client.get(page_url(issued)).content.decode()
    assert "Документ не подлинный" in body
    assert "Подписанное содержимое изменено." in body
    assert head["surname"] not in body  # no signer is vouched for


def test_revoked_document_says_revoked(issued, client, staff, head):
    actions.revoke_document(staff["head"], issued, "Выдан по ошибке: неверный срок вывоза.")
    body = client.get(page_url(issued)).content.decode()
    assert "Документ отозван" in body
    assert "Выдан по ошибке: неверный срок вывоза." in body
    assert head["name"] in body
    record = AuditRecord.objects.get(action="results.revoke")
    assert record.before["state"] == "issued" and record.after["state"] == "revoked"


def test_revocation_rules(issued, staff):
    for actor in (staff["executor"], staff["clerk"]):
        with pytest.raises(Refused) as refused:
            actions.revoke_document(actor, issued, "reason")
        assert refused.value.code == "permission_denied"
    with pytest.raises(Refused) as no_reason:
        actions.revoke_document(staff["admin"], issued, "   ")
    assert no_reason.value.code == "revocation_reason_required"
    issued.refresh_from_db()
    assert issued.state == DocumentState.ISSUED
    actions.revoke_document(staff["admin"], issued, "Решение отменено.")
    with pytest.raises(Refused) as twice:
        actions.revoke_document(staff["head"], issued, "again")
    assert twice.value.code == "result_already_revoked"


def test_a_prepared_document_cannot_be_revoked(certificate_decision, staff):
    actions.prepare_document(certificate_decision)
    with pytest.raises(Refused) as refused:
        actions.revoke_document(staff["head"], certificate_decision.result_document, "x")
    assert refused.value.code == "result_not_issued"


def test_upload_page_is_public(client):
    response = client.get(reverse("results:upload"))
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_upload_of_the_issued_pdf_is_authentic(issued, client):
    body = upload(client, stored(issued)).content.decode()
    assert "Документ подлинный" in body
    assert issued.application.registration_number in body


def test_upload_of_a_changed_pdf_is_not_valid(issued, client):
    response = upload(client, flip_byte(stored(issued), b"(qyzmet)"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Документ не подлинный" in body


def test_upload_of_a_revoked_pdf_says_revoked(issued, client, staff):
    actions.revoke_document(staff["head"], issued, "Отозван.")
    assert "Документ отозван" in upload(client, stored(issued)).content.decode()


def test_upload_of_an_unsigned_pdf(client):
    from qyzmet.testing import pdf_bytes

    body = upload(client, pdf_bytes(), language="en").content.decode()
    assert "The document is not authentic" in body
    assert "The file carries no electronic signature." in body


def test_upload_that_is_not_a_pdf_is_a_clear_error(client):
    response = upload(client, b"\x89PNG\r\n\x1a\n....", name="photo.png")
    assert response.status_code == 400
    assert "Загруженный файл не является документом PDF." in response.content.decode()
    missing = client.post(reverse("results:upload"), {})
    assert missing.status_code == 400
    assert "Выберите файл PDF для проверки." in missing.content.decode()


def test_upload_too_large(client, settings):
    settings.QYZMET_RESULTS_UPLOAD_MAX_BYTES = 1024 * 1024
    response = upload(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert "не более 1 МБ" in response.content.decode()


def test_oversized_upload_is_refused_by_its_length_before_it_is_read(client):
    """Issue 12, finding 9: 200 MiB to the public check were read whole before "more than
    20 MB"; now the declared length alone refuses it, and not a byte of it is read."""
    body = LazyMultipart(200 * 1024 * 1024, field="pdf")
    response = client.generic("POST", reverse("results:upload"), **body.environ())
    assert response.status_code == 413
    assert "не более 20 МБ" in response.content.decode()
    assert body.bytes_read == 0
    api_style = client.generic(
        "POST", reverse("results:upload"), HTTP_ACCEPT="application/json", **body.environ()
    )
    assert api_style.status_code == 413
    assert api_style.json()["code"] == "upload_exceeds_limit"


def test_a_malformed_form_is_a_coded_refusal(client):
    response = client.generic(
        "POST",
        reverse("results:upload"),
        b"garbage",
        content_type="multipart/form-data; boundary=",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "upload_malformed"


@pytest.mark.parametrize(
    ("language", "valid_then", "expired_since"),
    [
        ("ru", "Подпись действительна на момент подписания", "с тех пор истёк"),
        ("kk", "Қолтаңба қол қойылған сәтте жарамды", "содан бері аяқталды"),
        ("en", "The signature was valid at the time of signing", "has since expired"),
    ],
)
def test_years_later_the_page_says_valid_at_signing_and_expired_since(
    issued, client, monkeypatch, language, valid_then, expired_since
):
    """Issue 10, item 4: "valid at the time of signing (time-stamp …)" said apart from "the
    signer's certificate has since expired"; the document stays authentic."""
    from datetime import timedelta

    from django.utils import timezone

    body = client.get(page_url(issued) + f"?lang={language}").content.decode()
    assert valid_then in body and "TSA" in body
    assert expired_since not in body  # the head's certificate is still valid today

    later = timezone.now() + timedelta(days=2 * 365)
    monkeypatch.setattr(timezone, "now", lambda: later)
    body = client.get(page_url(issued) + f"?lang={language}").content.decode()
    assert {"ru": "Документ подлинный", "kk": "Құжат түпнұсқа", "en": "is authentic"}[
        language
    ] in body
    assert valid_then in body
    assert expired_since in body
