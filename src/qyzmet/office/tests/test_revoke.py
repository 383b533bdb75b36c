"""The head (or an administrator) revokes an issued result document from the case page: a
confirmation page with the required reason (POST, CSRF); refusals in the user's language;
other roles are turned away and nothing changes. Afterwards the case page says when, by
whom and why, and the public verification page behind the QR code says revoked."""

import pytest
from django.test import Client
from django.urls import reverse

from qyzmet.audit.models import AuditRecord
from qyzmet.results.models import DocumentState, ResultDocument
from qyzmet.testing import build_case

from .conftest import case_path

REASON = "Выдан по ошибке: неверный срок вывоза."


@pytest.fixture
def issued(staff, catalog, media, sign_as_head):
    """A case whose result the demo head signed: its document is issued."""
    app = build_case(staff, "prepared")
    sign_as_head(staff["head"], app, app.decisions.get())
    return app


def document_of(app) -> ResultDocument:
    return ResultDocument.objects.get(application=app)


def revoke_url(app) -> str:
    return case_path(app, "result/revoke/")


@pytest.mark.django_db
def test_head_revokes_with_a_reason_and_the_case_page_says_when_by_whom_why(clients, staff, issued):
    page = clients["head"].get(case_path(issued)).content.decode()
    assert f'href="{revoke_url(issued)}"' in page and "data-revoked" not in page
    confirm = clients["head"].get(revoke_url(issued)).content.decode()
    assert "data-revoke" in confirm and 'name="reason"' in confirm
    assert "csrfmiddlewaretoken" in confirm
    assert "Отменить отзыв нельзя." in confirm  # the confirmation says what it does

    response = clients["head"].post(revoke_url(issued), {"reason": f"  {REASON}  "})

    assert response.status_code == 302 and response["Location"] == case_path(issued)
    document = document_of(issued)
    assert document.state == DocumentState.REVOKED
    assert document.revoked_by == staff["head"] and document.revocation_reason == REASON
    assert AuditRecord.objects.filter(action="results.revoke", actor=staff["head"]).exists()
    page = clients["clerk"].get(case_path(issued)).content.decode()
    revoked = page.split("data-revoked>", 1)[1].split("</p>", 1)[0]
    assert REASON in revoked and "Жумабаев Ерлан" in revoked
    assert document.revoked_at.astimezone().strftime("%d.%m.%Y") in revoked
    assert f'href="{revoke_url(issued)}"' not in page  # nothing more to revoke


@pytest.mark.django_db
def test_the_public_verification_page_says_revoked_afterwards(clients, issued, client):
    document = document_of(issued)
    verify = reverse("results:verify", args=[issued.registration_number, document.token])
    assert "Документ подлинный" in client.get(verify).content.decode()
    clients["head"].post(revoke_url(issued), {"reason": REASON})
    body = client.get(verify).content.decode()
    assert "Документ отозван" in body and REASON in body
    assert "Документ подлинный" not in body


@pytest.mark.django_db
def test_an_administrator_may_revoke_too(clients, staff, issued):
    response = clients["admin"].post(revoke_url(issued), {"reason": REASON})
    assert response.status_code == 302
    assert document_of(issued).revoked_by == staff["admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["executor", "clerk"])
def test_other_roles_are_refused_and_nothing_changes(clients, issued, role):
    assert (
        f'href="{revoke_url(issued)}"' not in clients[role].get(case_path(issued)).content.decode()
    )
    for response in (
        clients[role].get(revoke_url(issued)),
        clients[role].post(revoke_url(issued), {"reason": REASON}),
    ):
        assert response.status_code == 403
        assert "Действие недоступно для вашей роли." in response.content.decode()
    document = document_of(issued)
    assert document.state == DocumentState.ISSUED and document.revoked_at is None
    assert not AuditRecord.objects.filter(action="results.revoke").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ru", "Укажите причину отзыва документа."),
        ("kk", "Құжатты кері қайтару себебін көрсетіңіз."),
        ("en", "Give the reason for revoking the document."),
    ],
)
def test_an_empty_reason_is_refused_in_the_users_language(clients, issued, language, message):
    head = clients["head"]
    head.cookies["django_language"] = language
    response = head.post(revoke_url(issued), {"reason": "   "}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert document_of(issued).state == DocumentState.ISSUED


@pytest.mark.django_db
def test_revoking_again_is_refused_and_the_first_revocation_stays(clients, staff, issued):
    clients["head"].post(revoke_url(issued), {"reason": REASON})
    first = document_of(issued)
    response = clients["admin"].post(revoke_url(issued), {"reason": "Другая причина."})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Документ результата уже отозван." in body
    assert "data-revoked" in body and REASON in body  # the page shows the revocation, no form
    document = document_of(issued)
    assert document.revocation_reason == REASON and document.revoked_by == staff["head"]
    assert document.revoked_at == first.revoked_at
    assert AuditRecord.objects.filter(action="results.revoke").count() == 1


@pytest.mark.django_db
def test_nothing_to_revoke_before_the_head_signs(clients, staff):
    app = build_case(staff, "prepared")  # prepared, not issued
    assert clients["head"].get(revoke_url(app)).status_code == 404
    assert clients["head"].post(revoke_url(app), {"reason": REASON}).status_code == 404


@pytest.mark.django_db
def test_the_revocation_post_is_csrf_protected(staff, issued):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["head"])
    assert client.post(revoke_url(issued), {"reason": REASON}).status_code == 403
    assert document_of(issued).state == DocumentState.ISSUED
