"""Applicants' accounts on the portal: sign-up with the EDS, the portal password, log-in
(regulation p.10 "через портал": процесс 1, условие 1, процесс 2).

Every function here is view-independent (the portal's pages and the REST API both call
them), runs its writes in a transaction, and records what happened in the audit log. A
refusal is a :class:`~qyzmet.core.refusals.Refused` with a stable code; the only writes a
refusal leaves behind are the ones that must survive it: a used-up challenge and a counted
log-in failure.

Settings (each with a default):

- ``QYZMET_ACCOUNTS_CHALLENGE_SECONDS`` (300): how long a sign-up / log-in challenge lives.
- ``QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES`` (5): refused log-ins per login and client address
  within the window before further attempts are refused without checking the password.
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

from qyzmet.audit import actions as audit
from qyzmet.core.identifiers import normalize
from qyzmet.core.locking import locked
from qyzmet.core.refusals import Refused, register

from .models import Challenge, ChallengePurpose, LoginFailure, Role, User

DEFAULTS = {"CHALLENGE_SECONDS": 300, "LOGIN_MAX_FAILURES": 5, "LOGIN_WINDOW_SECONDS": 900}


def setting(name: str) -> int:
    return int(getattr(settings, f"QYZMET_ACCOUNTS_{name}", DEFAULTS[name]))


register(
    "challenge_invalid",
    ru="Запрос на подпись устарел или уже использован. Подпишите новый запрос.",
    kk="Қол қоюға арналған сұрау ескірген немесе пайдаланылған. Жаңа сұрауға қол қойыңыз.",
    en="The request to sign has expired or was already used. Sign a new one.",
)
register(
    "unknown_login",
    ru="Отказ в авторизации: пользователь с таким ИИН/БИН не зарегистрирован на портале.",
    kk="Авторизациядан бас тартылды: мұндай ЖСН/БСН бар пайдаланушы порталда тіркелмеген.",
    en="Log-in refused: no portal user is registered with this IIN/BIN.",
)
register(
    "password_incorrect",
    ru="Отказ в авторизации: неверный пароль.",
    kk="Авторизациядан бас тартылды: құпиясөз қате.",
    en="Log-in refused: wrong password.",
)
register(
    "account_disabled",
    ru="Отказ в авторизации: учётная запись заблокирована.",
    kk="Авторизациядан бас тартылды: есептік жазба бұғатталған.",
    en="Log-in refused: the account is blocked.",
)
register(
    "login_rate_limited",
    ru="Слишком много неудачных попыток входа. Повторите через {minutes} мин.",
    kk="Кіру әрекеттері тым көп сәтсіз болды. {minutes} минуттан кейін қайталаңыз.",
    en="Too many failed log-in attempts. Try again in {minutes} min.",
    status=429,
)
register(
    "account_exists",
    ru="Пользователь с этим {identifier} уже зарегистрирован. Войдите на портал.",
    kk="Осы {identifier} бар пайдаланушы тіркелген. Порталға кіріңіз.",
    en="A user with this {identifier} is already registered. Please log in.",
    status=409,
)
register(
    "not_registered",
    ru="Отказ в авторизации: владелец этого ключа ЭЦП не зарегистрирован на портале.",
    kk="Авторизациядан бас тартылды: осы ЭЦҚ кілтінің иесі порталда тіркелмеген.",
    en="Log-in refused: the holder of this EDS key is not registered on the portal.",
)
register(
    "certificate_without_iin",
    ru="В регистрационном свидетельстве ЭЦП нет ИИН владельца.",
    kk="ЭЦҚ тіркеу куәлігінде иесінің ЖСН-і жоқ.",
    en="The EDS certificate carries no IIN of its holder.",
)
register(
    "password_invalid",
    ru="Пароль не подходит: {detail}",
    kk="Құпиясөз жарамсыз: {detail}",
    en="The password is not acceptable: {detail}",
)


# --- challenges ----------------------------------------------------------------------------


@transaction.atomic
def issue_challenge(purpose: str) -> Challenge:
    """A fresh one-time challenge for ``purpose`` (``sign_up`` or ``log_in``)."""
    if purpose not in ChallengePurpose.values:
        raise Refused("challenge_invalid")
    now = timezone.now().replace(microsecond=0)
    # Expired challenges are worthless; sweeping a few here keeps the table small.
    Challenge.objects.filter(expires_at__lt=now - timedelta(hours=1)).delete()
    challenge = Challenge.objects.create(
        public_id=uuid.uuid4(),
        purpose=purpose,
        nonce=secrets.token_hex(32),
        created_at=now,
        expires_at=now + timedelta(seconds=setting("CHALLENGE_SECONDS")),
    )
    audit.record(None, "accounts.issue_challenge", obj=challenge, after={"purpose": purpose})
    return challenge


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


def _verified_holder(challenge: Challenge, signature) -> dict:
    """Verify the CMS over the challenge with an authentication key: chain, period,
    revocation (условие 2 applied to sign-up and log-in)."""
    from qyzmet.eds.service import verifier

    if isinstance(signature, str):
        signature = signature.encode("ascii", "replace")
    verdict = verifier().verify_cms(bytes(signature or b""), challenge.payload, purpose="auth")
    if not verdict.valid:
        raise Refused(verdict.code)
    holder = verdict.signer.to_inspect_dict()
    if not holder["subject"]["iin"]:
        raise Refused("certificate_without_iin")
    return holder


# --- sign-up -------------------------------------------------------------------------------


def _login_of(subject: dict) -> str:
    """Individuals log in with their IIN, legal entities with their BIN (условие 1)."""
    return subject["bin"] or subject["iin"]


def sign_up_with_eds(challenge_id, signature) -> User:
    """Create the applicant's account from their authentication certificate (процесс 1):
    bound to the IIN, and for a legal entity's certificate to its BIN too. The account has
    no usable password until :func:`set_portal_password`."""
    challenge = _use_challenge(challenge_id, ChallengePurpose.SIGN_UP)
    holder = _verified_holder(challenge, signature)
    subject = holder["subject"]
    login = _login_of(subject)
    identifier = "БИН/BIN" if subject["bin"] else "ИИН/IIN"
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
            )
            user.set_unusable_password()
            user.save()
            audit.record(
                user,
                "accounts.sign_up",
                obj=user,
                after={
                    "login": login,
                    "iin": user.iin,
                    "bin": user.bin,
                    "certificate_serial": holder["serial"],
                    "roles": holder["roles"],
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


register(
    "email_invalid",
    ru="Адрес электронной почты указан неверно.",
    kk="Электрондық пошта мекенжайы қате көрсетілген.",
    en="The e-mail address is invalid.",
)


# --- log-in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginThrottle:
    """The failure counter of one kind of log-in (``"password"``, ``"eds"``, ``"office"``…)
    for one login and client address (the portal's, the API's and the office's log-ins).

    ``check()`` before looking at the credentials (``login_rate_limited`` once
    ``QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES`` refusals fall within the window), then exactly one
    of ``record_failure(code)`` (counted and audited as ``accounts.login_refused``; the
    caller raises the refusal) or ``record_success(user, method)`` (the counter is cleared,
    ``last_login`` set, audited as ``accounts.login``)."""

    kind: str
    login: str
    ip: str | None

    @property
    def key(self) -> str:
        # Hashed: a fixed-length key that stores neither the login nor the address.
        return hashlib.sha256(f"{self.kind}|{self.login}|{self.ip or ''}".encode()).hexdigest()

    def check(self) -> None:
        window = setting("LOGIN_WINDOW_SECONDS")
        since = timezone.now() - timedelta(seconds=window)
        failures = LoginFailure.objects.filter(throttle_key=self.key, at__gte=since)
        if failures.count() >= setting("LOGIN_MAX_FAILURES"):
            raise Refused("login_rate_limited", {"minutes": max(1, window // 60)})

    @transaction.atomic
    def record_failure(self, code: str, *, login: str | None = None) -> None:
        """``login``: the login as typed, for the audit (default: the counter's login)."""
        now = timezone.now()
        LoginFailure.objects.create(throttle_key=self.key, at=now)
        LoginFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()
        shown = self.login if login is None else login
        audit.record(
            None, "accounts.login_refused", after={"login": shown, "ip": self.ip, "code": code}
        )

    @transaction.atomic
    def record_success(self, user: User, method: str) -> None:
        LoginFailure.objects.filter(throttle_key=self.key).delete()
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        audit.record(user, "accounts.login", obj=user, after={"method": method, "ip": self.ip})


def _applicant(login: str) -> User | None:
    return User.objects.filter(username=login, role=Role.APPLICANT).first()


def authenticate_with_password(login: str, password: str, ip: str) -> User:
    """Condition 1: the login (IIN or BIN) and the password. Refusals (процесс 2):
    ``unknown_login``, ``password_incorrect``, ``account_disabled``, and
    ``login_rate_limited`` after too many failures from one address for one login."""
    login = normalize(login or "")[:32]
    throttle = LoginThrottle("password", login, ip)
    throttle.check()
    user = _applicant(login) if login else None
    code = None
    if user is None:
        code = "unknown_login"
    elif not user.check_password(password or ""):
        code = "password_incorrect"
    elif not user.is_active:
        code = "account_disabled"
    if code is not None:
        throttle.record_failure(code)
        raise Refused(code)
    throttle.record_success(user, "password")
    return user


def authenticate_with_eds(challenge_id, signature, ip: str) -> User:
    """Log-in directly with the EDS authentication key over a log-in challenge."""
    throttle = LoginThrottle("eds", "", ip)
    throttle.check()
    try:
        challenge = _use_challenge(challenge_id, ChallengePurpose.LOG_IN)
        holder = _verified_holder(challenge, signature)
    except Refused as refusal:
        throttle.record_failure(refusal.code)
        raise
    subject = holder["subject"]
    login = _login_of(subject)
    user = _applicant(login)
    code = None
    if user is None:
        code = "not_registered"
    elif user.iin != subject["iin"]:
        # A legal entity's account belongs to the representative who signed it up.
        code = "iin_mismatch"
    elif not user.is_active:
        code = "account_disabled"
    if code is not None:
        throttle.record_failure(code, login=login)
        raise Refused(code)
    throttle.record_success(user, "eds")
    return user
