"""Reads of the process: inboxes, overdue lists, the head's dashboard, case timelines.

The inbox of a person is the open tasks assigned to them plus the open unassigned tasks of
their role, by due time. Each half is one index range scan (partial indexes on open tasks),
merged here, so the first page costs two short index reads whatever the table's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .models import Step, Task, TaskState

PAGE_SIZE = 25


@dataclass(frozen=True)
class InboxRow:
    task: Task
    overdue: bool


def _inbox_base():
    return (
        Task.objects.filter(state=TaskState.OPEN)
        .select_related("application", "application__service_version")
        .only(
            "id",
            "step",
            "role",
            "due_at",
            "created_at",
            "assignee_id",
            "overdue",
            "application__id",
            "application__public_id",
            "application__registration_number",
            "application__applicant_name",
            "application__applicant_iin",
            "application__applicant_bin",
            "application__status",
            "application__channel",
            "application__service_version__id",
            "application__service_version__service_code",
            "application__service_version__title_ru",
        )
    )


def inbox(
    user,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    now: datetime | None = None,
    step: str | None = None,
) -> list[InboxRow]:
    """Open tasks for ``user``, soonest due first, with overdue flags computed at ``now``."""
    now = now or timezone.now()
    limit = page * page_size
    mine = _inbox_base().filter(assignee=user)
    of_role = _inbox_base().filter(assignee__isnull=True, role=user.role)
    if step:
        mine, of_role = mine.filter(step=step), of_role.filter(step=step)
    rows = sorted(
        [*mine.order_by("due_at", "id")[:limit], *of_role.order_by("due_at", "id")[:limit]],
        key=lambda t: (t.due_at, t.id),
    )[(page - 1) * page_size : limit]
    return [InboxRow(task=t, overdue=t.due_at < now) for t in rows]


def inbox_count(user) -> int:
    return Task.objects.filter(
        Q(assignee=user) | Q(assignee__isnull=True, role=user.role), state=TaskState.OPEN
    ).count()


@dataclass(frozen=True)
class StepFigures:
    step: str
    open: int
    overdue: int
    completed: int
    on_time: int

    @property
    def on_time_share(self) -> float | None:
        return None if not self.completed else self.on_time / self.completed


def dashboard(
    *, since: datetime, until: datetime | None = None, now: datetime | None = None
) -> list[StepFigures]:
    """Per step: open and overdue now; completed in [since, until) and how many met the norm."""
    now = now or timezone.now()
    until = until or now
    open_counts = dict.fromkeys(Step.values, (0, 0))
    for row in (
        Task.objects.filter(state=TaskState.OPEN)
        .values("step")
        .annotate(open=Count("*"), overdue=Count("due_at", filter=Q(due_at__lt=now)))
    ):
        open_counts[row["step"]] = (row["open"], row["overdue"])
    done_counts = dict.fromkeys(Step.values, (0, 0))
    for row in (
        # completed_at is set only when a task is done: the range alone selects them, so the
        # covering index (completed_at) INCLUDE (step, met_norm) answers without the table.
        Task.objects.filter(completed_at__gte=since, completed_at__lt=until)
        .values("step")
        .annotate(done=Count("*"), on_time=Count("met_norm", filter=Q(met_norm=True)))
    ):
        done_counts[row["step"]] = (row["done"], row["on_time"])
    return [StepFigures(step, *open_counts[step], *done_counts[step]) for step in Step.values]


def timeline(application) -> list[Task]:
    return list(
        Task.objects.filter(application=application)
        .select_related("assignee", "completed_by")
        .order_by("created_at", "id")
    )
