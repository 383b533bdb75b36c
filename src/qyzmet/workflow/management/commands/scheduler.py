"""``qyzmet scheduler``: the periodic jobs.

* every ``QYZMET_OVERDUE_SWEEP_SECONDS``: enqueue the overdue sweep on the task queue;
* every ``QYZMET_TASKS_RECLAIM_SECONDS``, here in the scheduler's own process (the only task
  worker may be the one that died): put back to READY the tasks whose worker died while
  running them (``core/taskqueue.py``), and queue again the status mails whose task was lost
  (``cases/notify.py``);
* every ``QYZMET_RESULTS_RESTAMP_SECONDS`` (a day), when an issued result is due: the PAdES
  B-LTA renewal task (``results/tasks.py``: a new document time-stamp before the newest
  one's TSA certificate expires).
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from qyzmet.audit.checkpoint import checkpoint_due, interval_seconds
from qyzmet.audit.tasks import write_checkpoint
from qyzmet.cases.notify import requeue_stalled_mails
from qyzmet.core.taskqueue import reclaim_orphaned_tasks
from qyzmet.results import conf as results_conf
from qyzmet.results.queries import due_for_restamp
from qyzmet.results.tasks import restamp_results
from qyzmet.workflow.tasks import sweep_overdue_tasks

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the periodic jobs: the overdue sweep, the reclaim of orphaned tasks, and the audit "
        "checkpoint when the newest is older than QYZMET_AUDIT_CHECKPOINT_SECONDS, and the "
        "re-stamping of result documents whose time-stamp is due for renewal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run each job once and exit")

    def handle(self, *args, once=False, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        jobs = [
            (float(settings.QYZMET_OVERDUE_SWEEP_SECONDS), self._sweep),
            (float(settings.QYZMET_TASKS_RECLAIM_SECONDS), self._reclaim),
            # At most one try an hour: a checkpoint that cannot be made (no key in
            # production) fails its task once, not every minute.
            (float(min(interval_seconds(), 3600)), self._checkpoint),
            (float(results_conf.get("RESTAMP_SECONDS")), self._restamp),
        ]
        due = [0.0] * len(jobs)
        while not stopping:
            now = time.monotonic()
            for index, (interval, job) in enumerate(jobs):
                if now >= due[index]:
                    due[index] = now + interval
                    try:
                        job()
                    except DatabaseError:  # the database is away: try again next time
                        logger.exception("scheduler job %s failed", job.__name__)
                    finally:
                        close_old_connections()
            if once:
                return
            time.sleep(0.5)

    def _sweep(self):
        result = sweep_overdue_tasks.enqueue()
        self.stdout.write(f"enqueued overdue sweep {result.id}")

    def _reclaim(self):
        for task_id in reclaim_orphaned_tasks():
            self.stdout.write(f"reclaimed task {task_id} (its worker died)")
        for mail_id in requeue_stalled_mails():
            self.stdout.write(f"queued status mail {mail_id} again (its task was lost)")

    def _checkpoint(self):
        if checkpoint_due():
            queued = write_checkpoint.enqueue()
            self.stdout.write(f"enqueued audit checkpoint {queued.id}")

    def _restamp(self):
        if due_for_restamp().exists():
            queued = restamp_results.enqueue()
            self.stdout.write(f"enqueued the re-stamping of result documents {queued.id}")
