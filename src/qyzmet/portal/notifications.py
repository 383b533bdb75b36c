"""E-mail to the applicant when their portal application is registered, refused or issued
(p.11). Hooked on the Application's status change (``signals.py``) and sent by a task worker
(a mail failure never undoes a registration). With the database task queue (production) the
task row is written in the transaction that makes the change — a transactional outbox: it
exists exactly when the change does, so a committed registration is never left unmailed by a
crash and a rolled-back one mails nobody, at the cost of one INSERT and no extra commit. Any
other queue gets the task after the commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from qyzmet.cases.models import Channel, Status

logger = logging.getLogger(__name__)

NOTIFIED_STATUSES = frozenset({Status.REGISTERED, Status.REFUSED, Status.ISSUED})

SUBJECTS = {
    Status.REGISTERED: (
        "Заявление {number} зарегистрировано",
        "{number} өтініші тіркелді",
        "Application {number} registered",
    ),
    Status.REFUSED: (
        "По заявлению {number} принят мотивированный отказ",
        "{number} өтініші бойынша дәлелді бас тарту шешімі қабылданды",
        "Application {number}: motivated refusal",
    ),
    Status.ISSUED: (
        "Результат по заявлению {number} готов",
        "{number} өтініші бойынша нәтиже дайын",
        "Application {number}: the result is issued",
    ),
}


def enabled() -> bool:
    return bool(getattr(settings, "QYZMET_PORTAL_NOTIFY_BY_EMAIL", True))


def _body(application, status: str) -> str:
    from .queries import case_view

    lines = []
    for index, language in enumerate(("ru", "kk", "en")):
        with translation.override(language):
            view = case_view(application)
            lines.append(SUBJECTS[status][index].format(number=application.registration_number))
            lines.append(view.title)
            lines.append(view.status_text)
            lines += [f"- {reason}" for reason in view.refusal_reasons]
            lines.append("")
    return "\n".join(lines)


def send_status_mail(application_id: int, status: str) -> bool:
    """Mail the applicant about ``status`` of their application (no e-mail on file: no mail)."""
    from qyzmet.cases.models import Application

    application = (
        Application.objects.select_related("applicant_user", "service_version")
        .filter(pk=application_id)
        .first()
    )
    user = application and application.applicant_user
    if user is None or not user.email:
        return False
    subject = " / ".join(
        s.format(number=application.registration_number) for s in SUBJECTS[status][:1]
    )
    try:
        send_mail(subject, _body(application, status), None, [user.email])
    except Exception:  # a mail server's failure must not surface in the applicant's request
        logger.exception("notification mail for application %s failed", application_id)
        return False
    return True


def status_changed(application, previous: str | None) -> None:
    """Called on every save of an Application; mails on the three events of p.11."""
    status = application.status
    if (
        not enabled()
        or status == previous
        or status not in NOTIFIED_STATUSES
        or application.channel != Channel.PORTAL
    ):
        return
    if _queue_shares_the_database():
        _enqueue(application.pk, status)
    else:
        transaction.on_commit(lambda: _enqueue(application.pk, status))


def _queue_shares_the_database() -> bool:
    from django.tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _enqueue(application_id: int, status: str) -> None:
    """The mail goes out from a task worker: a slow or failing mail server never holds up
    the request that registered, refused or issued the application."""
    from .tasks import send_status_mail as mail_task

    mail_task.enqueue(application_id, str(status))
