"""Background tasks (Django's tasks framework on the durable database queue)."""

from django.tasks import task

from .actions import mark_overdue_tasks


@task()
def sweep_overdue_tasks() -> int:
    return mark_overdue_tasks()
