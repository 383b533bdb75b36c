"""The audit log: append-only, hash-chained.

Every action on a case writes one :class:`AuditRecord` in the action's own transaction. Each
record carries the SHA-256 of its canonical content together with the previous record's hash, so
altering or removing any row breaks the chain at that row; :class:`AuditHead` (one row, updated
in the same transaction) holds the last id and hash, so removing rows from the tail is detected
too. Appends are serialised by locking the head row. The database refuses UPDATE and DELETE on
the records table (triggers in the migrations); `qyzmet audit verify` checks the chain.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditRecord(models.Model):
    # Assigned by the writer (head's last id + 1) under the head lock: the id is hashed.
    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("время"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who acted, as text, so the record stays readable whatever happens to the account.
    actor_label = models.CharField(_("кто"), max_length=200)
    action = models.CharField(_("действие"), max_length=80)
    case_id = models.BigIntegerField(_("дело"), null=True, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("запись аудита")
        verbose_name_plural = _("журнал аудита")
        ordering = ["id"]
        indexes = [models.Index(fields=["case_id", "id"], name="audit_case_idx")]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} by {self.actor_label}"

    @property
    def event(self):
        """The event (with its ru/kk/en label), or None for a code no longer in the set."""
        from .events import event_of

        return event_of(self.action)


class AuditHead(models.Model):
    """The tail of the chain: one row (id=1). Locked while a record is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_record_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("вершина цепочки аудита")

    def __str__(self) -> str:
        return f"audit head #{self.last_record_id}"
