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
from qyzmet.eds.demo_pki import COMPANY_BIN, COMPANY_NAME

from .conftest import ABENOVA_IIN, PORTAL_PASSWORD, sign_up, signed_challenge

pytestmark = pytest.mark.django_db


def refused_code(call, *args, **kwargs) -> str:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value.code


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


def test_legal_entity_sign_up_binds_bin_iin_and_organization(pki):
    user = sign_up(pki, "serikbaev", password=None)
    assert (user.username, user.bin, user.iin) == (
        COMPANY_BIN,
        COMPANY_BIN,
        pki.person("serikbaev")["iin"],
    )
    assert user.organization == COMPANY_NAME


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
    user = sign_up(pki, "abenova")
    assert accounts.authenticate_with_password(ABENOVA_IIN, PORTAL_PASSWORD, "10.0.0.1") == user
    assert refused_code(accounts.authenticate_with_password, "000000000000", "x", "10.0.0.1") == (
        "unknown_login"
    )
    assert refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "nope", "10.0.0.1") == (
        "password_incorrect"
    )
    assert AuditRecord.objects.filter(action="accounts.login_refused").count() == 2


def test_legal_entity_logs_in_with_its_bin(pki):
    user = sign_up(pki, "serikbaev")
    assert accounts.authenticate_with_password(COMPANY_BIN, PORTAL_PASSWORD, "ip") == user


def test_staff_accounts_cannot_log_in_on_the_portal(pki, staff):
    assert refused_code(accounts.authenticate_with_password, "clerk", "demo-Qyzmet-2026", "ip") == (
        "unknown_login"
    )


def test_log_in_is_rate_limited_per_login_and_address(pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 3
    sign_up(pki, "abenova")
    for _ in range(3):
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "wrong", "10.0.0.9")
    # Even the right password is not checked any more from this address for this login...
    assert (
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, PORTAL_PASSWORD, "10.0.0.9")
        == "login_rate_limited"
    )
    # ...but the owner can still log in from another address, which clears nothing here.
    accounts.authenticate_with_password(ABENOVA_IIN, PORTAL_PASSWORD, "10.0.0.10")
    assert LoginFailure.objects.count() == 3


def test_failures_outside_the_window_do_not_count(pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    sign_up(pki, "abenova")
    for _ in range(2):
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "wrong", "ip")
    LoginFailure.objects.update(at=timezone.now() - timedelta(hours=1))
    accounts.authenticate_with_password(ABENOVA_IIN, PORTAL_PASSWORD, "ip")
    assert LoginFailure.objects.count() == 0  # a success clears this login's failures


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


def test_eds_log_in_is_rate_limited(pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        challenge, signature = signed_challenge(pki, "tolegenova", ChallengePurpose.LOG_IN)
        refused_code(accounts.authenticate_with_eds, challenge.public_id, signature, "ip")
    challenge, signature = signed_challenge(pki, "abenova", ChallengePurpose.LOG_IN)
    assert refused_code(accounts.authenticate_with_eds, challenge.public_id, signature, "ip") == (
        "login_rate_limited"
    )


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
