"""Checkpoints: the audit chain anchored outside the database (issue 12 item 16).

A database superuser who alters a record and re-chains every later one (or cuts the tail and
moves the head back) passes ``audit verify``; the signed, time-stamped head written to a
file before does not match such a log any more. The TSA is the demo PKI's: a real RFC 3161
server of the test session, reached through ``qyzmet.eds.tsa``."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qyzmet.audit import checkpoint
from qyzmet.audit.chain import hash_of
from qyzmet.audit.models import AuditHead, AuditRecord
from qyzmet.audit.queries import verify_chain

from .conftest import drop_append_only_triggers, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def tsa(demo_pki):
    """The demo PKI's TSA, a real RFC 3161 server of the test session (``demo_pki`` points
    ``QYZMET_TSA_URL`` at it), through the project's time-stamping client."""
    from qyzmet.eds.tsa import timestamp

    return timestamp


@pytest.fixture(autouse=True)
def places(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the demo system key is made here
    settings.QYZMET_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.QYZMET_TSA_URL = ""
    return tmp_path


def _rechain(from_id: int) -> None:
    """What the attacker does after altering a record: recompute every hash from it on,
    and the head, so that the chain verifies again."""
    previous = AuditRecord.objects.get(id=from_id - 1).hash if from_id > 1 else "0" * 64
    record = None
    for record in AuditRecord.objects.filter(id__gte=from_id).order_by("id"):
        record.prev_hash = previous
        record.hash = hash_of(record)
        AuditRecord.objects.filter(id=record.id).update(prev_hash=previous, hash=record.hash)
        previous = record.hash
    AuditHead.objects.filter(id=1).update(last_hash=previous)


def _truncate_to(last: int) -> None:
    """Cut the tail after record #``last`` and move the head back to it."""
    drop_append_only_triggers()
    AuditRecord.objects.filter(id__gt=last).delete()
    AuditHead.objects.filter(id=1).update(
        last_record_id=last, last_hash=AuditRecord.objects.get(id=last).hash, count=last
    )


def test_an_intact_log_matches_its_checkpoint(tsa, tmp_path, capsys):
    write(5)
    made = checkpoint.make_checkpoint(tmp_path / "cp.json", timestamper=tsa)
    assert (made.sequence, made.count) == (5, 5)
    assert made.hash == AuditRecord.objects.get(id=5).hash
    assert made.timestamped_at is not None
    write(2)  # the log goes on after the checkpoint
    report = checkpoint.verify_against_checkpoint((tmp_path / "cp.json").read_bytes())
    assert report.ok, report.reason
    assert (report.sequence, report.timestamped_at) == (5, made.timestamped_at)
    call_command("audit", "verify", "--checkpoint", str(tmp_path / "cp.json"))
    out = capsys.readouterr().out
    assert "audit chain OK: 7 records" in out and "cp.json: OK (record #5" in out


def test_a_re_chained_log_passes_verify_but_not_the_checkpoint(tsa, tmp_path):
    write(5)
    checkpoint.make_checkpoint(tmp_path / "cp.json", timestamper=tsa)
    write(2)
    drop_append_only_triggers()
    AuditRecord.objects.filter(id=3).update(after={"n": 999})
    _rechain(3)
    assert verify_chain().ok  # the chain alone no longer tells
    report = checkpoint.verify_against_checkpoint((tmp_path / "cp.json").read_bytes())
    assert not report.ok and "record #5 differs" in report.reason
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", "--checkpoint", str(tmp_path / "cp.json"))
    assert raised.value.returncode == 1 and "MISMATCH" in str(raised.value)


def test_a_truncated_log_passes_verify_but_not_the_checkpoint(tsa, tmp_path):
    write(5)
    checkpoint.make_checkpoint(tmp_path / "cp.json", timestamper=tsa)
    _truncate_to(3)
    assert verify_chain().ok
    report = checkpoint.verify_against_checkpoint((tmp_path / "cp.json").read_bytes())
    assert not report.ok and "truncated" in report.reason and "#5" in report.reason


def test_a_truncated_and_regrown_log_does_not_match_either(tsa, tmp_path):
    """Cut back to #3, then write new records #4, #5…: record #5 exists, with another hash."""
    write(5)
    checkpoint.make_checkpoint(tmp_path / "cp.json", timestamper=tsa)
    _truncate_to(3)
    write(3)
    assert verify_chain().ok
    report = checkpoint.verify_against_checkpoint((tmp_path / "cp.json").read_bytes())
    assert not report.ok and "record #5 differs" in report.reason


def test_a_forged_checkpoint_is_refused(tsa, tmp_path):
    """Whoever re-chains the log cannot write a matching checkpoint: the payload is signed
    by the system key, and the time-stamp is over the payload."""
    write(4)
    path = tmp_path / "cp.json"
    checkpoint.make_checkpoint(path, timestamper=tsa)
    document = json.loads(path.read_text())
    payload = json.loads(document["payload"])
    payload["sequence"] = 2
    payload["hash"] = AuditRecord.objects.get(id=2).hash
    forged = {**document, "payload": json.dumps(payload, sort_keys=True, separators=(",", ":"))}
    report = checkpoint.verify_against_checkpoint(json.dumps(forged).encode())
    assert not report.ok and "time-stamp token is not over this checkpoint" in report.reason
    unstamped = {**forged, "timestamp": None}
    report = checkpoint.verify_against_checkpoint(json.dumps(unstamped).encode())
    assert not report.ok and "signature" in report.reason

    # A genuine signature with another checkpoint's time-stamp token.
    write(1)
    other = tmp_path / "other.json"
    checkpoint.make_checkpoint(other, timestamper=tsa)
    swapped = {**document, "timestamp": json.loads(other.read_text())["timestamp"]}
    report = checkpoint.verify_against_checkpoint(json.dumps(swapped).encode())
    assert not report.ok and "time-stamp" in report.reason


def test_a_checkpoint_signed_by_another_key_is_refused(tsa, tmp_path, settings):
    write(2)
    path = tmp_path / "cp.json"
    checkpoint.make_checkpoint(path, timestamper=tsa)
    settings.VAR_DIR = tmp_path / "elsewhere"  # another (demo) system key
    report = checkpoint.verify_against_checkpoint(path.read_bytes())
    assert not report.ok and "signature" in report.reason


def test_the_token_is_over_the_checkpoint_bytes(tsa, tmp_path):
    write(1)
    path = tmp_path / "cp.json"
    checkpoint.make_checkpoint(path, timestamper=tsa)
    document = json.loads(path.read_text())
    token = base64.b64decode(document["timestamp"])
    payload = document["payload"].encode()
    assert checkpoint.timestamp_time(token, payload) <= datetime.now(UTC)
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.timestamp_time(token, payload + b" ")


def test_no_checkpoint_over_a_broken_chain(tmp_path):
    write(3)
    drop_append_only_triggers()
    AuditRecord.objects.filter(id=2).update(after={"n": 1000})
    with pytest.raises(checkpoint.CheckpointError, match="#2"):
        checkpoint.make_checkpoint(tmp_path / "cp.json")
    assert not (tmp_path / "cp.json").exists()


def test_the_command_writes_into_the_checkpoint_folder(places, tsa, capsys):
    write(2)
    call_command("audit", "checkpoint")
    [written] = (places / "checkpoints").glob("audit-checkpoint-*.json")
    assert "record #2" in capsys.readouterr().out
    assert checkpoint.verify_against_checkpoint(written.read_bytes()).ok


def test_production_needs_the_system_key_and_a_tsa(settings, tsa, tmp_path):
    settings.PRODUCTION = True
    with pytest.raises(checkpoint.CheckpointError, match="QYZMET_AUDIT_CHECKPOINT_KEY"):
        checkpoint.make_checkpoint(tmp_path / "cp.json", timestamper=tsa)
    settings.QYZMET_AUDIT_CHECKPOINT_KEY = str(checkpoint_key(tmp_path))
    settings.QYZMET_AUDIT_CHECKPOINT_KEY_PASSWORD = checkpoint.DEMO_KEY_PASSWORD
    demo_tsa, settings.QYZMET_TSA_URL = settings.QYZMET_TSA_URL, "http://127.0.0.1:9/"
    with pytest.raises(checkpoint.CheckpointError, match="tsa_unreachable"):
        checkpoint.make_checkpoint(tmp_path / "cp.json")  # nothing answers: no checkpoint
    settings.QYZMET_TSA_URL = demo_tsa
    assert checkpoint.make_checkpoint(tmp_path / "cp.json", timestamper=tsa).timestamped_at


def checkpoint_key(folder):
    path = folder / "system.p12"
    checkpoint._write_demo_key(path)
    return path


@pytest.mark.django_db(transaction=True)  # the scheduler closes its connection after each job
def test_the_scheduler_enqueues_a_daily_checkpoint(places, tsa):
    from django_tasks_db.models import DBTaskResult

    from qyzmet.audit.tasks import write_checkpoint

    def queued() -> int:
        return DBTaskResult.objects.filter(task_path=write_checkpoint.module_path).count()

    write(1)
    call_command("scheduler", "--once")
    assert queued() == 1
    assert write_checkpoint.call()  # the worker runs it
    call_command("scheduler", "--once")  # the newest is less than a day old
    assert queued() == 1
    assert write_checkpoint.call() == ""  # nor does a second run of the task write one
    assert len(list((places / "checkpoints").glob("*.json"))) == 1
