"""The register of applications (ГБД «Е-лицензирование» in the regulation's words).

An application is processed under the catalogue version in force when it was submitted. Its
progress is the ``workflow.Task`` rows; ``status`` here is the case's place in the process
(denormalised for fast lists and the applicant's view) and changes only in ``actions.py``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PORTAL = "portal", _("портал")
    OFFICE = "office", _("услугодатель")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("физическое лицо")
    LEGAL_ENTITY = "legal_entity", _("юридическое лицо")


class Status(models.TextChoices):
    DRAFT = "draft", _("черновик")
    REGISTERED = "registered", _("зарегистрировано, ожидает назначения исполнителя")
    CHECKING = "checking", _("проверка полноты документов")
    PREPARING = "preparing", _("подготовка результата")
    SIGNING = "signing", _("на подписи у руководителя")
    AWAITING_HANDOVER = "awaiting_handover", _("результат готов к выдаче")
    ISSUED = "issued", _("результат выдан")
    REFUSED = "refused", _("мотивированный отказ")
    INTAKE_REFUSED = "intake_refused", _("отказ в приеме документов")

    @classmethod
    def final(cls) -> frozenset[str]:
        return frozenset({cls.ISSUED, cls.REFUSED, cls.INTAKE_REFUSED})


class Outcome(models.TextChoices):
    NONE = "", _("нет")
    APPROVED = "approved", _("положительный")
    REFUSED = "refused", _("отказ")


class Application(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_version = models.ForeignKey(
        "catalog.ServiceVersion", on_delete=models.PROTECT, related_name="applications"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")

    applicant_kind = models.CharField(max_length=16, choices=ApplicantKind.choices)
    applicant_iin = models.CharField(_("ИИН"), max_length=12, blank=True)
    applicant_bin = models.CharField(_("БИН"), max_length=12, blank=True)
    applicant_name = models.CharField(_("услугополучатель"), max_length=300)
    # For a legal entity: the IIN of the person acting for it (head or representative).
    representative_iin = models.CharField(max_length=12, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Registry answer (GBD FL/UL) or the clerk's reason for entering data by hand.
    applicant_details = models.JSONField(default=dict, blank=True)

    form_data = models.JSONField(default=dict)
    # Paper route: the codes of the service's documents handed in at the desk (p.10 процесс 6).
    paper_documents = models.JSONField(default=list, blank=True)

    registration_number = models.CharField(max_length=32, unique=True, null=True, blank=True)
    registration_year = models.PositiveSmallIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When the application counts as registered: the next working moment for after-hours
    # portal submissions (SERVICES.md, schedule); deadlines run from here.
    registered_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="executed_applications",
    )
    refusal_codes = models.JSONField(default=list, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_applications"
    )
    # A retried or double-clicked submission carries the same key and registers once.
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic version for concurrent edits (drafts); bumped by every action.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("заявление")
        verbose_name_plural = _("заявления")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="application_idempotency"
            ),
            models.CheckConstraint(
                condition=(Q(applicant_kind="individual") & ~Q(applicant_iin=""))
                | (Q(applicant_kind="legal_entity") & ~Q(applicant_bin="")),
                name="application_applicant_identified",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "registered_at"], name="app_status_idx"),
            models.Index(fields=["applicant_iin"], name="app_iin_idx"),
            models.Index(fields=["applicant_bin"], name="app_bin_idx"),
            models.Index(fields=["applicant_user", "-created_at"], name="app_user_idx"),
            models.Index(fields=["applicant_name"], name="app_name_idx"),
            # The search by IIN also matches the person acting for a legal entity.
            models.Index(
                fields=["representative_iin"],
                condition=~Q(representative_iin=""),
                name="app_representative_iin_idx",
            ),
            # PostgreSQL also has case-insensitive prefix indexes on the registration number
            # and the name for the search (migration 0002, PostgreSQL only).
        ]

    def __str__(self) -> str:
        return self.registration_number or f"draft {self.public_id}"

    @property
    def is_final(self) -> bool:
        return self.status in Status.final()

    @property
    def identifier(self) -> str:
        return (
            self.applicant_bin
            if self.applicant_kind == ApplicantKind.LEGAL_ENTITY
            else self.applicant_iin
        )

    def snapshot(self) -> dict:
        """What the audit log records as before/after of an action."""
        return {
            "status": self.status,
            "outcome": self.outcome,
            "registration_number": self.registration_number,
            "executor_id": self.executor_id,
            "refusal_codes": self.refusal_codes,
            "revision": self.revision,
        }


class RegistrationCounter(models.Model):
    """Sequential registration numbers per provider and year, taken under a row lock in the
    registering transaction: no gaps from rolled-back sequences, no duplicates."""

    provider = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "year"], name="registration_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.year}: {self.last_number}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored names never come from the user: the original name is kept in a field.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="attachments"
    )
    # Which document of the service's list it is (catalogue code), or "other".
    document_code = models.CharField(max_length=60)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("вложение")
        verbose_name_plural = _("вложения")
        indexes = [models.Index(fields=["application", "document_code"], name="attachment_doc_idx")]

    def __str__(self) -> str:
        return self.original_name


class DecisionKind(models.TextChoices):
    APPROVAL = "approval", _("положительный результат")
    REFUSAL = "refusal", _("мотивированный отказ")


class DecisionState(models.TextChoices):
    AWAITING_SIGNATURE = "awaiting_signature", _("на подписи")
    RETURNED = "returned", _("возвращен исполнителю")
    SIGNED = "signed", _("подписан")


class Decision(models.Model):
    """The result the executor prepares and the head signs (p.5.4–5.5, p.6.3)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    state = models.CharField(
        max_length=20, choices=DecisionState.choices, default=DecisionState.AWAITING_SIGNATURE
    )
    # Refusal reasons: catalogue codes (p.10 условие 3 / процесс 8) and the motivation.
    reason_codes = models.JSONField(default=list, blank=True)
    explanation = models.TextField(blank=True)
    # The fields of the result document (prefilled from the application, edited by the executor).
    result_data = models.JSONField(default=dict, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField()
    return_comment = models.TextField(blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    # The canonical bytes the head signed and the detached CMS over them.
    signed_content = models.BinaryField(null=True, blank=True)
    signature = models.BinaryField(null=True, blank=True)
    signer_certificate = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("решение")
        verbose_name_plural = _("решения")
        constraints = [
            # At most one decision waiting for the head's signature per application.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="awaiting_signature"),
                name="one_decision_awaiting_signature",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.application_id} ({self.state})"


class Handover(models.Model):
    """Paper route end: the printed, signed and stamped result handed to the applicant."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="handover"
    )
    handed_at = models.DateTimeField()
    handed_to = models.CharField(max_length=300)
    handed_to_document = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"handover of {self.application_id} to {self.handed_to}"


class SignedRequest(models.Model):
    """The applicant's signed request as received (p.10 процесс 6): the canonical bytes and
    the detached CMS over them, kept as evidence."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="signed_request"
    )
    content = models.BinaryField()
    signature = models.BinaryField()
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"signed request of {self.application_id}"


class MailState(models.TextChoices):
    PENDING = "pending", _("ожидает отправки")
    SENDING = "sending", _("отправляется")
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("не доставлено")
    NO_ADDRESS = "no_address", _("нет адреса электронной почты")


class StatusMail(models.Model):
    """The applicant's status mail (p.11) as an outbox row: written by the action that changes
    the status, in its transaction; delivered by a task worker (``notify.deliver``), tried
    again with back-off when the mail server fails, and after the last attempt left FAILED
    for the administrator to see (admin: "Status mails", filter "not delivered")."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="status_mails"
    )
    status = models.CharField(max_length=32)
    state = models.CharField(max_length=16, choices=MailState.choices, default=MailState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While a worker sends it, the mail is its until then (then another may try).
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The RFC 5322 Message-ID every attempt of this mail carries (duplicates are recognisable).
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"status mail {self.status} of {self.application_id}: {self.state}"
