"""The Django admin (issue 12 item 2): its log-in goes through the desk's throttle and audit,
and every change made in it is an audited action with the fields before and after — or the
model is read-only there."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory

from qyzmet.accounts.models import Role, User
from qyzmet.audit.admin import AuditedModelAdmin
from qyzmet.audit.models import AuditRecord
from qyzmet.testing import DEMO_STAFF_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def root(db):
    return User.objects.create_superuser(
        "root", password=DEMO_STAFF_PASSWORD, role=Role.ADMINISTRATOR
    )


def admin_log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_admin_log_in_is_audited(root):
    client = Client()
    response = admin_log_in(client, "root", DEMO_STAFF_PASSWORD)
    assert response.status_code == 302 and client.get("/admin/").status_code == 200
    login = AuditRecord.objects.get(action="accounts.login")
    assert login.actor == root and login.after["method"] == "admin_password"
    assert login.after["ip"] == "127.0.0.1"


def test_admin_wrong_passwords_are_throttled_then_429_even_for_the_right_one(root, settings):
    """As it was seen: 30 wrong passwords in 14 s, then the right one worked."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 5
    client = Client()
    for _ in range(5):
        response = admin_log_in(client, "root", "wrong")
        assert response.status_code == 200 and "Отказ в авторизации" in response.content.decode()
    response = admin_log_in(client, "root", DEMO_STAFF_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    refused = AuditRecord.objects.filter(action="accounts.login_refused")
    assert refused.count() == 5 and {r.after["code"] for r in refused} == {"office_login_refused"}


def test_admin_and_desk_share_one_count_of_guesses(root, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 4
    for _ in range(2):
        Client().post("/office/log-in/", {"username": "root", "password": "wrong"})
        admin_log_in(Client(), "root", "wrong")
    desk = Client().post("/office/log-in/", {"username": "root", "password": DEMO_STAFF_PASSWORD})
    assert desk.status_code == 429


def test_staff_without_the_admin_flag_cannot_log_in_to_the_admin(staff):
    response = admin_log_in(Client(), "clerk", DEMO_STAFF_PASSWORD)
    assert response.status_code == 200 and "администраторам" in response.content.decode()
    assert AuditRecord.objects.get(action="accounts.login_refused").after["code"] == (
        "admin_staff_only"
    )


def logged_in(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


def user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "role": user.role,
        "iin": user.iin,
        "bin": user.bin,
        "patronymic": user.patronymic,
        "date_joined_0": user.date_joined.strftime("%d.%m.%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%d.%m.%Y"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_an_executor_made_head_with_an_iin_in_the_admin_is_in_the_chain(root, staff):
    """As it was seen: an executor was made head and given an IIN with no audit record."""
    executor = staff["executor"]
    response = logged_in(root).post(
        f"/admin/accounts/user/{executor.pk}/change/",
        user_form(executor, role=Role.HEAD, iin="880101300011"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    executor.refresh_from_db()
    assert (executor.role, executor.iin) == (Role.HEAD, "880101300011")
    change = AuditRecord.objects.get(action="admin.change")
    assert change.actor == root and change.object_id == str(executor.pk)
    assert change.object_type == "accounts.User"
    assert (change.before["role"], change.after["role"]) == (Role.EXECUTOR, Role.HEAD)
    assert (change.before["iin"], change.after["iin"]) == ("", "880101300011")
    assert change.after["password"] == "usable"  # never the hash
    assert change.after["groups"] == [] and change.after["user_permissions"] == []


def test_admin_adds_deletes_and_sets_passwords_in_the_chain(root):
    client = logged_in(root)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newclerk",
            "password1": "Very-Long-Pass-2026!",
            "password2": "Very-Long-Pass-2026!",
            "usable_password": "true",
            "role": Role.CLERK,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="newclerk")
    added = AuditRecord.objects.get(action="admin.add")
    assert added.before is None and added.after["role"] == Role.CLERK
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "Other-Long-Pass-2027!", "password2": "Other-Long-Pass-2027!"},
    )
    assert response.status_code == 302
    assert AuditRecord.objects.filter(action="admin.set_password", object_id=str(user.pk)).exists()
    response = client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=user.pk).exists()
    deleted = AuditRecord.objects.get(action="admin.delete")
    assert deleted.before["username"] == "newclerk" and deleted.after is None


def test_groups_and_bulk_deletes_are_audited(root):
    client = logged_in(root)
    assert client.post("/admin/auth/group/add/", {"name": "auditors"}).status_code == 302
    group = Group.objects.get(name="auditors")
    assert AuditRecord.objects.get(action="admin.add").after["name"] == "auditors"
    response = client.post(
        "/admin/auth/group/",
        {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not Group.objects.exists()
    assert AuditRecord.objects.get(action="admin.delete").before["name"] == "auditors"


# Admin pages whose saves go through the app's own audited actions.
ACTION_BACKED = {"calendar.DayOverride"}  # calendar.actions.save_day_override / delete_…


def test_every_model_in_the_admin_is_audited_or_read_only(root):
    request = RequestFactory().get("/admin/")
    request.user = root
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if isinstance(model_admin, AuditedModelAdmin) or label in ACTION_BACKED:
            continue
        writable = (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        )
        assert writable == (False, False, False), f"{label} is writable in the admin unaudited"
