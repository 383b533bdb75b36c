"""Status mails are neither lost nor sent twice (issue 12, item 5), against a real SMTP server
(aiosmtpd, in a thread of the test) and the real task worker:

- a mail server that is down: the delivery is tried again with back-off, then recorded as not
  delivered (audited, the administrator's list); sent again when the server is back, once;
- a task worker killed with SIGKILL in the middle of sending: its task is reclaimed by the
  scheduler's sweep, completes, and the mail is delivered exactly once.
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import sys
import threading
from pathlib import Path

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus

from qyzmet.accounts.models import Role, User
from qyzmet.audit.models import AuditRecord
from qyzmet.cases import notify
from qyzmet.cases.models import MailState, StatusMail
from qyzmet.core.taskqueue import reclaim_orphaned_tasks
from qyzmet.testing import START_DEADLINE, Watched, database_url, wait_until

from .applying import saved_as_registered

QYZMET = str(Path(sys.executable).with_name("qyzmet"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server on ``port``; ``stall`` holds every session at MAIL FROM (before
    any message is handed over) until ``release`` is set."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[email.message.Message] = []
        self.stall = threading.Event()
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.controller = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.stall.is_set():
            self.stalled.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 300)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.release.set()
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
        }
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return port


def run_worker(max_tasks: int | None = None) -> None:
    """django-tasks-db's worker, in this process: runs what is ready, then returns."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def queue_mail(client, number: str) -> StatusMail:
    draft = saved_as_registered(client, number)
    with transaction.atomic():
        assert notify.queue_status_mail(draft)
    return StatusMail.objects.get(application=draft)


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_outage_is_retried_then_recorded_and_resent_once(
    individual, individual_client, smtp_port, settings
):
    settings.QYZMET_MAIL_RETRY_DELAY = 0  # the back-off's figures: test_backoff_doubles
    settings.QYZMET_MAIL_MAX_ATTEMPTS = 3
    outbox = queue_mail(individual_client, "CULT-2026-999990")

    run_worker()  # nothing listens on the port: every attempt is refused
    outbox.refresh_from_db()
    assert outbox.state == MailState.FAILED and outbox.attempts == 3
    assert "ConnectionRefusedError" in outbox.last_error
    failed = AuditRecord.objects.get(action="cases.status_mail_failed")
    assert failed.case_id == outbox.application_id and failed.after["attempts"] == 3

    # The administrator sees it in the admin's list of mails not delivered …
    root = User.objects.create_superuser("root", password="x", role=Role.ADMINISTRATOR)
    admin_client = individual_client.__class__()
    admin_client.force_login(root)
    listed = admin_client.get("/admin/cases/statusmail/?state__exact=failed")
    assert listed.status_code == 200 and "ConnectionRefusedError" in listed.text
    # … and, with the server back, sends it again: delivered once.
    server = SmtpServer(smtp_port).start()
    try:
        response = admin_client.post(
            "/admin/cases/statusmail/",
            {"action": "send_again", "_selected_action": [outbox.pk]},
        )
        assert response.status_code == 302
        run_worker()
        assert AuditRecord.objects.filter(action="cases.status_mail_resent").count() == 1
        outbox.refresh_from_db()
        assert outbox.state == MailState.SENT and outbox.attempts == 1
        # Whatever runs again afterwards (a duplicate task, the scheduler's sweep) sends nothing.
        assert notify.requeue_stalled_mails() == []
        notify._enqueue(outbox)
        run_worker()
        assert len(server.messages) == 1
        [message] = server.messages
        assert message["Message-ID"] == outbox.message_id
        assert message["To"] == "dana@example.kz"
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_the_server_back_between_attempts_gets_the_mail_once(
    individual, individual_client, smtp_port, settings
):
    settings.QYZMET_MAIL_RETRY_DELAY = 0
    outbox = queue_mail(individual_client, "CULT-2026-999991")
    run_worker(max_tasks=1)
    outbox.refresh_from_db()
    assert (outbox.state, outbox.attempts) == (MailState.PENDING, 1)
    server = SmtpServer(smtp_port).start()
    try:
        run_worker()
        outbox.refresh_from_db()
        assert (outbox.state, outbox.attempts) == (MailState.SENT, 2)
        assert len(server.messages) == 1
    finally:
        server.stop()


def test_backoff_doubles(settings):
    settings.QYZMET_MAIL_RETRY_DELAY = 60
    settings.QYZMET_MAIL_RETRY_DELAY_MAX = 600
    assert [notify.backoff(n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 480, 600]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_is_reclaimed_and_the_mail_delivered_once(
    individual, individual_client, smtp_port, settings, tmp_path
):
    from django_tasks_db.models import DBTaskResult

    settings.QYZMET_TASKS_LEASE_SECONDS = 2
    settings.QYZMET_MAIL_LEASE_SECONDS = 3
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qyzmet.settings",
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": database_url(),
        "QYZMET_VAR_DIR": str(tmp_path / "var"),
        "QYZMET_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "QYZMET_EMAIL_HOST": "127.0.0.1",
        "QYZMET_EMAIL_PORT": str(smtp_port),
        "QYZMET_MAIL_LEASE_SECONDS": "3",
        "QYZMET_TASKS_HEARTBEAT_SECONDS": "0.5",
    }
    worker = [QYZMET, "task-worker", "--no-startup-delay", "--interval", "0.2"]
    server = SmtpServer(smtp_port)
    server.stall.set()
    server.start()
    first = second = None
    try:
        outbox = queue_mail(individual_client, "CULT-2026-999992")
        [task] = DBTaskResult.objects.all()
        first = Watched(worker, env)
        assert server.stalled.wait(START_DEADLINE), first.tail()
        task.refresh_from_db()
        outbox.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING and outbox.state == MailState.SENDING
        first.process.send_signal(signal.SIGKILL)  # mid-send: at MAIL FROM, nothing handed over
        first.process.wait(timeout=60)
        server.stall.clear()
        server.release.set()
        assert reclaim_orphaned_tasks() == []  # its lease has not run out yet

        second = Watched(worker, env)  # what the supervisor does: a new worker
        reclaimed: list[str] = []

        def sweep():  # what the scheduler does every QYZMET_TASKS_RECLAIM_SECONDS
            reclaimed.extend(reclaim_orphaned_tasks())
            notify.requeue_stalled_mails()

        wait_until(
            lambda: StatusMail.objects.get(pk=outbox.pk).state == MailState.SENT,
            "the mail delivered after the reclaim",
            every=sweep,
        )
        assert str(task.id) in reclaimed
        wait_until(
            lambda: DBTaskResult.objects.get(id=task.id).status == TaskResultStatus.SUCCESSFUL,
            "the reclaimed task completed",
        )
        # No second copy: with the worker stopped, whatever is still queued or swept up now
        # runs here, to the end.
        second.stop()
        sweep()
        run_worker()
        assert len(server.messages) == 1, [m["Message-ID"] for m in server.messages]
        assert server.messages[0]["Message-ID"] == outbox.message_id
    finally:
        for process in (first, second):
            if process is not None:
                process.stop()
        server.stop()
