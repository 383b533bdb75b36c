"""Infrastructure rows of the core: the task workers' heartbeats (``core/taskqueue.py``)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A live task worker says so every ``QYZMET_TASKS_HEARTBEAT_SECONDS``. A task RUNNING
    under a worker whose heartbeat is older than ``QYZMET_TASKS_LEASE_SECONDS`` is reclaimed
    (put back to READY) by the scheduler: its worker died while running it."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    pid = models.PositiveIntegerField()
    host = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid}, seen {self.seen_at:%H:%M:%S})"
