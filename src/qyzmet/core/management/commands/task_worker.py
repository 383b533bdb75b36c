"""``qyzmet task-worker``: django-tasks-db's ``db_worker`` with a heartbeat, so that the
scheduler can reclaim the task of a worker that died while running it (``core/taskqueue.py``).
Takes every ``db_worker`` option."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from qyzmet.core.taskqueue import Heartbeat


class Command(DbWorkerCommand):
    help = "Run a task worker (db_worker with a heartbeat for the reclaim of orphaned tasks)"

    def handle(self, *args, worker_id, **options):
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
