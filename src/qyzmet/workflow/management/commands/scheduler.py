import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from qyzmet.audit.checkpoint import checkpoint_due, interval_seconds
from qyzmet.audit.tasks import write_checkpoint
from qyzmet.workflow.tasks import sweep_overdue_tasks


class Command(BaseCommand):
    help = (
        "Enqueue the periodic overdue sweep on the task queue every QYZMET_OVERDUE_SWEEP_SECONDS, "
        "and the audit checkpoint when the newest is older than QYZMET_AUDIT_CHECKPOINT_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue one sweep and exit")

    def handle(self, *args, once=False, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        interval = settings.QYZMET_OVERDUE_SWEEP_SECONDS
        next_checkpoint_check = 0.0
        while not stopping:
            result = sweep_overdue_tasks.enqueue()
            self.stdout.write(f"enqueued overdue sweep {result.id}")
            if time.monotonic() >= next_checkpoint_check:
                # At most one try an hour: a checkpoint that cannot be made (no key in
                # production) fails its task once, not every minute.
                next_checkpoint_check = time.monotonic() + min(interval_seconds(), 3600)
                if checkpoint_due():
                    queued = write_checkpoint.enqueue()
                    self.stdout.write(f"enqueued audit checkpoint {queued.id}")
            if once:
                return
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
