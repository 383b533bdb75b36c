"""The applicant's status mails (p.11: registered, refused, issued), queued by the action that
changes the status, named in it, in its transaction.

With the database task queue (production) the task row is written in the transaction that
makes the change — a transactional outbox: it exists exactly when the change does, so a
committed registration is never left unmailed by a crash and a rolled-back one mails nobody,
at the cost of one INSERT and no extra commit. Any other queue gets the task after the commit.
A task worker sends the mail (a mail failure never undoes a registration).

The mail itself (its texts, in three languages) is the portal's: the task named by the setting
``QYZMET_STATUS_MAIL_TASK`` (default ``qyzmet.portal.tasks.send_status_mail``), taking the
application's id and the status. Naming it by setting keeps the register from importing the
portal that reads it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .models import Channel, Status

NOTIFIED_STATUSES = frozenset({Status.REGISTERED, Status.REFUSED, Status.ISSUED})


def enabled() -> bool:
    return bool(getattr(settings, "QYZMET_PORTAL_NOTIFY_BY_EMAIL", True))


def queue_status_mail(application) -> bool:
    """Queue the mail about ``application``'s status, if it is one the applicant is told of
    and the application came through the portal. True if a mail was queued."""
    status = str(application.status)
    if not enabled() or status not in NOTIFIED_STATUSES or application.channel != Channel.PORTAL:
        return False
    task = import_string(settings.QYZMET_STATUS_MAIL_TASK)
    if _queue_shares_the_database():
        task.enqueue(application.pk, status)
    else:
        transaction.on_commit(lambda: task.enqueue(application.pk, status))
    return True


def _queue_shares_the_database() -> bool:
    from django.tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)
