"""The audit log is append-only and hash-chained (issue 2, "Audit"): every alteration or
removal of a row is detected and named by `qyzmet audit verify`."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from qyzmet.accounts.models import Role, User
from qyzmet.audit import actions as audit
from qyzmet.audit.events import Event
from qyzmet.audit.models import AuditHead, AuditRecord
from qyzmet.audit.queries import verify_chain

from .conftest import drop_append_only_triggers, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk1", password="x-Strong-Pass-1", role=Role.CLERK)


def test_records_form_a_chain_that_verifies(clerk):
    write(5, clerk)
    report = verify_chain()
    assert report.ok and report.checked == 5
    records = list(AuditRecord.objects.order_by("id"))
    assert [r.id for r in records] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in zip(records, records[1:], strict=False))
    assert records[0].actor_label.startswith("clerk1")
    head = AuditHead.objects.get()
    assert (head.last_record_id, head.last_hash, head.count) == (5, records[-1].hash, 5)


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.record(None, Event.CASES_SAVE_DRAFT)


def test_database_refuses_update_and_delete():
    write(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(id=1).update(action="tampered")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditRecord.objects.filter(id=2).delete()
    assert verify_chain().ok


@pytest.mark.parametrize(
    "field,value",
    [
        ("action", "tampered"),
        ("actor_label", "someone else"),
        ("after", {"n": 999}),
        ("case_id", 7),
    ],
)
def test_altered_row_is_named(field, value):
    write(4)
    drop_append_only_triggers()
    AuditRecord.objects.filter(id=3).update(**{field: value})
    report = verify_chain()
    assert not report.ok
    assert report.broken_record_id == 3
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify")
    assert "#3" in str(excinfo.value)
    assert excinfo.value.returncode == 1


def test_removed_row_in_the_middle_is_named():
    write(4)
    drop_append_only_triggers()
    AuditRecord.objects.filter(id=2).delete()
    report = verify_chain()
    assert (report.ok, report.broken_record_id) == (False, 2)


def test_removed_tail_is_detected():
    write(4)
    drop_append_only_triggers()
    AuditRecord.objects.filter(id=4).delete()
    report = verify_chain()
    assert not report.ok and report.broken_record_id == 4


def test_rehashed_row_still_breaks_the_link():
    """Recomputing the altered row's own hash is not enough: the next row's link breaks."""
    from qyzmet.audit.chain import hash_of

    write(3)
    drop_append_only_triggers()
    record = AuditRecord.objects.get(id=2)
    record.action = "tampered"
    record.hash = hash_of(record)
    AuditRecord.objects.filter(id=2).update(action=record.action, hash=record.hash)
    report = verify_chain()
    assert (report.ok, report.broken_record_id) == (False, 3)


def test_verify_command_succeeds_on_intact_chain(capsys):
    write(3)
    call_command("audit", "verify")
    assert "OK: 3 records" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    errors = []

    def worker():
        try:
            write(10)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_chain()
    assert report.ok and report.checked == 40


def test_ids_cannot_be_reused():
    write(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditRecord.objects.create(
            id=1,
            at=AuditRecord.objects.get(id=1).at,
            actor_label="x",
            action="x",
            prev_hash="0" * 64,
            hash="f" * 64,
        )
