import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from qyzmet.workflow.tasks import sweep_overdue_tasks


class Command(BaseCommand):
    help = (
        "Enqueue the periodic overdue sweep on the task queue every QYZMET_OVERDUE_SWEEP_SECONDS."
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
        while not stopping:
            result = sweep_overdue_tasks.enqueue()
            self.stdout.write(f"enqueued overdue sweep {result.id}")
            if once:
                return
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
