"""Background tasks of the result documents (Django's tasks framework on the durable queue)."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone


@task()
def restamp_results(attempt: int = 0) -> dict:
    """PAdES B-LTA renewal of the documents due (``actions.restamp_due_documents``), queued
    by ``qyzmet scheduler`` every ``QYZMET_RESULTS_RESTAMP_SECONDS`` when one is due. When
    some failed (the TSA down), it queues itself again after
    ``QYZMET_RESULTS_RESTAMP_RETRY_SECONDS`` × 2^attempt, at most
    ``QYZMET_RESULTS_RESTAMP_RETRIES`` times. Idempotent: a document done meanwhile is not
    due any more and is skipped."""
    from . import conf
    from .actions import restamp_due_documents

    done, failed = restamp_due_documents()
    retry_at = None
    if failed and attempt < int(conf.get("RESTAMP_RETRIES")):
        delay = timedelta(seconds=float(conf.get("RESTAMP_RETRY_SECONDS")) * 2**attempt)
        retry_at = timezone.now() + delay
        queued = restamp_results
        if queued.get_backend().supports_defer:
            queued = queued.using(run_after=retry_at)
        queued.enqueue(attempt + 1)
    return {
        "restamped": done,
        "failed": failed,
        "retry_at": retry_at.isoformat() if retry_at else None,
    }
