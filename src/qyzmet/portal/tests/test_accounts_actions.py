"""Applicants' accounts (accounts/actions.py): sign-up with the EDS (p.10 процесс 1), the
portal password and log-in (условие 1, процесс 2), with the real CMS verifier over the
project's demo PKI."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from qyzmet.accounts import actions as accounts
from qyzmet.accounts.models import Challenge, ChallengePurpose, LoginFailure, Role, User
from qyzmet.audit.models import AuditRecord
from qyzmet.core.refusals import Refused
from qyzmet.demo.pki import COMPANY_BIN, COMPANY_NAME

from .conftest import ABENOVA_IIN, PORTAL_PASSWORD, sign_up, signed_challenge

pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value


def refused_code(call, *args, **kwargs) -> str:
    return refused(call, *args, **kwargs).code


def test_individual_sign_up_binds_the_account_to_the_iin_of_the_certificate(pki):
    challenge, signature = signed_challenge(pki, "abenova")
    user = accounts.sign_up_with_eds(challenge.public_id, signature)
    assert (user.username, user.iin, user.bin, user.role) == (
        ABENOVA_IIN,
        ABENOVA_IIN,
        "",
        Role.APPLICANT,
    )
    assert (user.last_name, user.first_name, user.patronymic) == ("АБЕНОВА", "ДАНА", "ЕРЛАНОВНА")
    assert not user.has_usable_password()  # the password is set in the next step
    assert AuditRecord.objects.filter(action="accounts.sign_up", actor=user).exists()


def test_legal_entity_sign_up_is_the_representatives_own_account_for_the_bin(pki):
    user = sign_up(pki, "serikbaev", password=None)
    iin = pki.person("serikbaev")["iin"]
    assert (user.username, user.bin, user.iin) == (f"{iin}@{COMPANY_BIN}", COMPANY_BIN, iin)
    assert user.organization == COMPANY_NAME
    assert user.certificate_roles == ["first_head"] and user.may_sign_for_entity is True


def test_challenge_is_single_use(pki):
    challenge, signature = signed_challenge(pki, "abenova")
    accounts.sign_up_with_eds(challenge.public_id, signature)
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "challenge_invalid"
    )


def test_expired_challenge_is_refused_and_creates_nothing(pki):
    challenge, signature = signed_challenge(pki, "abenova")
    Challenge.objects.filter(pk=challenge.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "challenge_invalid"
    )
    assert not User.objects.filter(username=ABENOVA_IIN).exists()


def test_log_in_challenge_cannot_sign_up(pki):
    challenge, signature = signed_challenge(pki, "abenova", ChallengePurpose.LOG_IN)
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "challenge_invalid"
    )


def test_unknown_purpose_and_garbage_ids_are_refused(pki):
    assert refused_code(accounts.issue_challenge, "wire_money") == "challenge_invalid"
    assert refused_code(accounts.sign_up_with_eds, "not-a-uuid", "AAAA") == "challenge_invalid"


@pytest.mark.parametrize(
    ("person", "key", "code"),
    [
        ("eskenov", "auth", "expired"),
        ("tolegenova", "auth", "revoked"),
        ("abenova", "sign", "wrong_purpose"),  # a signing key is not an authentication key
    ],
)
def test_sign_up_refusals_of_condition_2(pki, person, key, code):
    challenge, signature = signed_challenge(pki, person, key=key)
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == code
    assert not User.objects.filter(role=Role.APPLICANT).exists()


def test_untrusted_certificate_is_refused(pki, settings, tmp_path):
    (tmp_path / "empty").mkdir()
    settings.QYZMET_EDS_TRUST_ANCHORS_DIR = tmp_path / "empty"
    challenge, signature = signed_challenge(pki, "abenova")
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "untrusted_chain"
    )


def test_signature_over_other_bytes_is_refused(pki):
    challenge = accounts.issue_challenge(ChallengePurpose.SIGN_UP)
    signature = pki.sign("abenova", b"something else", "auth")
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "digest_mismatch"
    )


def test_garbage_signature_is_malformed(pki):
    challenge = accounts.issue_challenge(ChallengePurpose.SIGN_UP)
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, "bm90IGEgY21z") == (
        "malformed"
    )


def test_second_sign_up_of_the_same_person_is_refused(pki):
    sign_up(pki, "abenova")
    challenge, signature = signed_challenge(pki, "abenova")
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "account_exists"
    )


def test_weak_password_is_refused_and_good_one_is_set(pki):
    user = sign_up(pki, "abenova", password=None)
    assert refused_code(accounts.set_portal_password, user, "12345678") == "password_invalid"
    user.refresh_from_db()
    assert not user.has_usable_password()
    accounts.set_portal_password(user, PORTAL_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(PORTAL_PASSWORD)


def test_password_log_in_and_its_refusals(pki):
    """One code and one text for an unknown login and a wrong password: the answer does not
    tell which IINs are registered; the audit keeps which it was."""
    user = sign_up(pki, "abenova")
    assert accounts.authenticate_with_password(ABENOVA_IIN, PORTAL_PASSWORD, "10.0.0.1") == user
    unknown = refused(accounts.authenticate_with_password, "000000000000", "x", "10.0.0.1")
    wrong = refused(accounts.authenticate_with_password, ABENOVA_IIN, "nope", "10.0.0.1")
    assert unknown.code == wrong.code == "login_incorrect"
    for language in ("ru", "kk", "en"):
        assert unknown.message(language) == wrong.message(language)
    reasons = AuditRecord.objects.filter(action="accounts.login_refused").order_by("id")
    assert [r.after["code"] for r in reasons] == ["unknown_login", "password_incorrect"]


def test_a_representative_logs_in_with_their_iin_and_the_bin(pki):
    user = sign_up(pki, "serikbaev")
    iin = pki.person("serikbaev")["iin"]
    assert accounts.authenticate_with_password(iin, PORTAL_PASSWORD, "ip", COMPANY_BIN) == user
    # The BIN alone names no person; the IIN alone is the person's own (individual) account.
    for login, entity_bin in ((COMPANY_BIN, ""), (iin, "")):
        assert refused_code(
            accounts.authenticate_with_password, login, PORTAL_PASSWORD, "ip", entity_bin
        ) == ("login_incorrect")


def test_staff_accounts_cannot_log_in_on_the_portal(pki, staff):
    assert refused_code(accounts.authenticate_with_password, "clerk", "demo-Qyzmet-2026", "ip") == (
        "login_incorrect"
    )


def test_log_in_is_rate_limited_per_login_from_any_address(pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 3
    sign_up(pki, "abenova")
    sign_up(pki, "nurlanov")
    for number in range(3):  # one IIN guessed from many addresses
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "wrong", f"10.0.0.{number}")
    # Even the right password is not checked any more for this login, from any address...
    assert (
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, PORTAL_PASSWORD, "10.9.9.9")
        == "login_rate_limited"
    )
    # ...while another person at the same addresses logs in.
    nurlanov = pki.person("nurlanov")["iin"]
    assert accounts.authenticate_with_password(nurlanov, PORTAL_PASSWORD, "10.0.0.0")


def test_password_spraying_from_one_address_is_limited_more_loosely(pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 3
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    sign_up(pki, "abenova")
    for number in range(6):  # many IINs, each tried once, from one address
        login = f"90010130{number:04d}"
        assert refused_code(accounts.authenticate_with_password, login, "x", "10.1.1.1") == (
            "login_incorrect"
        )
    assert (
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, PORTAL_PASSWORD, "10.1.1.1")
        == "login_rate_limited"
    )
    # The IINs themselves are not locked: from elsewhere the owner logs in.
    assert accounts.authenticate_with_password(ABENOVA_IIN, PORTAL_PASSWORD, "10.2.2.2")


def test_the_throttle_counts_in_the_database_for_every_process(pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    sign_up(pki, "abenova")
    refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "wrong", "10.0.0.1")
    throttle = accounts.LoginThrottle("password", ABENOVA_IIN, "10.0.0.1")
    keys = set(LoginFailure.objects.values_list("throttle_key", flat=True))
    assert keys == {throttle.identity_key, throttle.address_key}
    assert ABENOVA_IIN not in str(keys) and "10.0.0.1" not in str(keys)  # stored hashed


def test_failures_outside_the_window_do_not_count(pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    sign_up(pki, "abenova")
    for _ in range(2):
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "wrong", "ip")
    LoginFailure.objects.update(at=timezone.now() - timedelta(hours=1))
    accounts.authenticate_with_password(ABENOVA_IIN, PORTAL_PASSWORD, "ip")
    # A success clears this login's failures, never the address's.
    identity = accounts.LoginThrottle("password", ABENOVA_IIN, "ip").identity_key
    assert not LoginFailure.objects.filter(throttle_key=identity).exists()
    assert LoginFailure.objects.count() == 2


def test_eds_log_in(pki):
    user = sign_up(pki, "abenova")
    challenge, signature = signed_challenge(pki, "abenova", ChallengePurpose.LOG_IN)
    assert accounts.authenticate_with_eds(challenge.public_id, signature, "ip") == user


@pytest.mark.parametrize(
    ("person", "code"),
    [("nurlanov", "not_registered"), ("tolegenova", "revoked"), ("eskenov", "expired")],
)
def test_eds_log_in_refusals(pki, person, code):
    sign_up(pki, "abenova")
    challenge, signature = signed_challenge(pki, person, ChallengePurpose.LOG_IN)
    assert (
        refused_code(accounts.authenticate_with_eds, challenge.public_id, signature, "ip") == code
    )


def eds_log_in(pki, person: str, ip: str, signature: str | None = None):
    challenge, real = signed_challenge(pki, person, ChallengePurpose.LOG_IN)
    return accounts.authenticate_with_eds(challenge.public_id, signature or real, ip)


def test_eds_failures_of_a_proven_holder_lock_that_holder_only(pki, settings):
    """tolegenova's key really signs, but her certificate is revoked: her failures count
    against her; abenova at the same address logs in."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    user = sign_up(pki, "abenova")
    for _ in range(2):
        assert refused(eds_log_in, pki, "tolegenova", "10.0.0.5").code == "revoked"
    assert refused(eds_log_in, pki, "tolegenova", "10.7.7.7").code == "login_rate_limited"
    assert eds_log_in(pki, "abenova", "10.0.0.5") == user


def test_eds_garbage_never_locks_anyone_out(pki, settings):
    """Issue 12: five anonymous garbage signatures used to lock EDS log-in for everyone at
    the address. Garbage names nobody: it is counted against the address only, loosely,
    and a real holder's log-in from that address still succeeds."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    user = sign_up(pki, "abenova")
    answers = [refused(eds_log_in, pki, "abenova", "10.0.0.6", "AAAA").code for _ in range(5)]
    assert answers == ["malformed"] * 3 + ["login_rate_limited"] * 2
    assert eds_log_in(pki, "abenova", "10.0.0.6") == user


def test_eds_forgery_with_someones_certificate_does_not_lock_them(pki, settings):
    """A certificate is public: put into a signature its key did not make (here abenova's
    real signature over another challenge), it names nobody."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    user = sign_up(pki, "abenova")
    _, foreign = signed_challenge(pki, "abenova", ChallengePurpose.LOG_IN)
    for _ in range(3):
        assert refused(eds_log_in, pki, "abenova", "10.0.0.8", foreign).code == "digest_mismatch"
    assert eds_log_in(pki, "abenova", "10.0.0.8") == user


def test_payload_is_what_the_page_signs(pki):
    challenge = accounts.issue_challenge(ChallengePurpose.SIGN_UP)
    text = challenge.payload.decode("ascii")
    assert text.startswith(f"qyzmet:sign_up:{challenge.public_id}:{challenge.nonce}:")
    assert len(challenge.nonce) == 64
    assert base64.b64encode(challenge.payload)  # ASCII only: safe to carry in JSON


def test_changing_a_password_needs_the_current_one(pki):
    user = sign_up(pki, "abenova")
    assert refused_code(accounts.set_portal_password, user, "Another-Pass-2027!") == (
        "password_incorrect"
    )
    accounts.set_portal_password(user, "Another-Pass-2027!", current_password=PORTAL_PASSWORD)
    user.refresh_from_db()
    assert user.check_password("Another-Pass-2027!")


def test_refused_password_leaves_the_email_unchanged(pki):
    user = sign_up(pki, "abenova", password=None)
    assert refused_code(accounts.set_portal_password, user, "123", email="new@example.kz") == (
        "password_invalid"
    )
    assert refused_code(
        accounts.set_portal_password, user, PORTAL_PASSWORD, email="not-an-email"
    ) == ("email_invalid")
    user.refresh_from_db()
    assert user.email == "" and not user.has_usable_password()
