"""The same work for an unknown login as for a known one (issue 12 item 15): the desk answered
an unknown user in 13 ms and a known one in 438 ms, which told which logins exist. Every
password log-in — the desk, the admin, the portal, the API's applicant and staff log-ins —
runs the password hasher exactly once whether the login exists or not (as Django's
ModelBackend does). Counted, not timed: the hasher's calls are what the time was."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from qyzmet.testing import DEMO_STAFF_PASSWORD

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """The test suite's hasher, counting how often it hashes (checking a password hashes
    once too: ``verify`` encodes the candidate)."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counted(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]

    def hashes(send) -> int:
        CountingHasher.calls = 0
        send()
        return CountingHasher.calls

    return hashes


def _form(path, **fields):
    return lambda: Client().post(path, fields)


def _json(path, **fields):
    body = json.dumps(fields)
    return lambda: Client().post(path, body, content_type="application/json")


CHANNELS = {
    "desk": lambda login, password: _form("/office/log-in/", username=login, password=password),
    "admin": lambda login, password: _form("/admin/login/", username=login, password=password),
    "portal": lambda login, password: _form("/log-in/", login=login, password=password),
    "api": lambda login, password: _json("/api/v1/auth/log-in/", login=login, password=password),
    "api-staff": lambda login, password: _json(
        "/api/v1/auth/staff/log-in/", username=login, password=password
    ),
}


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_the_hasher_runs_once_for_an_unknown_login_as_for_a_known_one(
    channel, counted, staff, applicant
):
    known = applicant.username if channel in ("portal", "api") else staff["admin"].username
    unknown = "071231600008" if channel in ("portal", "api") else "nobody-here"
    attempt = CHANNELS[channel]
    # (the users were made before the counting began)
    assert counted(attempt(unknown, "wrong-password-1")) == 1
    assert counted(attempt(known, "wrong-password-1")) == 1
    assert counted(attempt(known, DEMO_STAFF_PASSWORD)) == 1


def test_an_account_without_a_password_costs_the_same_as_one_with(counted, applicant):
    """An applicant who signed up with the EDS and set no password (an unusable hash)."""
    applicant.set_unusable_password()
    applicant.save(update_fields=["password"])
    assert counted(CHANNELS["portal"](applicant.username, "wrong-password-1")) == 1
