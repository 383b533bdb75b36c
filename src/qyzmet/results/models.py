"""Result documents: the PDF the head signs (PAdES), and what the public verification shows.

One row per decision that was rendered for signature. ``prepare`` stores the PDF with its
signature placeholder and the offsets of the reserved region; ``finalize`` embeds the head's
CMS there and stores the signed PDF, the signed result data (JSON) and the CMS in storage.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def result_storage():
    """The storage of issued documents (setting ``QYZMET_RESULTS_STORAGE``)."""
    from django.core.files.storage import storages

    from . import conf

    return storages[conf.get("STORAGE")]


def new_token() -> str:
    # 192 bits: the QR link is the only way to the page, so it must not be guessable.
    return secrets.token_urlsafe(24)


class OutgoingRegister(models.Model):
    """The outgoing register of result documents: one sequence per provider, document kind
    and year, separate from the incoming registration numbers. ``last_number`` is the last
    number taken (``actions.take_number``, under a row lock)."""

    provider = models.CharField(max_length=64)
    kind = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("журнал исходящих документов")
        verbose_name_plural = _("журналы исходящих документов")
        constraints = [
            models.UniqueConstraint(
                fields=("provider", "kind", "year"), name="results_outgoing_register_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.kind} {self.year}: {self.last_number}"


class DocumentState(models.TextChoices):
    PREPARED = "prepared", _("подготовлен к подписи")
    ISSUED = "issued", _("выдан")
    REVOKED = "revoked", _("отозван")


class ResultDocument(models.Model):
    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="result_documents"
    )
    decision = models.OneToOneField(
        "cases.Decision", on_delete=models.PROTECT, related_name="result_document"
    )
    # The template's kind (catalogue ``[result].kind`` or ``refusal_kind``): an open set.
    kind = models.CharField(max_length=64)
    # The outgoing number (``OutgoingRegister``), taken when the document is first prepared.
    number = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        max_length=10, choices=DocumentState.choices, default=DocumentState.PREPARED
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    # What finalize needs: the prepared PDF and the region reserved for the CMS (hex digits
    # between '<' and '>'), plus the SHA-256 of the bytes the signature covers.
    prepared_pdf = models.BinaryField(null=True, blank=True)
    region_start = models.PositiveIntegerField(null=True, blank=True)
    region_end = models.PositiveIntegerField(null=True, blank=True)
    covered_sha256 = models.CharField(max_length=64, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    # Whom the prepared PDF's signature block names, and the date it prints: the head the
    # document was last prepared for (``actions.prepare_for_head``: the head who opened the
    # sign page) and that day in Almaty. ``prepared_signer`` keeps what was printed
    # (``{"name": …, "position": {language: …}}``) so every view of the document says the same.
    prepared_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_signer = models.JSONField(default=dict, blank=True)
    prepared_on = models.DateField(null=True, blank=True)

    # The issued document: signed PDF, signed result data and the CMS, side by side.
    pdf = models.FileField(max_length=200, blank=True, storage=result_storage)
    data = models.FileField(max_length=200, blank=True, storage=result_storage)
    signature = models.FileField(max_length=200, blank=True, storage=result_storage)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=300, blank=True)
    signer_iin = models.CharField(max_length=12, blank=True)
    signer_organization = models.CharField(max_length=500, blank=True)
    signer_bin = models.CharField(max_length=12, blank=True)
    signer_serial = models.CharField(max_length=80, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # PAdES B-LTA: when the TSA certificate of the PDF's newest time-stamp expires; the
    # renewal job (``renewal.py``) adds the next document time-stamp before then. None for a
    # document whose PDF carries no time-stamp (issued before issue 10).
    timestamp_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("документ результата")
        verbose_name_plural = _("документы результата")
        indexes = [
            models.Index(fields=["application", "state"], name="result_doc_app_state_idx"),
            models.Index(fields=["pdf_sha256"], name="result_doc_pdf_sha_idx"),
            # the public upload check finds the document an earlier copy was re-stamped from
            models.Index(fields=["covered_sha256"], name="result_doc_covered_sha_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.application_id} ({self.state})"

    def snapshot(self) -> dict:
        return {
            "state": self.state,
            "kind": self.kind,
            "number": self.number,
            "pdf_sha256": self.pdf_sha256,
            "signer_iin": self.signer_iin,
            "revocation_reason": self.revocation_reason,
        }
