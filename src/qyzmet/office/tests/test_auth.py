"""Log-in of the provider's staff (p.10 "через услугодателя", процесс 1–2, условие 1)."""

import pytest
from django.test import Client
from django.urls import reverse

from qyzmet.audit.models import AuditRecord
from qyzmet.testing import DEMO_STAFF_PASSWORD

LOGIN = "/office/log-in/"


def post_login(client, username, password=DEMO_STAFF_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["clerk", "executor", "head", "admin"])
def test_every_staff_role_logs_in_and_lands_on_the_inbox(staff, role):
    client = Client()
    response = post_login(client, role)
    assert response.status_code == 302
    assert response.url == reverse("office:inbox")
    assert client.get("/office/").status_code == 200
    assert AuditRecord.objects.filter(action="accounts.login", actor=staff[role]).exists()


@pytest.mark.django_db
def test_wrong_password_gets_the_regulations_refusal_and_no_session(staff):
    client = Client()
    response = post_login(client, "clerk", "wrong")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Отказ в авторизации" in text
    assert 'data-code="office_login_refused"' in text
    assert "_auth_user_id" not in client.session
    refused = AuditRecord.objects.get(action="accounts.login_refused")
    assert refused.after["code"] == "office_login_refused"


@pytest.mark.django_db
def test_unknown_login_gets_the_same_refusal_as_a_wrong_password(staff):
    response = post_login(Client(), "nobody", "whatever")
    assert response.status_code == 400
    assert 'data-code="office_login_refused"' in response.content.decode()


@pytest.mark.django_db
def test_refusal_is_shown_in_the_users_language(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    response = post_login(client, "clerk", "wrong")
    assert "Авторизациядан бас тартылды" in response.content.decode()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Log-in refused" in post_login(client, "clerk", "wrong").content.decode()


@pytest.mark.django_db
def test_applicant_cannot_log_in_to_the_office_even_with_the_right_password(applicant):
    client = Client()
    response = post_login(client, applicant.username)
    assert response.status_code == 400
    assert 'data-code="office_staff_only"' in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_disabled_account_is_refused(staff):
    staff["clerk"].is_active = False
    staff["clerk"].save()
    response = post_login(Client(), "clerk")
    assert response.status_code == 400
    # A disabled user's password is still checked first; Django's check passes, the role
    # gate then refuses the inactive account.
    assert 'data-code="office_account_disabled"' in response.content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_login_from_every_address_even_with_the_right_password(staff):
    for number in range(5):
        response = post_login(Client(REMOTE_ADDR=f"192.0.2.{number}"), "clerk", "wrong")
        assert response.status_code == 400
    client = Client(REMOTE_ADDR="198.51.100.7")  # another address: the login is counted
    response = post_login(client, "clerk")
    assert response.status_code == 429
    assert 'data-code="login_rate_limited"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another login from the same addresses is not locked.
    assert post_login(Client(REMOTE_ADDR="192.0.2.0"), "head").status_code == 302


@pytest.mark.django_db
def test_a_success_clears_earlier_failures(staff):
    client = Client()
    for _ in range(4):
        post_login(client, "clerk", "wrong")
    assert post_login(client, "clerk").status_code == 302
    client = Client()
    for _ in range(4):
        post_login(client, "clerk", "wrong")
    assert post_login(client, "clerk").status_code == 302


@pytest.mark.django_db
def test_login_redirects_to_next_only_within_the_site(staff):
    response = post_login(Client(), "clerk", next="/office/dashboard/")
    assert response.url == "/office/dashboard/"
    response = post_login(Client(), "clerk", next="https://evil.example/")
    assert response.url == reverse("office:inbox")


@pytest.mark.django_db
def test_login_form_is_csrf_protected(staff):
    client = Client(enforce_csrf_checks=True)
    assert post_login(client, "clerk").status_code == 403
    page = client.get(LOGIN)
    token = page.cookies["csrftoken"].value
    response = post_login(client, "clerk", csrfmiddlewaretoken=token)
    assert response.status_code == 302


@pytest.mark.django_db
def test_log_out_is_a_post_and_is_audited(staff):
    client = Client()
    post_login(client, "clerk")
    assert client.get("/office/log-out/").status_code == 405
    response = client.post("/office/log-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action="office.logout", actor=staff["clerk"]).exists()
    assert client.get("/office/").status_code == 302


@pytest.mark.django_db
def test_anonymous_goes_to_the_desks_log_in_and_back_to_the_whole_page(staff):
    """Staff pages send to the desk's own log-in page (not settings.LOGIN_URL, the portal's,
    nor the admin's) with the page and its query in ?next=, and back there after log-in."""
    page = "/office/?q=CULT-2026&step=check"
    client = Client()
    response = client.get(page)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/office/%3Fq%3DCULT-2026%26step%3Dcheck"
    form = client.get(response.url).content.decode()
    assert 'name="next" value="/office/?q=CULT-2026&amp;step=check"' in form
    back = post_login(client, "head", next=page)
    assert back.status_code == 302 and back.url == page
