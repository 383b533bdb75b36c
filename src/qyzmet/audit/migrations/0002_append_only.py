"""The database itself refuses UPDATE and DELETE on audit records (append-only).

Verification (`qyzmet audit verify`) still catches changes made by someone able to drop
these triggers; the triggers stop accidents and application-level tampering.
On SQLite (the embedded, single-machine database) only UPDATE is refused: Django's test
runner empties tables with DELETE there, while on PostgreSQL it uses TRUNCATE, which row
triggers do not see. A deleted row is still detected by the chain and its head.
"""

from django.db import migrations

from qyzmet.core.migration_sql import run_by_vendor

SQLITE_UP = [
    """CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_auditrecord
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_record_no_update",
    "DROP TRIGGER IF EXISTS audit_record_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION audit_record_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_record_no_change BEFORE UPDATE OR DELETE ON audit_auditrecord
       FOR EACH ROW EXECUTE FUNCTION audit_record_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_record_no_change ON audit_auditrecord",
    "DROP FUNCTION IF EXISTS audit_record_append_only()",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        run_by_vendor(
            {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP},
            {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN},
        )
    ]
