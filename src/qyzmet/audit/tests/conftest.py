"""Helpers of the audit tests: records written through the real ``audit.record``, and what a
database owner could do to the append-only table."""

from django.db import connection, transaction

from qyzmet.audit import actions as audit
from qyzmet.audit.events import Event


def write(n, actor=None):
    for i in range(n):
        with transaction.atomic():
            audit.record(
                actor,
                Event.CASES_SAVE_DRAFT,
                case_id=100 + i,
                before={"n": i},
                after={"n": i + 1, "ü": "Қ"},
            )


def drop_append_only_triggers():
    """What an attacker with database-owner rights could do; the chain must still tell."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_record_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_record_no_delete")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_record_no_change ON audit_auditrecord")
