"""The applicant's status mails (p.11: registered, refused, issued), queued by the action that
changes the status, named in it, in its transaction; delivered by a task worker with retries.

**Outbox.** The action writes a ``StatusMail`` row in its transaction and, with the database
task queue (production), the task that delivers it too: both exist exactly when the change
does, so a committed registration is never left unmailed by a crash and a rolled-back one
mails nobody. Any other queue gets the task after the commit.

**Delivery** (:func:`deliver`, run by the task): the worker *claims* the mail (one UPDATE:
``pending`` → ``sending`` with a lease of ``QYZMET_MAIL_LEASE_SECONDS``; a mail already
claimed, sent or given up is left alone), sends it over SMTP with a fixed Message-ID, and
marks it ``sent``. A mail-server failure (refused connection, timeout, an SMTP error) puts it
back to ``pending`` with ``next_attempt_at`` = now + ``QYZMET_MAIL_RETRY_DELAY`` × 2^(n−1)
(at most ``QYZMET_MAIL_RETRY_DELAY_MAX``) and queues a task for then; after
``QYZMET_MAIL_MAX_ATTEMPTS`` attempts it is ``failed``, audited (``cases.status_mail_failed``)
and listed for the administrator (admin → Status mails → not delivered), who may send it
again (``actions.resend_status_mail``, audited).

**Nothing lost.** A worker killed mid-task: the scheduler reclaims its task
(``core/taskqueue.py``), which runs again; a mail whose task is gone while it is still
``pending`` or its lease ran out is queued again by the scheduler
(:func:`requeue_stalled_mails`).

**Nothing sent twice — the trade.** Sending and recording cannot be one transaction (SMTP is
not in the database), so one of two windows must exist. We chose *at-least-once*: the mail is
marked sent after the SMTP server accepted it; a worker that dies in the milliseconds between
the server's "250 OK" and that commit leaves the mail ``sending``, and after its lease it is
sent again — a duplicate, carrying the same Message-ID (mail clients and many servers fold
it). The alternative, *at-most-once* (mark sent before sending), would lose the mail silently
in the same window, and a lost notice of a refusal costs the applicant more than a repeated
one. Every other path is exactly-once: a claimed mail cannot be claimed again while its lease
runs, a sent one never again.

The mail itself (its texts, in three languages) is the portal's: the task named by the setting
``QYZMET_STATUS_MAIL_TASK`` (default ``qyzmet.portal.tasks.send_status_mail``), taking the
mail's id. Naming it by setting keeps the register from importing the portal that reads it.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from qyzmet.audit.actions import record as audit_record
from qyzmet.core.locking import locked

from .models import Channel, MailState, Status, StatusMail

logger = logging.getLogger(__name__)

NOTIFIED_STATUSES = frozenset({Status.REGISTERED, Status.REFUSED, Status.ISSUED})
# What a mail server's failure looks like: no connection, a timeout, an SMTP refusal.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


def enabled() -> bool:
    return bool(getattr(settings, "QYZMET_PORTAL_NOTIFY_BY_EMAIL", True))


def queue_status_mail(application) -> bool:
    """Queue the mail about ``application``'s status, if it is one the applicant is told of
    and the application came through the portal. True if a mail was queued."""
    status = str(application.status)
    if not enabled() or status not in NOTIFIED_STATUSES or application.channel != Channel.PORTAL:
        return False
    mail = StatusMail.objects.create(
        application=application, status=status, message_id=make_msgid(domain="qyzmet.local")
    )
    enqueue_delivery(mail)
    return True


def _task():
    return import_string(settings.QYZMET_STATUS_MAIL_TASK)


def _queue_shares_the_database() -> bool:
    from django.tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def enqueue_delivery(mail: StatusMail) -> None:
    """Queue the delivery of ``mail`` (with its change, or after the commit; see above)."""
    if _queue_shares_the_database():
        _enqueue(mail)
    else:
        transaction.on_commit(lambda: _enqueue(mail))


def _enqueue(mail: StatusMail, run_after=None) -> None:
    task = _task()
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the scheduler queues it when due (requeue_stalled_mails)
        task = task.using(run_after=run_after)
    task.enqueue(mail.pk)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    delay = settings.QYZMET_MAIL_RETRY_DELAY * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(settings.QYZMET_MAIL_RETRY_DELAY_MAX, delay))


def deliver(mail_id: int, compose: Callable[[StatusMail], object | None]) -> str:
    """Try to deliver the mail (see the module); ``compose(mail)`` builds the
    ``EmailMessage``, or None when there is nobody to write to. Returns the mail's state
    afterwards (``deferred`` when it was not this attempt's to send)."""
    now = timezone.now()
    lease = timedelta(seconds=settings.QYZMET_MAIL_LEASE_SECONDS)
    claimed = (
        StatusMail.objects.filter(pk=mail_id)
        .filter(
            Q(state=MailState.PENDING) | Q(state=MailState.SENDING, lease_until__lt=now),
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        )
        .update(state=MailState.SENDING, lease_until=now + lease, attempts=F("attempts") + 1)
    )
    mail = StatusMail.objects.select_related("application").filter(pk=mail_id).first()
    if mail is None:
        return "missing"
    if not claimed:
        return mail.state if mail.state != MailState.PENDING else "deferred"
    try:
        message = compose(mail)
        if message is None:
            StatusMail.objects.filter(pk=mail.pk).update(
                state=MailState.NO_ADDRESS, lease_until=None
            )
            return MailState.NO_ADDRESS
        if mail.message_id:
            message.extra_headers["Message-ID"] = mail.message_id
        message.send()
    except DELIVERY_ERRORS as exc:
        return _record_failure(mail, exc)
    StatusMail.objects.filter(pk=mail.pk, state=MailState.SENDING).update(
        state=MailState.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return MailState.SENT


def _record_failure(mail: StatusMail, exc: BaseException) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        mail = locked(StatusMail.objects).get(pk=mail.pk)
        if mail.state != MailState.SENDING:
            return mail.state
        mail.last_error = error
        mail.lease_until = None
        if mail.attempts >= settings.QYZMET_MAIL_MAX_ATTEMPTS:
            mail.state = MailState.FAILED
            mail.save(update_fields=["state", "last_error", "lease_until"])
            audit_record(
                None,
                "cases.status_mail_failed",
                case_id=mail.application_id,
                obj=mail,
                after={"status": mail.status, "attempts": mail.attempts, "error": error},
            )
            logger.error(
                "status mail %s of application %s not delivered after %s attempts: %s",
                mail.pk,
                mail.application_id,
                mail.attempts,
                error,
            )
            return MailState.FAILED
        mail.state = MailState.PENDING
        mail.next_attempt_at = timezone.now() + backoff(mail.attempts)
        mail.save(update_fields=["state", "last_error", "lease_until", "next_attempt_at"])
        _enqueue(mail, run_after=mail.next_attempt_at)
    logger.warning(
        "status mail %s attempt %s failed (%s); next attempt at %s",
        mail.pk,
        mail.attempts,
        error,
        mail.next_attempt_at,
    )
    return MailState.PENDING


def requeue_stalled_mails() -> list[int]:
    """Queue again the mails due (``pending`` past their time, or ``sending`` past their
    lease) that no unfinished task will deliver: their task was lost. Run by the scheduler.
    Returns the mails' ids."""
    now = timezone.now()
    lease = timedelta(seconds=settings.QYZMET_MAIL_LEASE_SECONDS)
    due = StatusMail.objects.filter(
        Q(state=MailState.PENDING, next_attempt_at__isnull=True, created_at__lt=now - lease)
        | Q(state=MailState.PENDING, next_attempt_at__lte=now)
        | Q(state=MailState.SENDING, lease_until__lt=now)
    ).values_list("pk", flat=True)
    ids = list(due[:1000])
    if not ids:
        return []
    waiting = _mails_with_unfinished_tasks()
    requeued = [pk for pk in ids if pk not in waiting]
    for pk in requeued:
        _task().enqueue(pk)
    return requeued


def _mails_with_unfinished_tasks() -> set[int]:
    if not _queue_shares_the_database():
        return set()
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    unfinished = DBTaskResult.objects.filter(
        task_path=settings.QYZMET_STATUS_MAIL_TASK,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    return {args["args"][0] for args in unfinished if args.get("args") and len(args["args"]) == 1}
