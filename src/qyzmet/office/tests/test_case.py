"""The case page and its task panel: the head assigns / reassigns (p.8.1), the executor
checks completeness (p.8.2); attachments through a permission-checked view; the timeline
with norms met or missed; the audit trail."""

import re

import pytest

from qyzmet.cases.models import Status
from qyzmet.workflow.models import Step, Task

from .conftest import register, to_step


def case_url(app, tail: str = "") -> str:
    return f"/office/cases/{app.public_id}/{tail}"


@pytest.mark.django_db
def test_case_page_shows_applicant_form_data_with_schema_titles_attachments_timeline_audit(
    clients, staff
):
    app = register(staff["clerk"])
    page = clients["executor"].get(case_url(app)).content.decode()
    assert app.registration_number in page
    assert "Ахметов Ерлан Болатұлы" in page and "900101300007" in page
    # titles from the JSON Schema, values from the form data, enum labels not codes
    schema = app.service_version.form_schema
    assert schema["properties"]["receiving_party"]["title"] in page
    assert "Государственный Эрмитаж" in page
    assert "Ковёр ворсовый «Қызыл гүл» №1" in page
    assert "заявление.pdf" in page and "photo-1.png" in page
    timeline = page.split("data-timeline", 1)[1].split("</table>", 1)[0]
    assert "регистрация заявления" in timeline and "выбор ответственного исполнителя" in timeline
    assert "соблюдён" in timeline  # the registration step met its norm
    assert "cases.register_paper" in page


@pytest.mark.django_db
def test_case_page_in_kazakh_uses_the_schemas_kazakh_titles(clients, staff):
    app = register(staff["clerk"])
    clients["head"].cookies["django_language"] = "kk"
    page = clients["head"].get(case_url(app), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    title_kk = app.service_version.form_schema["properties"]["receiving_party"]["x-title-kk"]
    assert title_kk in page
    assert "Ағымдағы тапсырма" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "names"),
    [
        (
            "kk",
            [
                "тіркелді",
                "орындаушы тағайындалды",
                "құжаттар топтамасы толық",
                "оң нәтиже дайындалды",
            ],
        ),
        (
            "ru",
            [
                "зарегистрировано",
                "исполнитель назначен",
                "пакет документов полный",
                "подготовлен положительный результат",
            ],
        ),
        ("en", ["registered", "executor assigned", "documents complete", "approval prepared"]),
    ],
)
def test_timeline_names_what_each_step_came_to_in_the_pages_language(
    clients, staff, language, names
):
    """Issue 13 item 5: the timeline showed the raw outcome codes ("assigned", "complete",
    "approval") on every page; now their names in the page's language."""
    app = to_step(staff, "sign")
    clients["head"].cookies["django_language"] = language
    page = clients["head"].get(case_url(app)).content.decode()
    timeline = page.split("data-timeline", 1)[1].split("</table>", 1)[0]
    shown = re.findall(r'data-outcome="(\w+)">([^<]*)<', timeline)
    assert [code for code, _name in shown] == ["registered", "assigned", "complete", "approval"]
    assert [name for _code, name in shown] == names


@pytest.mark.django_db
def test_unknown_case_is_404(clients):
    assert (
        clients["clerk"].get("/office/cases/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


@pytest.mark.django_db
def test_head_assigns_an_executor(clients, staff):
    app = register(staff["clerk"])
    page = clients["head"].get(case_url(app)).content.decode()
    assert 'action="' + case_url(app, "assign/") + '"' in page
    assert "Ким Денис" in page and "Омарова Сауле" in page
    response = clients["head"].post(case_url(app, "assign/"), {"executor": staff["executor"].pk})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.executor == staff["executor"] and app.status == Status.CHECKING


@pytest.mark.django_db
def test_assigning_a_non_executor_is_refused_with_a_message_and_changes_nothing(clients, staff):
    app = register(staff["clerk"])
    response = clients["head"].post(case_url(app, "assign/"), {"executor": staff["clerk"].pk})
    assert response.status_code == 400
    assert "data-panel-error" in response.content.decode()
    response = clients["head"].post(case_url(app, "assign/"), {"executor": "not a number"})
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.executor is None and app.status == Status.REGISTERED


@pytest.mark.django_db
def test_head_reassigns_during_the_check(clients, staff):
    app = to_step(staff, "check")
    response = clients["head"].post(case_url(app, "reassign/"), {"executor": staff["executor2"].pk})
    assert response.status_code == 302
    task = Task.objects.get(application=app, step=Step.CHECK, state="open")
    assert task.assignee == staff["executor2"]
    # the first executor no longer has the check on the page, the second one has
    assert "Пакет полный" not in clients["executor"].get(case_url(app)).content.decode()


@pytest.mark.django_db
def test_executor_accepts_the_package(clients, staff):
    app = to_step(staff, "check")
    page = clients["executor"].get(case_url(app)).content.decode()
    assert "Проверка полноты документов" in page
    response = clients["executor"].post(case_url(app, "check/"), {"complete": "1"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.PREPARING


@pytest.mark.django_db
def test_refusal_at_the_check_needs_a_reason_and_an_explanation(clients, staff):
    app = to_step(staff, "check")
    response = clients["executor"].post(case_url(app, "check/"), {"complete": "0"})
    assert response.status_code == 400
    assert "data-panel-error" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.CHECKING
    response = clients["executor"].post(
        case_url(app, "check/"),
        {"complete": "0", "reasons": ["incomplete_documents"], "explanation": "Нет фотографий."},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.SIGNING
    assert app.decisions.get().kind == "refusal"


@pytest.mark.django_db
def test_a_reason_of_another_stage_is_refused(clients, staff):
    app = to_step(staff, "check")
    response = clients["executor"].post(
        case_url(app, "check/"),
        {"complete": "0", "reasons": ["grounds_not_met"], "explanation": "x"},
    )
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.CHECKING


@pytest.mark.django_db
def test_another_executor_cannot_check_someone_elses_case(clients, staff):
    app = to_step(staff, "check")
    response = clients["executor2"].post(case_url(app, "check/"), {"complete": "1"})
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.CHECKING


@pytest.mark.django_db
def test_attachment_is_served_with_its_original_name_and_nosniff(clients, staff):
    app = register(staff["clerk"])
    attachment = app.attachments.get(document_code="application")
    url = case_url(app, f"attachments/{attachment.pk}/")
    response = clients["executor"].get(url + "?download=1")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=utf-8''%D0%B7%D0%B0%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5.pdf" in disposition
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert clients["executor"].get(url)["Content-Disposition"].startswith("inline;")


@pytest.mark.django_db
def test_attachment_of_another_case_is_not_served(clients, staff):
    first, second = register(staff["clerk"]), register(staff["clerk"])
    attachment = first.attachments.first()
    response = clients["clerk"].get(case_url(second, f"attachments/{attachment.pk}/"))
    assert response.status_code == 404


@pytest.mark.django_db
def test_attachments_are_not_served_to_applicants_or_anonymous(clients, staff, applicant):
    from .conftest import client_for

    app = register(staff["clerk"])
    url = case_url(app, f"attachments/{app.attachments.first().pk}/")
    assert client_for(applicant).get(url).status_code == 403
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith("/office/log-in/")
