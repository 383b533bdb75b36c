"""Each role sees only its screens; anonymous visitors go to the log-in page; applicants are
refused. The inbox (due times, overdue marked, filter, search, pages) and the dashboard."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qyzmet.cases.actions import ApplicantInput
from qyzmet.testing import build_case
from qyzmet.workflow.models import Step, Task

from .conftest import case_path, client_for

ROLES = ["clerk", "executor", "head", "admin"]


def screens(app) -> dict[str, set[str]]:
    """URL → the roles allowed to open it (GET)."""
    return {
        "/office/": set(ROLES),
        "/office/register/": {"clerk"},
        "/office/register/temporary-export/": {"clerk"},
        "/office/dashboard/": {"head", "admin"},
        case_path(app): set(ROLES),
        case_path(app, "receipt/"): {"clerk", "head", "executor"},
        case_path(app, "sign/"): {"head"},
        case_path(app, "decision.bin"): {"head"},
        case_path(app, "prepare/"): {"executor"},
        case_path(app, "result/"): {"clerk", "head"},
    }


@pytest.mark.django_db
def test_each_role_opens_only_its_screens(clients, staff):
    app = build_case(staff, "prepared")
    for url, allowed in screens(app).items():
        for role in ROLES:
            status = clients[role].get(url).status_code
            if role in allowed:
                # result/ is 404 until the result is signed: allowed, just nothing yet
                assert status in (200, 404), (url, role, status)
                assert status == 200 or url.endswith("result/"), (url, role, status)
            else:
                assert status == 403, (url, role, status)


@pytest.mark.django_db
def test_posts_of_other_roles_are_refused_and_change_nothing(clients, staff):
    app = build_case(staff, "assigned")
    for role, url, data in [
        ("clerk", "assign/", {"executor": staff["executor"].pk}),
        ("executor", "reassign/", {"executor": staff["executor2"].pk}),
        ("head", "check/", {"complete": "1"}),
        ("executor", "handover/", {"handed_to": "x"}),
        ("clerk", "return/", {"comment": "x"}),
        ("executor", "sign/submit/", {"signature": "QUJD"}),
    ]:
        assert clients[role].post(case_path(app, url), data).status_code == 403, (role, url)
    app.refresh_from_db()
    assert app.status == "checking" and app.executor == staff["executor"]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_log_in_page(clients, staff):
    app = build_case(staff, "prepared")
    for url in screens(app):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/office/log-in/?next="), url


@pytest.mark.django_db
def test_applicant_users_are_refused_everywhere(clients, staff, applicant):
    app = build_case(staff, "prepared")
    client = client_for(applicant)
    for url in screens(app):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "только сотрудникам услугодателя" in response.content.decode()


@pytest.mark.django_db
def test_forms_are_csrf_protected(staff, catalog, media):
    app = build_case(staff)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["head"])
    response = client.post(case_path(app, "assign/"), {"executor": staff["executor"].pk})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.executor is None


# --- inbox -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_head_inbox_lists_open_assign_tasks_with_due_times_and_marks_overdue(clients, staff):
    fresh, late = build_case(staff), build_case(staff)
    Task.objects.filter(application=late, step=Step.ASSIGN).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    page = clients["head"].get("/office/").content.decode()
    assert fresh.registration_number in page and late.registration_number in page
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    late_row = next(r for r in rows if late.registration_number in r)
    fresh_row = next(r for r in rows if fresh.registration_number in r)
    assert "is-overdue" in late_row and "просрочено" in late_row
    assert "is-overdue" not in fresh_row
    # soonest due first: the overdue one leads
    assert page.index(late.registration_number) < page.index(fresh.registration_number)


@pytest.mark.django_db
def test_executor_inbox_has_only_their_tasks(clients, staff):
    mine = build_case(staff, "assigned")
    other = build_case(staff)
    page = clients["executor"].get("/office/").content.decode()
    assert mine.registration_number in page and other.registration_number not in page
    assert other.registration_number not in clients["executor2"].get("/office/").content.decode()


@pytest.mark.django_db
def test_inbox_filter_by_step(clients, staff):
    assign = build_case(staff)
    sign = build_case(staff, "prepared")
    page = clients["head"].get("/office/?step=sign").content.decode()
    assert sign.registration_number in page and assign.registration_number not in page
    page = clients["head"].get("/office/?step=bogus").content.decode()
    assert sign.registration_number in page and assign.registration_number in page


@pytest.mark.django_db
def test_search_by_number_iin_and_name(clients, staff):

    first = build_case(staff)  # the demo applicant Abenova, IIN 900101300007
    second = build_case(
        staff,
        applicant=ApplicantInput(
            kind="individual",
            name="Нұрланов Әлихан",
            iin="850715450105",
            manual=True,
            manual_reason="test: entered by hand",
        ),
    )
    client = clients["executor"]
    page = client.get("/office/", {"q": first.registration_number}).content.decode()
    assert first.registration_number in page and second.registration_number not in page
    page = client.get("/office/", {"q": "850715450105"}).content.decode()
    assert second.registration_number in page and first.registration_number not in page
    page = client.get("/office/", {"q": "Абенова"}).content.decode()
    assert first.registration_number in page and second.registration_number not in page
    assert "Ничего не найдено." in client.get("/office/", {"q": "Zzz"}).content.decode()


@pytest.mark.django_db
def test_inbox_pages(clients, staff, settings):
    settings.QYZMET_OFFICE_INBOX_PAGE_SIZE = 2
    apps = [build_case(staff) for _ in range(3)]
    first = clients["head"].get("/office/").content.decode()
    second = clients["head"].get("/office/?page=2").content.decode()
    on_first = [a for a in apps if a.registration_number in first]
    on_second = [a for a in apps if a.registration_number in second]
    assert len(on_first) == 2 and len(on_second) == 1
    assert "?page=2" in first and "?page=1" in second
    assert clients["head"].get("/office/?page=abc").status_code == 200


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_inbox_and_search_pages_read_the_same_queries_for_one_row_as_for_many(clients, staff):
    """No query per row (a deferred field read by the template costs one per row)."""
    pages = [
        ("head", "/office/"),
        ("head", "/office/?step=assign"),
        ("head", "/office/?q=Абенова"),
        ("executor", "/office/"),
    ]

    def counts():
        return {(role, url): queries_of(clients[role], url) for role, url in pages}

    build_case(staff, "assigned")
    build_case(staff)
    counts()  # the first page of a process reads the services' schedules (working time left)
    one = counts()
    for _ in range(3):
        build_case(staff, "assigned")
        build_case(staff)
    many = counts()
    assert one == many
    assert all(count <= 6 for count in many.values()), many


# --- dashboard -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_counts_per_step_overdue_and_on_time_share(clients, staff):
    build_case(staff)
    late = build_case(staff)
    Task.objects.filter(application=late, step=Step.ASSIGN).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    build_case(staff, "assigned")
    page = clients["head"].get("/office/dashboard/").content.decode()
    table = page.split("data-dashboard", 1)[1]
    assign_row = table.split('data-step="assign"', 1)[1].split("</tr>", 1)[0]
    cells = [
        re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num">(.*?)</td>', assign_row)
    ]
    # open 2 (one overdue, the other due today or later); one assign completed in the period,
    # on time → 100 %
    assert cells[:2] == ["2", "1"] and cells[3:] == ["1", "1", "100 %"]


@pytest.mark.django_db
def test_deadlines_show_working_time_left_and_dashboard_figures_open_their_lists(clients, staff):
    """Issue 13, item 12: the inbox, the case page and the lists give the working time left
    or overdue by (on the calendar), not a date alone; each figure of the dashboard links to
    the list of those tasks; open tasks are split per service and channel."""
    fresh = build_case(staff)
    late = build_case(staff, service="restoration-approval")
    Task.objects.filter(application=late, step=Step.ASSIGN).update(
        due_at=timezone.now() - dt.timedelta(days=3)
    )
    inbox = clients["head"].get("/office/").content.decode()
    late_row = inbox.split(late.registration_number, 1)[1].split("</tr>", 1)[0]
    assert re.search(r"data-left>просрочено на \d+ (раб\. дн\.|ч|мин)", late_row), late_row
    fresh_row = inbox.split(fresh.registration_number, 1)[1].split("</tr>", 1)[0]
    assert re.search(r"data-left>осталось \d+ (раб\. дн\.|ч|мин)", fresh_row), fresh_row
    english = clients["head"].get("/office/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r"data-left>overdue by \d+", english)

    case_page = clients["head"].get(f"/office/cases/{fresh.public_id}/").content.decode()
    assert re.search(r"data-deadline-left>осталось \d+ раб\. дн\.", case_page), case_page

    page = clients["head"].get("/office/dashboard/").content.decode()
    assign_row = page.split('data-step="assign"', 1)[1].split("</tr>", 1)[0]
    overdue_link = re.search(r'href="([^"]+)" data-overdue>1<', assign_row).group(1)
    assert overdue_link == "/office/dashboard/tasks/?step=assign&amp;when=overdue"
    listed = clients["head"].get(overdue_link.replace("&amp;", "&")).content.decode()
    assert late.registration_number in listed and fresh.registration_number not in listed
    assert "просроченные" in listed

    by_service = page.split("data-by-service", 1)[1]
    for app, service in ((fresh, "temporary-export"), (late, "restoration-approval")):
        row = by_service.split(f'data-service="{service}" data-channel="office"', 1)[1]
        row = row.split("</tr>", 1)[0]
        assert app.service_version.title_ru in row and "услугодатель" in row
        link = re.search(r'href="([^"]+)" data-open>1<', row).group(1).replace("&amp;", "&")
        listed = clients["head"].get(link).content.decode()
        assert app.registration_number in listed
        assert {fresh, late} - {app} and (
            ({fresh, late} - {app}).pop().registration_number not in listed
        )
    assert clients["executor"].get("/office/dashboard/tasks/").status_code == 403


@pytest.mark.django_db
def test_dashboard_period_outside_has_no_completed_tasks(clients, staff):
    build_case(staff, "assigned")
    page = clients["head"].get("/office/dashboard/?since=2020-01-01&until=2020-01-31")
    row = page.content.decode().split('data-step="assign"', 1)[1].split("</tr>", 1)[0]
    assert row.count('<td class="num">0</td>') >= 2 and "—" in row


@pytest.mark.django_db
def test_dashboard_bad_period_is_a_clear_error(clients):
    response = clients["head"].get("/office/dashboard/?since=2026-02-10&until=2026-01-01")
    assert response.status_code == 400
    assert "Неверный период." in response.content.decode()
    assert clients["head"].get("/office/dashboard/?since=xx").status_code == 400


@pytest.mark.django_db
def test_every_interface_text_has_three_languages_and_labels_follow_the_language(clients, staff):
    from qyzmet.office.texts import TEXTS, text

    assert all(text(key, language).strip() for key in TEXTS for language in ("ru", "kk", "en"))
    build_case(staff, "assigned")
    page = clients["head"].get("/office/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "completeness check" in page and "By step" in page and "Head" in page
    page = clients["head"].get("/office/dashboard/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "құжаттардың толықтығын тексеру" in page and "Басшы" in page
