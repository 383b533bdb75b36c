"""Sign-up and log-in through the API (p.10 процесс 1, условие 1, процесс 2), tokens, staff."""

import base64

import pytest
from django.core.cache import cache
from django.utils import timezone

from qyzmet.accounts.models import User
from qyzmet.api.models import ApiToken, RequestCount
from qyzmet.audit.models import AuditRecord
from qyzmet.eds.tests.tampering import BAD_CODES, bad_variant
from qyzmet.testing import DEMO_STAFF_PASSWORD

from .conftest import Api, sign_up, signed_challenge

pytestmark = pytest.mark.django_db

PASSWORD = "Portal-Pass-2026!"


def test_sign_up_with_eds_creates_the_account_and_returns_a_token(pki, catalog):
    api = sign_up(pki, "abenova")
    me = api.get("/auth/me/").json()
    assert me["role"] == "applicant" and me["iin"] == "900101300007"
    assert me["has_portal_password"] is False
    token = ApiToken.objects.get()
    assert token.key_sha256 != api.token and len(token.key_sha256) == 64  # stored hashed
    assert token.expires_at > timezone.now()


def test_sign_up_twice_is_refused(pki, catalog):
    sign_up(pki, "abenova")
    api = Api()
    response = api.post("/auth/sign-up/", signed_challenge(api, pki, "abenova", "sign_up"))
    assert response.status_code == 409 and response.json()["code"] == "account_exists"


@pytest.mark.parametrize(("person", "code"), [("tolegenova", "revoked"), ("eskenov", "expired")])
def test_sign_up_refusals(pki, catalog, person, code):
    api = Api()
    response = api.post("/auth/sign-up/", signed_challenge(api, pki, person, "sign_up"))
    assert response.status_code == 400 and response.json()["code"] == code
    assert not User.objects.exists()


@pytest.mark.parametrize("code", BAD_CODES)
def test_sign_up_with_a_tampered_or_retired_signature_opens_no_account(pki, catalog, code):
    api = Api()
    challenge = api.post("/auth/challenges/", {"purpose": "sign_up"}).json()
    payload = base64.b64decode(challenge["payload"])
    signature = bad_variant(code, pki, "abenova", payload, other="nurlanov", key="auth")
    response = api.post(
        "/auth/sign-up/",
        {"challenge": challenge["id"], "signature": base64.b64encode(signature).decode()},
    )
    assert response.status_code == 400 and response.json()["code"] == code
    assert not User.objects.exists()


def test_challenge_is_used_once(pki, catalog):
    api = Api()
    signed = signed_challenge(api, pki, "abenova", "sign_up")
    assert api.post("/auth/sign-up/", signed).status_code == 201
    replay = api.post("/auth/sign-up/", signed)
    assert replay.status_code == 400 and replay.json()["code"] == "challenge_invalid"


def test_password_then_log_in_with_password_and_log_out(pki, catalog):
    api = sign_up(pki, "abenova")
    weak = api.post("/auth/password/", {"password": "123"})
    assert weak.status_code == 400 and weak.json()["code"] == "password_invalid"
    response = api.post("/auth/password/", {"password": PASSWORD, "email": "dana@example.kz"})
    assert response.status_code == 200 and response.json()["has_portal_password"] is True

    fresh = Api()
    logged = fresh.post("/auth/log-in/", {"login": "900101300007", "password": PASSWORD})
    assert logged.status_code == 200, logged.content
    fresh.token = logged.json()["token"]
    assert fresh.get("/auth/me/").json()["email"] == "dana@example.kz"

    assert fresh.post("/auth/log-out/").status_code == 204
    after = fresh.get("/auth/me/")
    assert after.status_code == 401 and after.json()["code"] == "token_invalid"
    assert api.get("/auth/me/").status_code == 200  # other tokens stay valid


def test_log_in_refusals_do_not_tell_which_logins_exist(pki, catalog):
    api = sign_up(pki, "abenova")
    api.post("/auth/password/", {"password": PASSWORD})
    wrong = Api().post("/auth/log-in/", {"login": "900101300007", "password": "nope"})
    unknown = Api().post("/auth/log-in/", {"login": "850715450105", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() and wrong.json()["code"] == "login_incorrect"


def test_log_in_is_rate_limited_by_the_accounts_rules(pki, catalog, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    sign_up(pki, "abenova").post("/auth/password/", {"password": PASSWORD})
    api = Api()
    for _ in range(2):
        api.post("/auth/log-in/", {"login": "900101300007", "password": "nope"})
    blocked = api.post("/auth/log-in/", {"login": "900101300007", "password": PASSWORD})
    assert blocked.status_code == 429 and blocked.json()["code"] == "login_rate_limited"


def test_log_in_with_eds(pki, catalog):
    sign_up(pki, "abenova")
    api = Api()
    response = api.post("/auth/log-in/eds/", signed_challenge(api, pki, "abenova", "log_in"))
    assert response.status_code == 200, response.content
    assert response.json()["user"]["iin"] == "900101300007"

    stranger = api.post("/auth/log-in/eds/", signed_challenge(api, pki, "nurlanov", "log_in"))
    assert stranger.status_code == 400 and stranger.json()["code"] == "not_registered"
    wrong_purpose = api.post("/auth/log-in/eds/", signed_challenge(api, pki, "abenova", "sign_up"))
    assert wrong_purpose.json()["code"] == "challenge_invalid"


def test_expired_and_forged_tokens_are_refused(pki, catalog):
    api = sign_up(pki, "abenova")
    ApiToken.objects.update(expires_at=timezone.now())
    assert api.get("/auth/me/").json()["code"] == "token_invalid"
    for header in ("Bearer qzm_forged", "Bearer", "Bearer a b", "Bearer " + "x" * 300):
        response = Api().get("/auth/me/", headers={"Authorization": header})
        assert response.status_code == 401 and response.json()["code"] == "token_invalid"


def test_auth_endpoints_are_throttled(catalog, settings):
    settings.QYZMET_API_AUTH_RATE = "3/min"
    api = Api()
    answers = [api.post("/auth/challenges/", {"purpose": "log_in"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert answers[-1].json()["code"] == "throttled"
    assert int(answers[-1]["Retry-After"]) > 0


def test_staff_log_in(office):
    assert office["head"].get("/auth/me/").json()["role"] == "head"
    wrong = Api().post("/auth/staff/log-in/", {"username": "head", "password": "wrong"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "office_login_refused"


def test_staff_log_in_is_rate_limited_like_the_desk(office, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 3
    answers = [
        Api().post("/auth/staff/log-in/", {"username": "head", "password": "wrong"})
        for _ in range(4)
    ]
    assert [a.json()["code"] for a in answers] == ["office_login_refused"] * 3 + [
        "login_rate_limited"
    ]
    # Refused unchecked now, even with the right password; the refusals are in the audit log.
    right = Api().post("/auth/staff/log-in/", {"username": "head", "password": DEMO_STAFF_PASSWORD})
    assert right.json()["code"] == "login_rate_limited"
    assert AuditRecord.objects.filter(action="accounts.login_refused").count() == 3


def test_applicants_cannot_use_staff_log_in(pki, catalog):
    sign_up(pki, "abenova").post("/auth/password/", {"password": PASSWORD})
    response = Api().post("/auth/staff/log-in/", {"username": "900101300007", "password": PASSWORD})
    assert response.status_code == 400 and response.json()["code"] == "office_staff_only"


def test_session_requests_need_csrf(pki, catalog):
    from django.test import Client

    user = User.objects.get(pk=sign_up(pki, "abenova").get("/auth/me/").json()["id"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get("/api/v1/auth/me/").status_code == 200
    response = browser.post(
        "/api/v1/applications/", '{"service": "temporary-export"}', content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"


def test_api_throttle_counts_in_the_database_not_per_process(catalog, settings):
    """The count survives the cache (per process) being emptied: it is in the database."""
    settings.QYZMET_API_AUTH_RATE = "3/min"
    api = Api()
    answers = []
    for _ in range(4):
        cache.clear()
        answers.append(api.post("/auth/challenges/", {"purpose": "log_in"}).status_code)
    assert answers == [201, 201, 201, 429]
    assert RequestCount.objects.exists()


def test_api_throttle_believes_x_forwarded_for_only_from_trusted_proxies(catalog, settings):
    settings.QYZMET_API_AUTH_RATE = "2/min"

    def challenge(forwarded: str, remote: str = "203.0.113.5"):
        api = Api()
        api.client.defaults["REMOTE_ADDR"] = remote
        headers = {"X-Forwarded-For": forwarded}
        return api.post("/auth/challenges/", {"purpose": "log_in"}, headers).status_code

    # An untrusted peer inventing addresses is still one client.
    assert [challenge(f"198.51.100.{n}") for n in range(3)] == [201, 201, 429]
    # Behind the configured proxy each forwarded client has its own count.
    settings.QYZMET_TRUSTED_PROXIES = ["10.0.0.1"]
    assert [challenge(f"198.51.100.{n}", "10.0.0.1") for n in range(3)] == [201, 201, 201]


def test_garbage_eds_log_ins_do_not_lock_out_the_address(pki, catalog, settings):
    """Issue 12, as it was seen: five anonymous garbage signatures locked EDS log-in for
    everyone at the address for 15 minutes."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES_PER_ADDRESS = 5
    sign_up(pki, "abenova")
    api = Api()
    for _ in range(6):
        challenge = api.post("/auth/challenges/", {"purpose": "log_in"}).json()
        garbage = api.post("/auth/log-in/eds/", {"challenge": challenge["id"], "signature": "AAAA"})
        assert garbage.status_code in (400, 429)
    assert garbage.status_code == 429 and garbage.json()["code"] == "login_rate_limited"
    response = api.post("/auth/log-in/eds/", signed_challenge(api, pki, "abenova", "log_in"))
    assert response.status_code == 200, response.content
