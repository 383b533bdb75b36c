from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who does what (regulation p.7): the clerk registers paper applications, the executor
    registers portal ones, checks and prepares, the head assigns and signs."""

    CLERK = "clerk", _("Сотрудник канцелярии")
    EXECUTOR = "executor", _("Исполнитель")
    HEAD = "head", _("Руководитель")
    ADMINISTRATOR = "administrator", _("Администратор")
    APPLICANT = "applicant", _("Услугополучатель")


STAFF_ROLES = frozenset({Role.CLERK, Role.EXECUTOR, Role.HEAD, Role.ADMINISTRATOR})
# The roles of a legal entity's certificate that may sign its requests (EDS.md: EKU
# 1.2.398.3.3.4.1.2.1 first head, .2.2 person with the right of signature).
SIGNING_ROLES = frozenset({"first_head", "signer"})


def applicant_login(iin: str, bin: str = "") -> str:
    """The username of an applicant's account: one account per *person acting in one
    capacity* (docs/accounts.md). An individual's is their IIN; a legal entity's
    representative's is ``IIN@BIN`` — their own IIN (the certificate's SERIALNUMBER) acting
    for the BIN (its OU). Any number of representatives per BIN; the same person may also
    hold an individual's account and represent other entities, each a separate account."""
    return f"{iin}@{bin}" if bin else iin


class User(AbstractUser):
    role = models.CharField(_("роль"), max_length=16, choices=Role.choices, db_index=True)
    # Staff: the IIN in the person's own EDS certificate (the head's signature is matched
    # against it). Applicants: the person's IIN, and for a legal entity's representative
    # the BIN they act for (username: ``applicant_login(iin, bin)``).
    iin = models.CharField(_("ИИН"), max_length=12, blank=True, db_index=True)
    bin = models.CharField(_("БИН"), max_length=12, blank=True, db_index=True)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
    # Legal-entity applicants: the organisation of the certificate they signed up with
    # (the person's own name stays in last/first name and patronymic).
    organization = models.CharField(_("организация"), max_length=500, blank=True)
    # A representative's roles for the entity as the NCA certificate's extendedKeyUsage
    # says (first_head, signer, finance_signer, hr, employee; EDS.md), from the certificate
    # of the sign-up and refreshed by every EDS log-in. Shown to the person (an employee
    # is told a signing-right holder submits); never trusted for a signature: a request's
    # signing certificate is checked on its own roles when it is submitted.
    certificate_roles = models.JSONField(_("роли по сертификату"), default=list, blank=True)
    # Staff: the position as the signature block of a result document prints it under the
    # signer's name, in each language of the documents (empty: the template's own wording,
    # e.g. "Басшы / Руководитель").
    position_kk = models.CharField(_("должность (каз.)"), max_length=300, blank=True)
    position_ru = models.CharField(_("должность (рус.)"), max_length=300, blank=True)
    position_en = models.CharField(_("должность (англ.)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles

    @property
    def is_representative(self) -> bool:
        """An applicant acting for a legal entity (its BIN) rather than for themselves."""
        return self.role == Role.APPLICANT and bool(self.bin)

    @property
    def may_sign_for_entity(self) -> bool | None:
        """What the roles of the last certificate say: True with the first head's or a
        signing right, False without, None when unknown (an account from before the roles
        were kept, until its next EDS log-in) or not a representative."""
        if not self.is_representative or not self.certificate_roles:
            return None
        return bool(SIGNING_ROLES.intersection(self.certificate_roles))

    @property
    def position(self) -> dict[str, str]:
        """The position by language (only those filled in)."""
        found = {"kk": self.position_kk, "ru": self.position_ru, "en": self.position_en}
        return {language: text for language, text in found.items() if text}

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)
        return name or self.username


class ChallengePurpose(models.TextChoices):
    SIGN_UP = "sign_up", _("регистрация на портале")
    LOG_IN = "log_in", _("вход по ЭЦП")


class Challenge(models.Model):
    """A one-time random text the applicant signs with the EDS authentication key
    (regulation p.10, процесс 1). Issued by the server, short-lived and used at most once,
    so a captured signature cannot be replayed."""

    public_id = models.UUIDField(unique=True, editable=False)
    purpose = models.CharField(max_length=10, choices=ChallengePurpose.choices)
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Who asked (a hash of the client address): the live challenges per address are limited.
    address_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("одноразовый вызов ЭЦП")
        verbose_name_plural = _("одноразовые вызовы ЭЦП")
        indexes = [
            models.Index(fields=["expires_at"], name="challenge_expiry_idx"),
            models.Index(fields=["address_key"], name="challenge_address_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.public_id}"

    @property
    def payload(self) -> bytes:
        """The exact bytes the page signs (ASCII, no ambiguity about encodings)."""
        return (
            f"qyzmet:{self.purpose}:{self.public_id}:{self.nonce}:"
            f"{self.expires_at:%Y-%m-%dT%H:%M:%SZ}"
        ).encode("ascii")


class LoginFailure(models.Model):
    """One refused log-in, counted per identity and, apart, per client address to slow down
    password guessing and spraying (condition 1; ``actions.LoginThrottle``). Only failures
    are stored; a success clears its identity's."""

    throttle_key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("неудачный вход")
        verbose_name_plural = _("неудачные входы")
        indexes = [models.Index(fields=["throttle_key", "at"], name="login_failure_key_at_idx")]

    def __str__(self) -> str:
        return f"{self.throttle_key[:8]}… at {self.at}"
