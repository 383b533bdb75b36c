"""The case page and its task panel: the head assigns / reassigns (p.8.1), the executor
checks completeness (p.8.2); attachments through a permission-checked view; the timeline
with norms met or missed; the audit trail."""

import re

import pytest

from qyzmet.cases import actions as cases
from qyzmet.cases.models import Status
from qyzmet.testing import build_case, upload
from qyzmet.workflow.models import Step, Task

from .conftest import case_path


@pytest.mark.django_db
def test_case_page_shows_applicant_form_data_with_schema_titles_attachments_timeline_audit(
    clients, staff
):
    app = build_case(staff)
    page = clients["executor"].get(case_path(app)).content.decode()
    assert app.registration_number in page
    assert "Абенова Дана Ерлановна" in page and "900101300007" in page
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
    app = build_case(staff)
    clients["head"].cookies["django_language"] = "kk"
    page = clients["head"].get(case_path(app), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
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
    app = build_case(staff, "prepared")
    clients["head"].cookies["django_language"] = language
    page = clients["head"].get(case_path(app)).content.decode()
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
    app = build_case(staff)
    page = clients["head"].get(case_path(app)).content.decode()
    assert 'action="' + case_path(app, "assign/") + '"' in page
    assert "Ким Денис" in page and "Омарова Сауле" in page
    response = clients["head"].post(case_path(app, "assign/"), {"executor": staff["executor"].pk})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.executor == staff["executor"] and app.status == Status.CHECKING


@pytest.mark.django_db
def test_assigning_a_non_executor_is_refused_with_a_message_and_changes_nothing(clients, staff):
    app = build_case(staff)
    response = clients["head"].post(case_path(app, "assign/"), {"executor": staff["clerk"].pk})
    assert response.status_code == 400
    assert "data-panel-error" in response.content.decode()
    response = clients["head"].post(case_path(app, "assign/"), {"executor": "not a number"})
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.executor is None and app.status == Status.REGISTERED


@pytest.mark.django_db
def test_head_reassigns_during_the_check(clients, staff):
    app = build_case(staff, "assigned")
    response = clients["head"].post(
        case_path(app, "reassign/"), {"executor": staff["executor2"].pk}
    )
    assert response.status_code == 302
    task = Task.objects.get(application=app, step=Step.CHECK, state="open")
    assert task.assignee == staff["executor2"]
    # the first executor no longer has the check on the page, the second one has
    assert "Пакет полный" not in clients["executor"].get(case_path(app)).content.decode()


@pytest.mark.django_db
def test_executor_accepts_the_package(clients, staff):
    app = build_case(staff, "assigned")
    page = clients["executor"].get(case_path(app)).content.decode()
    assert "Проверка полноты документов" in page
    response = clients["executor"].post(case_path(app, "check/"), {"complete": "1"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.PREPARING


@pytest.mark.django_db
def test_refusal_at_the_check_needs_a_reason_and_an_explanation(clients, staff):
    app = build_case(staff, "assigned")
    response = clients["executor"].post(case_path(app, "check/"), {"complete": "0"})
    assert response.status_code == 400
    assert "data-panel-error" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.CHECKING
    response = clients["executor"].post(
        case_path(app, "check/"),
        {"complete": "0", "reasons": ["incomplete_documents"], "explanation": "Нет фотографий."},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.SIGNING
    assert app.decisions.get().kind == "refusal"


@pytest.mark.django_db
def test_a_reason_of_another_stage_is_refused(clients, staff):
    app = build_case(staff, "assigned")
    response = clients["executor"].post(
        case_path(app, "check/"),
        {"complete": "0", "reasons": ["grounds_not_met"], "explanation": "x"},
    )
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.CHECKING


@pytest.mark.django_db
def test_another_executor_cannot_check_someone_elses_case(clients, staff):
    app = build_case(staff, "assigned")
    response = clients["executor2"].post(case_path(app, "check/"), {"complete": "1"})
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.CHECKING


@pytest.mark.django_db
def test_attachment_is_served_with_its_original_name_and_nosniff(clients, staff):
    app = build_case(staff)
    attachment = app.attachments.get(document_code="application")
    url = case_path(app, f"attachments/{attachment.pk}/")
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
def test_polyglot_upload_downloads_with_the_detected_types_extension(clients, staff):
    """Issue 12, finding 17: "%PDF-1.4" followed by HTML passes the type check (it is a
    PDF by its magic bytes) but was saved by ?download=1 as the uploaded ``.html``; now
    every download is named with the detected type's extension, and nothing unsafe."""
    app = build_case(staff)
    polyglot = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"
    attachment = cases.add_attachment(
        staff["clerk"],
        app,
        cases.AttachmentInput("other", upload('..\\evil"; name=x.html', polyglot, "text/html")),
    )
    assert attachment.content_type == "application/pdf"
    url = case_path(app, f"attachments/{attachment.pk}/")
    for query in ("?download=1", ""):
        response = clients["clerk"].get(url + query)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.endswith('filename="evil__ name_x.pdf"'), disposition
        assert ".html" not in disposition


def test_download_names():
    from qyzmet.cases.attachments import download_name

    assert download_name("заявление.pdf", "application/pdf") == "заявление.pdf"
    assert download_name("photo.JPEG", "image/jpeg") == "photo.jpg"
    assert download_name("a.html", "image/png") == "a.png"
    assert download_name("C:\\Users\\x\\scan", "image/tiff") == "scan.tif"
    assert download_name("\x00\r\n.html", "application/pdf") == "attachment.pdf"
    assert download_name("<script>.pdf", "application/pdf") == "script.pdf"


@pytest.mark.django_db
def test_attachment_of_another_case_is_not_served(clients, staff):
    first, second = build_case(staff), build_case(staff)
    attachment = first.attachments.first()
    response = clients["clerk"].get(case_path(second, f"attachments/{attachment.pk}/"))
    assert response.status_code == 404


@pytest.mark.django_db
def test_attachments_are_not_served_to_applicants_or_anonymous(clients, staff, applicant):
    from .conftest import client_for

    app = build_case(staff)
    url = case_path(app, f"attachments/{app.attachments.first().pk}/")
    assert client_for(applicant).get(url).status_code == 403
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith("/office/log-in/")


@pytest.mark.django_db
def test_submitted_and_registered_moments_are_the_same_everywhere(clients, staff):
    """Issue 13, item 8: a package handed in at 08:13, before the office opens at 09:00, is
    submitted at 08:13 and registered at 09:00 (the next working moment, p.10 процесс 7);
    the case page, its timeline, the receipt and the API show both, labelled, the same."""
    import datetime as dt
    from unittest import mock
    from zoneinfo import ZoneInfo

    before_opening = dt.datetime(2026, 12, 3, 8, 13, tzinfo=ZoneInfo("Asia/Almaty"))  # Thu
    with mock.patch("django.utils.timezone.now", return_value=before_opening):
        app = build_case(staff)
    app.refresh_from_db()
    assert app.submitted_at == before_opening
    assert app.registered_at == before_opening.replace(hour=9, minute=0)

    page = clients["executor"].get(case_path(app)).content.decode()
    assert "<dt>Подано</dt><dd data-submitted-at>03.12.2026 08:13</dd>" in page
    assert "<dt>Зарегистрировано</dt><dd data-registered-at>03.12.2026 09:00" in page
    timeline = page.split("data-timeline", 1)[1].split("</tr>", 2)[1]  # the register step
    assert "03.12.2026 08:13" in timeline and "03.12.2026 09:00" in timeline

    receipt = clients["clerk"].get(case_path(app, "receipt/")).content.decode()
    assert (
        "<dt>Тапсырылды (күні, уақыты) / Подано (дата, время)</dt><dd>03.12.2026 08:13" in receipt
    )
    assert (
        "<dt>Тіркелді (келесі жұмыс уақыты) / Зарегистрировано (ближайшее рабочее время)</dt>"
        "<dd>03.12.2026 09:00" in receipt
    )

    answer = clients["executor"].get(f"/api/v1/staff/applications/{app.public_id}/").json()
    moment = dt.datetime.fromisoformat
    assert moment(answer["submitted_at"]) == app.submitted_at
    assert moment(answer["registered_at"]) == app.registered_at
    register_step = next(step for step in answer["timeline"] if step["step"] == "register")
    assert moment(register_step["completed_at"]) == app.registered_at
