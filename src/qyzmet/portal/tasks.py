"""Background work of the portal (Django's tasks framework on the durable database queue)."""

from django.tasks import task


@task()
def send_status_mail(application_id: int, status: str) -> bool:
    """Mail the applicant about their application's new status (p.11)."""
    from .notifications import send_status_mail as send

    return send(application_id, status)
