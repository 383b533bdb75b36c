"""Applicants' accounts on the portal: sign-up with the EDS, the portal password, log-in
(regulation p.10 "через портал": процесс 1, условие 1, процесс 2).

An account is a *person acting in one capacity* (docs/accounts.md): an individual's is their
IIN; a legal entity's representative's is their own IIN acting for the entity's BIN
(username ``IIN@BIN``, ``models.applicant_login``), with the roles of their certificate.
Any number of representatives per BIN, each signing up and logging in on their own; the
entity's applications are the entity's (``cases.queries.applicant_scope``). Password log-in
names the person: the IIN, plus the BIN for a representative.

Every function here is view-independent (the portal's pages and the REST API both call
them), runs its writes in a transaction, and records what happened in the audit log. A
refusal is a :class:`~qyzmet.core.refusals.Refused` with a stable code; the only writes a
refusal leaves behind are the ones that must survive it: a used-up challenge and a counted
log-in failure.

Settings (each with a default):

- ``QYZMET_ACCOUNTS_CHALLENGE_SECONDS`` (300): how long a sign-up / log-in challenge lives.
- ``QYZMET_ACCOUNTS_CHALLENGES_PER_ADDRESS`` (60): live (unexpired) challenges one client
  address may hold; more are refused with ``challenge_rate_limited`` (429).
- ``QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES`` (5): refused log-ins per identity (the login typed;
  for an EDS log-in the IIN/BIN of a certificate whose key really signed) within the window
  before further attempts for that identity are refused without checking the password.
- ``QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES_PER_ADDRESS`` (50): refused log-ins of any kind from
  one client address (``qyzmet.core.client``) within the window before password log-ins from
  it are refused unchecked; EDS log-ins whose key signed are never refused for the address.
- ``QYZMET_ACCOUNTS_LOGIN_WINDOW_SECONDS`` (900): that window.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from qyzmet.audit import actions as audit
from qyzmet.core.identifiers import normalize
from qyzmet.core.locking import locked
from qyzmet.core.refusals import Refused, register

from .models import Challenge, ChallengePurpose, LoginFailure, Role, User, applicant_login

DEFAULTS = {
    "CHALLENGE_SECONDS": 300,
    "CHALLENGES_PER_ADDRESS": 60,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 50,
    "LOGIN_WINDOW_SECONDS": 900,
}


def setting(name: str) -> int:
    return int(getattr(settings, f"QYZMET_ACCOUNTS_{name}", DEFAULTS[name]))


register(
    "challenge_invalid",
    gettext_lazy("Запрос на подпись устарел или уже использован. Подпишите новый запрос."),
)
register(
    "challenge_rate_limited",
    gettext_lazy(
        "Слишком много запросов на подпись с этого адреса. Повторите через {minutes} мин."
    ),
    status=429,
)
register(
    "login_incorrect",
    gettext_lazy(
        "Отказ в авторизации: неверный ИИН, БИН или пароль. Представитель юридического лица указывает свой ИИН и БИН организации."
    ),
)
register("password_incorrect", gettext_lazy("Отказ в авторизации: неверный пароль."))
register("account_disabled", gettext_lazy("Отказ в авторизации: учётная запись заблокирована."))
register(
    "login_rate_limited",
    gettext_lazy("Слишком много неудачных попыток входа. Повторите через {minutes} мин."),
    status=429,
)
register(
    "account_exists",
    gettext_lazy("Пользователь с этим {identifier} уже зарегистрирован. Войдите на портал."),
    status=409,
)
register(
    "not_registered",
    gettext_lazy("Отказ в авторизации: владелец этого ключа ЭЦП не зарегистрирован на портале."),
)
register(
    "certificate_without_iin",
    gettext_lazy("В регистрационном свидетельстве ЭЦП нет ИИН владельца."),
)
register("password_invalid", gettext_lazy("Пароль не подходит: {detail}"))


# --- challenges ----------------------------------------------------------------------------


@transaction.atomic
def issue_challenge(purpose: str, ip: str | None = None) -> Challenge:
    """A fresh one-time challenge for ``purpose`` (``sign_up`` or ``log_in``).

    Anyone may ask, so issuing writes no audit record (the sign-up or log-in it leads to is
    audited, a refused one too) and is limited per client address (``ip``, from
    ``qyzmet.core.client``): ``QYZMET_ACCOUNTS_CHALLENGES_PER_ADDRESS`` live challenges at
    most, then ``challenge_rate_limited`` (429). Expired challenges are purged here: they can
    never be used, and the live ones are the address's count."""
    if purpose not in ChallengePurpose.values:
        raise Refused("challenge_invalid")
    now = timezone.now().replace(microsecond=0)
    Challenge.objects.filter(expires_at__lt=now).delete()
    address_key = hashlib.sha256(f"challenge|{ip or ''}".encode()).hexdigest()
    if Challenge.objects.filter(address_key=address_key).count() >= setting(
        "CHALLENGES_PER_ADDRESS"
    ):
        minutes = max(1, -(-setting("CHALLENGE_SECONDS") // 60))
        raise Refused("challenge_rate_limited", {"minutes": minutes})
    return Challenge.objects.create(
        public_id=uuid.uuid4(),
        purpose=purpose,
        nonce=secrets.token_hex(32),
        created_at=now,
        expires_at=now + timedelta(seconds=setting("CHALLENGE_SECONDS")),
        address_key=address_key,
    )


def _use_challenge(challenge_id, purpose: str) -> Challenge:
    """Take the challenge for one attempt. It is spent even when the attempt then fails:
    each signature is checked once, so a refused one cannot be probed again."""
    try:
        public_id = uuid.UUID(str(challenge_id))
    except ValueError as exc:
        raise Refused("challenge_invalid") from exc
    now = timezone.now()
    with transaction.atomic():
        used = Challenge.objects.filter(
            public_id=public_id, purpose=purpose, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
    if used != 1:
        raise Refused("challenge_invalid")
    return Challenge.objects.get(public_id=public_id)


def _verify_holder(challenge: Challenge, signature):
    """The verdict on the CMS over the challenge with an authentication key: chain, period,
    revocation (условие 2 applied to sign-up and log-in)."""
    from qyzmet.eds.service import verifier

    if isinstance(signature, str):
        signature = signature.encode("ascii", "replace")
    return verifier().verify_cms(bytes(signature or b""), challenge.payload, purpose="auth")


def _verified_holder(challenge: Challenge, signature) -> dict:
    verdict = _verify_holder(challenge, signature)
    if not verdict.valid:
        raise Refused(verdict.code)
    holder = verdict.signer.to_inspect_dict()
    if not holder["subject"]["iin"]:
        raise Refused("certificate_without_iin")
    return holder


def check_eds_holder(purpose: str, challenge: Challenge, signature) -> dict:
    """What :func:`sign_up_with_eds` / :func:`authenticate_with_eds` would refuse of this
    signature over ``challenge``, checked without spending it (eGov mobile's PUT: the browser
    session that started the QR then calls the action itself). Returns the holder."""
    if challenge is None or challenge.purpose != purpose:
        raise Refused("challenge_invalid")
    holder = _verified_holder(challenge, signature)
    subject = holder["subject"]
    login = _login_of(subject)
    if purpose == ChallengePurpose.SIGN_UP:
        if User.objects.filter(username=login).exists():
            raise Refused("account_exists", {"identifier": _identifier(subject)})
        return holder
    user = _applicant(login)
    if user is None:
        raise Refused("not_registered")
    if (user.iin, user.bin) != (subject["iin"], subject["bin"] or ""):
        raise Refused("iin_mismatch")
    if not user.is_active:
        raise Refused("account_disabled")
    return holder


# --- sign-up -------------------------------------------------------------------------------


def _login_of(subject: dict) -> str:
    """The account of a certificate's holder: the person's IIN, acting for the certificate's
    BIN when it has one (условие 1; ``models.applicant_login``)."""
    return applicant_login(subject["iin"], subject["bin"] or "")


def _identifier(subject: dict) -> str:
    """How ``account_exists`` names what is taken, in the reader's language (a marked text
    as a parameter is rendered in the message's language)."""
    if subject["bin"]:
        return format_lazy("{} + {} {}", gettext_lazy("ИИН"), gettext_lazy("БИН"), subject["bin"])
    return gettext_lazy("ИИН")


def _person_and_entity(user: User) -> dict:
    """What every sign-up and log-in record says of who: the person and the entity."""
    return {
        "iin": user.iin,
        "bin": user.bin,
        "organization": user.organization,
        "roles": list(user.certificate_roles or ()),
    }


def sign_up_with_eds(challenge_id, signature) -> User:
    """Create the applicant's account from their authentication certificate (процесс 1):
    the person's own (their IIN), and for a legal entity's certificate acting for its BIN
    with the certificate's roles — every representative signs up on their own, whoever came
    first. The account has no usable password until :func:`set_portal_password`."""
    challenge = _use_challenge(challenge_id, ChallengePurpose.SIGN_UP)
    holder = _verified_holder(challenge, signature)
    subject = holder["subject"]
    login = _login_of(subject)
    identifier = _identifier(subject)
    if User.objects.filter(username=login).exists():
        raise Refused("account_exists", {"identifier": identifier})
    try:
        with transaction.atomic():
            user = User(
                username=login,
                role=Role.APPLICANT,
                iin=subject["iin"],
                bin=subject["bin"] or "",
                last_name=(subject["surname"] or "")[:150],
                first_name=(subject["given_name"] or "")[:150],
                patronymic=(subject["patronymic"] or "")[:150],
                organization=(subject["organization"] or "")[:500] if subject["bin"] else "",
                email=(subject["email"] or "")[:254],
                certificate_roles=list(holder["roles"]) if subject["bin"] else [],
            )
            user.set_unusable_password()
            user.save()
            audit.record(
                user,
                "accounts.sign_up",
                obj=user,
                after={
                    "login": login,
                    **_person_and_entity(user),
                    "certificate_serial": holder["serial"],
                    "roles": holder["roles"],
                    "certificate": certificate_summary(holder),
                },
            )
    except IntegrityError as exc:  # the same person signing up twice at once
        raise Refused("account_exists", {"identifier": identifier}) from exc
    return user


@transaction.atomic
def set_portal_password(
    user: User, password: str, current_password: str | None = None, email: str | None = None
) -> User:
    """Set the password for log-in with IIN/BIN + password (условие 1), checked by the
    configured password validators. Right after sign-up (no password yet) the EDS signature
    was the proof; changing an existing password needs the current one, so a borrowed
    session cannot take the account over."""
    if user is None or not user.is_authenticated or user.role != Role.APPLICANT:
        raise Refused("permission_denied")
    if user.has_usable_password() and not user.check_password(current_password or ""):
        raise Refused("password_incorrect")
    try:
        validate_password(password or "", user)
    except ValidationError as exc:
        raise Refused("password_invalid", {"detail": " ".join(exc.messages)}) from exc
    if email is not None:
        # Same transaction: a refused password leaves the address unchanged too.
        update_contact_email(user, email)
    user = locked(User.objects).get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(user, "accounts.set_password", obj=user)
    return user


@transaction.atomic
def update_contact_email(user: User, email: str) -> User:
    """Where the portal's notifications go (registration, refusal, issue)."""
    from django.core.validators import validate_email

    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Refused("email_invalid") from exc
    user = locked(User.objects).get(pk=user.pk)
    before = {"email": user.email}
    user.email = email
    user.save(update_fields=["email"])
    audit.record(user, "accounts.update_email", obj=user, before=before, after={"email": email})
    return user


register("email_invalid", gettext_lazy("Адрес электронной почты указан неверно."))


# --- log-in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginThrottle:
    """The refused log-ins of one kind (``"password"``, ``"eds"``, ``"office"``…), counted in
    the database (shared by every process) per *identity* and, more loosely, per client
    *address* — the portal's, the desk's, the admin's and the API's log-ins alike.

    ``identity`` is the login typed, or for an EDS log-in the IIN/BIN of a certificate whose
    key signed; ``""`` when the attempt names no one (garbage, a forged signature), which is
    then counted against the address only, so it can never lock a person out.

    ``check()`` before looking at a password (``login_rate_limited`` once
    ``QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES`` refusals for the identity, or
    ``..._PER_ADDRESS`` from the address, fall within the window), then exactly one of
    ``record_failure(code)`` (counted and audited as ``accounts.login_refused``; the caller
    raises the refusal) or ``record_success(user, method)`` (the identity's counter is
    cleared, ``last_login`` set, audited as ``accounts.login``). The address counter is
    never cleared by a success: one good log-in does not reset a spraying address."""

    kind: str
    identity: str
    ip: str | None

    @property
    def identity_key(self) -> str | None:
        # Hashed: a fixed-length key that stores neither the login nor the address.
        if not self.identity:
            return None
        return hashlib.sha256(f"{self.kind}|{self.identity}".encode()).hexdigest()

    @property
    def address_key(self) -> str:
        return hashlib.sha256(f"address|{self.ip or ''}".encode()).hexdigest()

    def _refused(self, key: str | None, limit_setting: str) -> bool:
        if key is None:
            return False
        since = timezone.now() - timedelta(seconds=setting("LOGIN_WINDOW_SECONDS"))
        failures = LoginFailure.objects.filter(throttle_key=key, at__gte=since)
        return failures.count() >= setting(limit_setting)

    def identity_locked(self) -> bool:
        return self._refused(self.identity_key, "LOGIN_MAX_FAILURES")

    def address_locked(self) -> bool:
        return self._refused(self.address_key, "LOGIN_MAX_FAILURES_PER_ADDRESS")

    def limited(self) -> Refused:
        minutes = max(1, setting("LOGIN_WINDOW_SECONDS") // 60)
        return Refused("login_rate_limited", {"minutes": minutes})

    def check(self) -> None:
        if self.identity_locked() or self.address_locked():
            raise self.limited()

    @transaction.atomic
    def record_failure(
        self, code: str, *, login: str | None = None, iin: str = "", bin: str = ""
    ) -> None:
        """``login``: the login as typed, for the audit (default: the identity); ``iin`` and
        ``bin``: the person and the entity the attempt named, when it named them."""
        now = timezone.now()
        keys = [key for key in (self.identity_key, self.address_key) if key]
        LoginFailure.objects.bulk_create([LoginFailure(throttle_key=k, at=now) for k in keys])
        LoginFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()
        shown = self.identity if login is None else login
        named = {"iin": iin, "bin": bin} if iin or bin else {}
        audit.record(
            None,
            "accounts.login_refused",
            after={"kind": self.kind, "login": shown, "ip": self.ip, "code": code, **named},
        )

    @transaction.atomic
    def record_success(
        self,
        user: User,
        method: str,
        certificate: dict | None = None,
        *,
        refreshed: dict | None = None,
    ) -> None:
        """``certificate``: the one an EDS log-in was signed with (the account page lists
        the certificates used to sign in: ``queries.sign_in_certificates``); ``refreshed``:
        the account's fields the log-in's certificate changed (their old values)."""
        if self.identity_key:
            LoginFailure.objects.filter(throttle_key=self.identity_key).delete()
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        after = {"method": method, "ip": self.ip, **_person_and_entity(user)}
        if certificate is not None:
            after["certificate"] = certificate
        audit.record(user, "accounts.login", obj=user, before=refreshed or None, after=after)


def check_password_evenly(user: User | None, password: str) -> bool:
    """The password check, costing the same whether or not the user exists (one refusal
    text and one timing for an unknown login and a wrong password)."""
    if user is None:
        User().set_password(password or "")  # the hasher's work, for nothing
        return False
    return user.check_password(password or "")


def _applicant(login: str) -> User | None:
    return User.objects.filter(username=login, role=Role.APPLICANT).first()


def authenticate_with_password(login: str, password: str, ip: str, entity_bin: str = "") -> User:
    """Condition 1: the person's IIN (``login``) and the password; a legal entity's
    representative also gives the BIN of the entity they act for (``entity_bin``) — the
    account ``IIN@BIN``. (An account from before representatives had their own, whose IIN
    was never known, still logs in with its BIN as ``login`` and no ``entity_bin``.)

    Refusals (процесс 2): ``login_incorrect`` — one code and one text whether the account is
    unknown or the password wrong, so the answer tells nobody which IINs are registered (the
    audit keeps which) —, ``account_disabled``, and ``login_rate_limited``
    (:class:`LoginThrottle`, per account and per address)."""
    iin = normalize(login or "")[:32]
    entity_bin = normalize(entity_bin or "")[:32]
    username = applicant_login(iin, entity_bin) if iin else ""
    throttle = LoginThrottle("password", username, ip)
    throttle.check()
    user = _applicant(username) if username else None
    reason = None
    if not check_password_evenly(user, password):
        reason = "unknown_login" if user is None else "password_incorrect"
    elif not user.is_active:
        reason = "account_disabled"
    if reason is not None:
        throttle.record_failure(reason, iin=iin, bin=entity_bin)
        raise Refused("account_disabled" if reason == "account_disabled" else "login_incorrect")
    throttle.record_success(user, "password")
    return user


def _refresh_from_certificate(user: User, holder: dict) -> dict:
    """A representative's roles and organisation as the log-in's certificate states them
    (a new certificate may give an employee the right of signature, or take it away).
    Returns the old values of what changed (saved, and recorded with the log-in)."""
    if not user.bin:
        return {}
    fresh = {
        "certificate_roles": list(holder["roles"]),
        "organization": (holder["subject"]["organization"] or user.organization)[:500],
    }
    changed = {k: getattr(user, k) for k, v in fresh.items() if getattr(user, k) != v}
    if changed:
        for name in changed:
            setattr(user, name, fresh[name])
        user.save(update_fields=list(changed))
    return changed


def authenticate_with_eds(challenge_id, signature, ip: str) -> User:
    """Log-in directly with the EDS authentication key over a log-in challenge: into the
    account of the certificate's holder — the IIN, acting for the certificate's BIN when it
    has one —, so each representative of an entity logs in as themselves; the roles of the
    certificate are refreshed on the account.

    Throttled per identity only once the identity is proven — the IIN/BIN of a certificate
    that chains to a trust anchor and whose key signed the challenge (:func:`holder_proven`).
    Garbage, or someone else's certificate in a signature its key did not make, names nobody:
    it is counted against the address, and over the address's limit it is answered
    ``login_rate_limited``; a real holder's log-in is never refused for its address."""
    from qyzmet.eds.cms import holder_proven

    anonymous = LoginThrottle("eds", "", ip)
    try:
        challenge = _use_challenge(challenge_id, ChallengePurpose.LOG_IN)
        verdict = _verify_holder(challenge, signature)
    except Refused as refusal:
        _refuse_anonymous(anonymous, refusal.code)
    if not holder_proven(verdict):
        _refuse_anonymous(anonymous, verdict.code)
    holder = verdict.signer.to_inspect_dict()
    subject = holder["subject"]
    login = _login_of(subject) if subject["iin"] else ""
    throttle = LoginThrottle("eds", login, ip)
    if throttle.identity_locked():
        raise throttle.limited()
    user = _applicant(login) if login else None
    code = verdict.code
    if code is None and not subject["iin"]:
        code = "certificate_without_iin"
    elif code is None and user is None:
        code = "not_registered"
    elif code is None and (user.iin, user.bin) != (subject["iin"], subject["bin"] or ""):
        code = "iin_mismatch"  # an account edited by hand so it no longer fits its login
    elif code is None and not user.is_active:
        code = "account_disabled"
    if code is not None:
        throttle.record_failure(code, login=login, iin=subject["iin"], bin=subject["bin"] or "")
        raise Refused(code)
    with transaction.atomic():
        refreshed = _refresh_from_certificate(user, holder)
        throttle.record_success(user, "eds", certificate_summary(holder), refreshed=refreshed)
    return user


def _refuse_anonymous(throttle: LoginThrottle, code: str):
    """An attempt that names nobody: counted against the address; over its limit the
    answer is ``login_rate_limited`` (429), otherwise the refusal itself."""
    throttle.record_failure(code)
    if throttle.address_locked():
        raise throttle.limited()
    raise Refused(code)


# --- the account page: the password changed with the current one ---------------------------


def certificate_summary(profile: dict) -> dict:
    """What the audit keeps of a certificate used to sign in (``to_inspect_dict`` shape):
    enough for the account page's list, nothing secret."""
    subject = profile.get("subject") or {}
    return {
        "serial": profile.get("serial"),
        "common_name": subject.get("common_name"),
        "issuer": profile.get("issuer"),
        "algorithm": profile.get("algorithm"),
        "not_after": profile.get("not_after"),
    }


def change_password(user: User, current_password: str, new_password: str, ip: str) -> User:
    """The account page: a new portal password, proven with the current one. Wrong current
    passwords count as refused log-ins of the account (:class:`LoginThrottle`, kind
    ``"password"``: the same counter as the log-in form's), so a borrowed session cannot
    guess the password here any faster than at the log-in form."""
    if user is None or not user.is_authenticated or user.role != Role.APPLICANT:
        raise Refused("permission_denied")
    if not user.has_usable_password():
        raise Refused("password_not_set")
    throttle = LoginThrottle("password", user.username, ip)
    throttle.check()
    if not user.check_password(current_password or ""):
        throttle.record_failure("password_incorrect")
        raise Refused("current_password_incorrect")
    try:
        validate_password(new_password or "", user)
    except ValidationError as exc:
        raise Refused("password_invalid", {"detail": " ".join(exc.messages)}) from exc
    with transaction.atomic():
        user = locked(User.objects).get(pk=user.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit.record(user, "accounts.change_password", obj=user, after={"ip": ip})
    return user


register("current_password_incorrect", gettext_lazy("Текущий пароль указан неверно."))
register(
    "password_not_set",
    gettext_lazy("Пароль для входа ещё не задан: задайте его на странице пароля."),
)
