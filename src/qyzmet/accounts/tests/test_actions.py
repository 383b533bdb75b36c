"""Applicants' accounts (accounts/actions.py): sign-up with the EDS (p.10 процесс 1), the
portal password and log-in (условие 1, процесс 2), with the real CMS verifier over the
project's demo PKI (the root conftest's ``demo_pki``)."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from qyzmet.accounts import actions as accounts
from qyzmet.accounts.models import Challenge, ChallengePurpose, LoginFailure, Role, User
from qyzmet.audit.models import AuditRecord
from qyzmet.core.refusals import Refused
from qyzmet.demo.pki import COMPANY_BIN, COMPANY_NAME
from qyzmet.testing import ABENOVA_IIN, PORTAL_PASSWORD, sign_up, signed_challenge

pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value


def refused_code(call, *args, **kwargs) -> str:
    return refused(call, *args, **kwargs).code


def test_individual_sign_up_binds_the_account_to_the_iin_of_the_certificate(demo_pki):
    challenge, signature = signed_challenge(demo_pki, "abenova")
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


def test_legal_entity_sign_up_is_the_representatives_own_account_for_the_bin(demo_pki):
    user = sign_up(demo_pki, "serikbaev", password=None)
    iin = demo_pki.person("serikbaev")["iin"]
    assert (user.username, user.bin, user.iin) == (f"{iin}@{COMPANY_BIN}", COMPANY_BIN, iin)
    assert user.organization == COMPANY_NAME
    assert user.certificate_roles == ["first_head"] and user.may_sign_for_entity is True


def test_challenge_is_single_use(demo_pki):
    challenge, signature = signed_challenge(demo_pki, "abenova")
    accounts.sign_up_with_eds(challenge.public_id, signature)
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "challenge_invalid"
    )


def test_expired_challenge_is_refused_and_creates_nothing(demo_pki):
    challenge, signature = signed_challenge(demo_pki, "abenova")
    Challenge.objects.filter(pk=challenge.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "challenge_invalid"
    )
    assert not User.objects.filter(username=ABENOVA_IIN).exists()


def test_log_in_challenge_cannot_sign_up(demo_pki):
    challenge, signature = signed_challenge(demo_pki, "abenova", ChallengePurpose.LOG_IN)
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "challenge_invalid"
    )


def test_unknown_purpose_and_garbage_ids_are_refused(demo_pki):
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
def test_sign_up_refusals_of_condition_2(demo_pki, person, key, code):
    challenge, signature = signed_challenge(demo_pki, person, key=key)
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == code
    assert not User.objects.filter(role=Role.APPLICANT).exists()


def test_untrusted_certificate_is_refused(demo_pki, settings, tmp_path):
    (tmp_path / "empty").mkdir()
    settings.QYZMET_EDS_TRUST_ANCHORS_DIR = tmp_path / "empty"
    challenge, signature = signed_challenge(demo_pki, "abenova")
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "untrusted_chain"
    )


def test_signature_over_other_bytes_is_refused(demo_pki):
    challenge = accounts.issue_challenge(ChallengePurpose.SIGN_UP)
    signature = demo_pki.sign("abenova", b"something else", "auth")
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "digest_mismatch"
    )


def test_garbage_signature_is_malformed(demo_pki):
    challenge = accounts.issue_challenge(ChallengePurpose.SIGN_UP)
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, "bm90IGEgY21z") == (
        "malformed"
    )


def test_second_sign_up_of_the_same_person_is_refused(demo_pki):
    sign_up(demo_pki, "abenova")
    challenge, signature = signed_challenge(demo_pki, "abenova")
    assert refused_code(accounts.sign_up_with_eds, challenge.public_id, signature) == (
        "account_exists"
    )


def test_weak_password_is_refused_and_good_one_is_set(demo_pki):
    user = sign_up(demo_pki, "abenova", password=None)
    assert refused_code(accounts.set_portal_password, user, "12345678") == "password_invalid"
    user.refresh_from_db()
    assert not user.has_usable_password()
    accounts.set_portal_password(user, PORTAL_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(PORTAL_PASSWORD)


def test_password_log_in_and_its_refusals(demo_pki):
    """One code and one text for an unknown login and a wrong password: the answer does not
    tell which IINs are registered; the audit keeps which it was."""
    user = sign_up(demo_pki, "abenova")
    assert accounts.authenticate_with_password(ABENOVA_IIN, PORTAL_PASSWORD, "10.0.0.1") == user
    unknown = refused(accounts.authenticate_with_password, "000000000000", "x", "10.0.0.1")
    wrong = refused(accounts.authenticate_with_password, ABENOVA_IIN, "nope", "10.0.0.1")
    assert unknown.code == wrong.code == "login_incorrect"
    for language in ("ru", "kk", "en"):
        assert unknown.message(language) == wrong.message(language)
    reasons = AuditRecord.objects.filter(action="accounts.login_refused").order_by("id")
    assert [r.after["code"] for r in reasons] == ["unknown_login", "password_incorrect"]


def test_a_representative_logs_in_with_their_iin_and_the_bin(demo_pki):
    user = sign_up(demo_pki, "serikbaev")
    iin = demo_pki.person("serikbaev")["iin"]
    assert accounts.authenticate_with_password(iin, PORTAL_PASSWORD, "ip", COMPANY_BIN) == user
    # The BIN alone names no person; the IIN alone is the person's own (individual) account.
    for login, entity_bin in ((COMPANY_BIN, ""), (iin, "")):
        assert refused_code(
            accounts.authenticate_with_password, login, PORTAL_PASSWORD, "ip", entity_bin
        ) == ("login_incorrect")


def test_staff_accounts_cannot_log_in_on_the_portal(demo_pki, staff):
    assert refused_code(accounts.authenticate_with_password, "clerk", "demo-Qyzmet-2026", "ip") == (
        "login_incorrect"
    )


def test_log_in_is_rate_limited_per_login_from_any_address(demo_pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 3
    sign_up(demo_pki, "abenova")
    sign_up(demo_pki, "nurlanov")
    for number in range(3):  # one IIN guessed from many addresses
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "wrong", f"10.0.0.{number}")
    # Even the right password is not checked any more for this login, from any address...
    assert (
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, PORTAL_PASSWORD, "10.9.9.9")
        == "login_rate_limited"
    )
    # ...while another person at the same addresses logs in.
    nurlanov = demo_pki.person("nurlanov")["iin"]
    assert accounts.authenticate_with_password(nurlanov, PORTAL_PASSWORD, "10.0.0.0")


def test_password_spraying_from_one_address_is_limited_more_loosely(demo_pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 3
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    sign_up(demo_pki, "abenova")
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


def test_the_throttle_counts_in_the_database_for_every_process(demo_pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    sign_up(demo_pki, "abenova")
    refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "wrong", "10.0.0.1")
    throttle = accounts.LoginThrottle("password", ABENOVA_IIN, "10.0.0.1")
    keys = set(LoginFailure.objects.values_list("throttle_key", flat=True))
    assert keys == {throttle.identity_key, throttle.address_key}
    assert ABENOVA_IIN not in str(keys) and "10.0.0.1" not in str(keys)  # stored hashed


def test_failures_outside_the_window_do_not_count(demo_pki, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    sign_up(demo_pki, "abenova")
    for _ in range(2):
        refused_code(accounts.authenticate_with_password, ABENOVA_IIN, "wrong", "ip")
    LoginFailure.objects.update(at=timezone.now() - timedelta(hours=1))
    accounts.authenticate_with_password(ABENOVA_IIN, PORTAL_PASSWORD, "ip")
    # A success clears this login's failures, never the address's.
    identity = accounts.LoginThrottle("password", ABENOVA_IIN, "ip").identity_key
    assert not LoginFailure.objects.filter(throttle_key=identity).exists()
    assert LoginFailure.objects.count() == 2


def test_eds_log_in(demo_pki):
    user = sign_up(demo_pki, "abenova")
    challenge, signature = signed_challenge(demo_pki, "abenova", ChallengePurpose.LOG_IN)
    assert accounts.authenticate_with_eds(challenge.public_id, signature, "ip") == user


@pytest.mark.parametrize(
    ("person", "code"),
    [("nurlanov", "not_registered"), ("tolegenova", "revoked"), ("eskenov", "expired")],
)
def test_eds_log_in_refusals(demo_pki, person, code):
    sign_up(demo_pki, "abenova")
    challenge, signature = signed_challenge(demo_pki, person, ChallengePurpose.LOG_IN)
    assert (
        refused_code(accounts.authenticate_with_eds, challenge.public_id, signature, "ip") == code
    )


def eds_log_in(demo_pki, person: str, ip: str, signature: str | None = None):
    challenge, real = signed_challenge(demo_pki, person, ChallengePurpose.LOG_IN)
    return accounts.authenticate_with_eds(challenge.public_id, signature or real, ip)


def test_eds_failures_of_a_proven_holder_lock_that_holder_only(demo_pki, settings):
    """tolegenova's key really signs, but her certificate is revoked: her failures count
    against her; abenova at the same address logs in."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    user = sign_up(demo_pki, "abenova")
    for _ in range(2):
        assert refused(eds_log_in, demo_pki, "tolegenova", "10.0.0.5").code == "revoked"
    assert refused(eds_log_in, demo_pki, "tolegenova", "10.7.7.7").code == "login_rate_limited"
    assert eds_log_in(demo_pki, "abenova", "10.0.0.5") == user


def test_eds_garbage_never_locks_anyone_out(demo_pki, settings):
    """Issue 12: five anonymous garbage signatures used to lock EDS log-in for everyone at
    the address. Garbage names nobody: it is counted against the address only, loosely,
    and a real holder's log-in from that address still succeeds."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    user = sign_up(demo_pki, "abenova")
    answers = [refused(eds_log_in, demo_pki, "abenova", "10.0.0.6", "AAAA").code for _ in range(5)]
    assert answers == ["malformed"] * 3 + ["login_rate_limited"] * 2
    assert eds_log_in(demo_pki, "abenova", "10.0.0.6") == user


def test_eds_forgery_with_someones_certificate_does_not_lock_them(demo_pki, settings):
    """A certificate is public: put into a signature its key did not make (here abenova's
    real signature over another challenge), it names nobody."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    user = sign_up(demo_pki, "abenova")
    _, foreign = signed_challenge(demo_pki, "abenova", ChallengePurpose.LOG_IN)
    for _ in range(3):
        assert (
            refused(eds_log_in, demo_pki, "abenova", "10.0.0.8", foreign).code == "digest_mismatch"
        )
    assert eds_log_in(demo_pki, "abenova", "10.0.0.8") == user


def test_payload_is_what_the_page_signs(demo_pki):
    challenge = accounts.issue_challenge(ChallengePurpose.SIGN_UP)
    text = challenge.payload.decode("ascii")
    assert text.startswith(f"qyzmet:sign_up:{challenge.public_id}:{challenge.nonce}:")
    assert len(challenge.nonce) == 64
    assert base64.b64encode(challenge.payload)  # ASCII only: safe to carry in JSON


def test_changing_a_password_needs_the_current_one(demo_pki):
    user = sign_up(demo_pki, "abenova")
    assert refused_code(accounts.set_portal_password, user, "Another-Pass-2027!") == (
        "password_incorrect"
    )
    accounts.set_portal_password(user, "Another-Pass-2027!", current_password=PORTAL_PASSWORD)
    user.refresh_from_db()
    assert user.check_password("Another-Pass-2027!")


def test_refused_password_leaves_the_email_unchanged(demo_pki):
    user = sign_up(demo_pki, "abenova", password=None)
    assert refused_code(accounts.set_portal_password, user, "123", email="new@example.kz") == (
        "password_invalid"
    )
    assert refused_code(
        accounts.set_portal_password, user, PORTAL_PASSWORD, email="not-an-email"
    ) == ("email_invalid")
    user.refresh_from_db()
    assert user.email == "" and not user.has_usable_password()


# --- actions the portal's pages and eGov mobile reach -------------------------------------------


def test_challenges_are_limited_per_address_and_expired_ones_purged(demo_pki, settings):
    settings.QYZMET_ACCOUNTS_CHALLENGES_PER_ADDRESS = 2
    first = accounts.issue_challenge(ChallengePurpose.SIGN_UP, "10.0.0.1")
    accounts.issue_challenge(ChallengePurpose.LOG_IN, "10.0.0.1")
    refusal = refused(accounts.issue_challenge, ChallengePurpose.SIGN_UP, "10.0.0.1")
    assert refusal.code == "challenge_rate_limited"
    assert accounts.issue_challenge(ChallengePurpose.SIGN_UP, "10.0.0.2")  # another address
    # An expired challenge can never be used: it is purged and no longer counts.
    Challenge.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert accounts.issue_challenge(ChallengePurpose.SIGN_UP, "10.0.0.1")
    assert not Challenge.objects.filter(pk=first.pk).exists()


def test_checking_the_holder_does_not_spend_the_challenge(demo_pki):
    """eGov mobile's PUT checks the phone's signature; the browser then calls the action."""
    challenge, signature = signed_challenge(demo_pki, "abenova")
    holder = accounts.check_eds_holder(ChallengePurpose.SIGN_UP, challenge, signature)
    assert holder["subject"]["iin"] == ABENOVA_IIN
    user = accounts.sign_up_with_eds(challenge.public_id, signature)  # still usable
    assert user.iin == ABENOVA_IIN
    again, signature = signed_challenge(demo_pki, "abenova")
    assert refused_code(accounts.check_eds_holder, ChallengePurpose.SIGN_UP, again, signature) == (
        "account_exists"
    )


@pytest.mark.parametrize(
    ("person", "purpose", "code"),
    [
        ("abenova", ChallengePurpose.LOG_IN, None),
        ("nurlanov", ChallengePurpose.LOG_IN, "not_registered"),
        ("tolegenova", ChallengePurpose.SIGN_UP, "revoked"),
        ("abenova", "other", "challenge_invalid"),  # the challenge is not of that purpose
    ],
)
def test_checking_the_holder_refuses_what_the_action_would(demo_pki, person, purpose, code):
    user = sign_up(demo_pki, "abenova")
    challenge, signature = signed_challenge(demo_pki, person, ChallengePurpose.LOG_IN)
    if purpose == ChallengePurpose.SIGN_UP:
        challenge, signature = signed_challenge(demo_pki, person)
    if code is None:
        holder = accounts.check_eds_holder(purpose, challenge, signature)
        assert holder["subject"]["iin"] == user.iin
        assert accounts.authenticate_with_eds(challenge.public_id, signature, "ip") == user
    else:
        assert refused_code(accounts.check_eds_holder, purpose, challenge, signature) == code
    assert refused_code(accounts.check_eds_holder, purpose, None, signature) == (
        "challenge_invalid"
    )


def test_the_eds_log_in_keeps_a_summary_of_the_certificate_and_nothing_more(demo_pki):
    user = sign_up(demo_pki, "abenova")
    challenge, signature = signed_challenge(demo_pki, "abenova", ChallengePurpose.LOG_IN)
    accounts.authenticate_with_eds(challenge.public_id, signature, "ip")
    record = AuditRecord.objects.get(action="accounts.login", actor=user)
    holder = accounts.check_eds_holder(
        ChallengePurpose.SIGN_UP, *signed_challenge(demo_pki, "nurlanov")
    )
    summary = accounts.certificate_summary(holder)
    assert set(summary) == {"serial", "common_name", "issuer", "algorithm", "not_after"}
    assert summary["common_name"] == holder["subject"]["common_name"]
    certificate = record.after["certificate"]
    assert set(certificate) == set(summary)
    assert certificate["common_name"].startswith("АБЕНОВА") and certificate["serial"]


def test_contact_email_is_checked_audited_and_may_be_cleared(demo_pki):
    user = sign_up(demo_pki, "abenova")
    user = accounts.update_contact_email(user, "  dana@example.kz ")
    assert User.objects.get(pk=user.pk).email == "dana@example.kz"
    record = AuditRecord.objects.get(action="accounts.update_email")
    assert (record.before, record.after) == ({"email": ""}, {"email": "dana@example.kz"})
    assert refused_code(accounts.update_contact_email, user, "not-an-email") == "email_invalid"
    assert User.objects.get(pk=user.pk).email == "dana@example.kz"
    accounts.update_contact_email(user, "")
    assert User.objects.get(pk=user.pk).email == ""


def test_the_account_page_changes_the_password_with_the_current_one(demo_pki):
    user = sign_up(demo_pki, "abenova")
    new = "Another-Pass-2027!"
    assert refused_code(accounts.change_password, user, PORTAL_PASSWORD, "123", "ip") == (
        "password_invalid"
    )
    accounts.change_password(user, PORTAL_PASSWORD, new, "10.0.0.3")
    user.refresh_from_db()
    assert user.check_password(new) and not user.check_password(PORTAL_PASSWORD)
    record = AuditRecord.objects.get(action="accounts.change_password")
    assert (record.actor_id, record.after) == (user.pk, {"ip": "10.0.0.3"})


def test_wrong_current_passwords_count_as_refused_log_ins(demo_pki, settings):
    """A borrowed session guesses no faster on the account page than at the log-in form."""
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 2
    user = sign_up(demo_pki, "abenova")
    for number in range(2):
        assert refused_code(
            accounts.change_password, user, "guess", "New-Pass-2027!", f"10.0.0.{number}"
        ) == ("current_password_incorrect")
    assert refused_code(
        accounts.change_password, user, PORTAL_PASSWORD, "New-Pass-2027!", "10.9.9.9"
    ) == ("login_rate_limited")
    assert refused_code(
        accounts.authenticate_with_password, ABENOVA_IIN, PORTAL_PASSWORD, "10.9.9.9"
    ) == ("login_rate_limited")
    user.refresh_from_db()
    assert user.check_password(PORTAL_PASSWORD)


def test_only_an_applicant_with_a_password_changes_it(demo_pki, staff):
    from django.contrib.auth.models import AnonymousUser

    for who in (staff["clerk"], AnonymousUser(), None):
        assert refused_code(accounts.change_password, who, "x", "New-Pass-2027!", "ip") == (
            "permission_denied"
        )
    without = sign_up(demo_pki, "nurlanov", password=None)
    assert refused_code(accounts.change_password, without, "", "New-Pass-2027!", "ip") == (
        "password_not_set"
    )
