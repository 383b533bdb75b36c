"""Background work of the portal (Django's tasks framework on the durable database queue)."""

from django.tasks import task


@task()
def send_status_mail(mail_id: int, status: str | None = None) -> str:
    """Deliver one of the applicant's status mails (p.11; ``cases.StatusMail``), with the
    retries of ``cases.notify.deliver``. (Tasks queued before the outbox named the
    application and the status: those are found by both.)"""
    from qyzmet.cases import notify
    from qyzmet.cases.models import StatusMail

    from .notifications import compose_status_mail

    if status is not None:  # a task queued by an earlier version: (application_id, status)
        mail, _ = StatusMail.objects.get_or_create(application_id=mail_id, status=status)
        mail_id = mail.pk
    return str(notify.deliver(mail_id, compose_status_mail))
