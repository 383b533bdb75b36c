"""Background tasks of the audit log (Django's tasks framework on the durable queue)."""

from django.tasks import task


@task()
def write_checkpoint() -> str:
    """The daily checkpoint (``qyzmet scheduler`` enqueues it when the newest one is older
    than ``QYZMET_AUDIT_CHECKPOINT_SECONDS``)."""
    from .checkpoint import checkpoint_due, make_checkpoint

    if not checkpoint_due():  # two schedulers, or a retry: one checkpoint per interval
        return ""
    return str(make_checkpoint().path)
