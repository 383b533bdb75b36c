"""The reclaim of tasks whose worker died (core/taskqueue.py): only a RUNNING task past its
lease whose worker's heartbeat is older than the lease goes back to READY."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone

from qyzmet.core.models import WorkerHeartbeat
from qyzmet.core.taskqueue import beat, reclaim_orphaned_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(settings):
    from django_tasks_db.models import DBTaskResult

    from qyzmet.workflow.tasks import sweep_overdue_tasks

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.QYZMET_TASKS_LEASE_SECONDS = 30

    def make(worker_id: str, started_seconds_ago: float):
        result = sweep_overdue_tasks.enqueue()
        row = DBTaskResult.objects.get(id=result.id)
        row.claim(worker_id)
        DBTaskResult.objects.filter(id=row.id).update(
            started_at=timezone.now() - timedelta(seconds=started_seconds_ago)
        )
        return row

    return make


def test_a_dead_workers_task_goes_back_to_ready_a_live_ones_stays(running):
    from django_tasks_db.models import DBTaskResult

    dead = running("dead-worker", 120)
    long_running = running("live-worker", 600)  # long, but its worker is alive
    just_claimed = running("new-worker", 1)  # no heartbeat yet, within the lease
    beat("live-worker")
    beat("dead-worker")
    WorkerHeartbeat.objects.filter(worker_id="dead-worker").update(
        seen_at=timezone.now() - timedelta(seconds=90)
    )
    assert reclaim_orphaned_tasks() == [str(dead.id)]
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses[dead.id] == TaskResultStatus.READY
    assert statuses[long_running.id] == TaskResultStatus.RUNNING
    assert statuses[just_claimed.id] == TaskResultStatus.RUNNING
    # READY again means a worker picks it: the queue's own "ready" query finds it.
    assert list(DBTaskResult.objects.ready().values_list("id", flat=True)) == [dead.id]


@pytest.mark.django_db(transaction=True)  # the scheduler closes its connection after each job
def test_the_scheduler_reclaims(running):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    dead = running("gone-worker", 120)
    call_command("scheduler", "--once")
    assert DBTaskResult.objects.get(id=dead.id).status == TaskResultStatus.READY
