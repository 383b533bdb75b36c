"""Task-queue housekeeping on top of django-tasks-db: worker heartbeats and the reclaim of
tasks whose worker died while running them.

django-tasks-db's worker marks a task RUNNING when it claims it and picks only READY tasks;
a worker killed mid-task (``kill -9``, the OOM killer, a power cut) would leave its task
RUNNING for ever. So:

* ``qyzmet task-worker`` (the project's worker: ``db_worker`` plus a heartbeat thread)
  writes ``WorkerHeartbeat(worker_id, seen_at)`` every ``QYZMET_TASKS_HEARTBEAT_SECONDS``;
* the scheduler calls :func:`reclaim_orphaned_tasks` every ``QYZMET_TASKS_RECLAIM_SECONDS``:
  a RUNNING task started more than ``QYZMET_TASKS_LEASE_SECONDS`` ago whose worker has not
  been seen for that long goes back to READY, and a live worker runs it again.

A reclaimed task runs again from its start: tasks must be idempotent (the status mail is:
``cases.notify``). A task whose worker is alive is never reclaimed however long it runs; a
worker stalled longer than the lease (a suspended machine) may see its task run twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .locking import locked
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def lease() -> timedelta:
    return timedelta(seconds=float(settings.QYZMET_TASKS_LEASE_SECONDS))


def beat(worker_id: str, *, started_at=None) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"pid": os.getpid(), "host": socket.gethostname()[:255], "seen_at": now},
        create_defaults={
            "pid": os.getpid(),
            "host": socket.gethostname()[:255],
            "seen_at": now,
            "started_at": started_at or now,
        },
    )


class Heartbeat:
    """A daemon thread writing the worker's heartbeat until :meth:`stop`."""

    def __init__(self, worker_id: str, interval: float | None = None) -> None:
        self.worker_id = worker_id
        self.interval = float(interval or settings.QYZMET_TASKS_HEARTBEAT_SECONDS)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        beat(self.worker_id)  # before the first task is claimed
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                beat(self.worker_id)
            except Exception:  # a database hiccup: the next beat tries again
                logger.exception("task worker heartbeat failed")
            finally:
                close_old_connections()
        connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def reclaim_orphaned_tasks() -> list[str]:
    """Put back to READY every RUNNING task whose worker died (see the module). Returns the
    ids of the tasks reclaimed."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    cutoff = now - lease()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    reclaimed = []
    with transaction.atomic():
        running = locked(
            DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        )
        for task in running:
            if task.worker_ids and task.worker_ids[-1] in alive:
                continue
            task.status = TaskResultStatus.READY
            task.save(update_fields=["status"])
            reclaimed.append(str(task.id))
            logger.warning(
                "reclaimed task %s (%s): its worker %s died while running it",
                task.id,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
        # Heartbeats of workers long gone (a day past their lease) are of no more use.
        WorkerHeartbeat.objects.filter(seen_at__lt=cutoff - timedelta(days=1)).delete()
    return reclaimed
