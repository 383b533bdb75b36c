"""Reads of the process: inboxes, overdue lists, the head's dashboard, case timelines.

The inbox of a person is the open tasks assigned to them plus the open unassigned tasks of
their role, by due time. Each half is one index range scan (partial indexes on open tasks),
merged here, then the page's rows are read by id, so a page costs two short index reads and
one lookup whatever the table's size.
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
    # Only what an inbox row shows (the desk's page, the API), so that no row loads a deferred
    # field on its own: the title in every language, the kind that picks IIN or BIN.
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
            "application__applicant_kind",
            "application__status",
            "application__channel",
            "application__service_version__id",
            "application__service_version__service_code",
            "application__service_version__title_ru",
            "application__service_version__title_kk",
            "application__service_version__title_en",
        )
    )


def _open_tasks_of(user, *, start: int, stop: int, now: datetime, step: str | None):
    """Rows [start, stop) of the inbox of ``user`` in due order. The keys (due time, id) of both
    halves up to ``stop`` are read and merged first, then the rows of the page alone: a deep
    page reads light keys for the rows before it, not whole rows with their case."""
    open_tasks = Task.objects.filter(state=TaskState.OPEN)
    mine = open_tasks.filter(assignee=user)
    of_role = open_tasks.filter(assignee__isnull=True, role=user.role)
    if step:
        mine, of_role = mine.filter(step=step), of_role.filter(step=step)
    keys = sorted(
        [
            *mine.order_by("due_at", "id").values_list("due_at", "id")[:stop],
            *of_role.order_by("due_at", "id").values_list("due_at", "id")[:stop],
        ]
    )[start:stop]
    tasks = _inbox_base().in_bulk([pk for _, pk in keys])
    # A task closed between the two reads is left out rather than shown closed.
    return [InboxRow(task=tasks[pk], overdue=due < now) for due, pk in keys if pk in tasks]


def inbox(
    user,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    now: datetime | None = None,
    step: str | None = None,
) -> list[InboxRow]:
    """Open tasks for ``user``, soonest due first, with overdue flags computed at ``now``."""
    return inbox_page(user, page=page, page_size=page_size, now=now, step=step).rows


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    has_next: bool


def inbox_page(
    user,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    now: datetime | None = None,
    step: str | None = None,
) -> InboxPage:
    """A page of the inbox and whether another follows, read in one go: one row past the
    page tells, instead of reading the next page too."""
    rows = _open_tasks_of(
        user,
        start=(page - 1) * page_size,
        stop=page * page_size + 1,
        now=now or timezone.now(),
        step=step,
    )
    return InboxPage(rows=rows[:page_size], has_next=len(rows) > page_size)


def inbox_count(user) -> int:
    # Two index-only scans of the partial indexes, added up in one round trip. The OR of both
    # halves makes PostgreSQL read every matching row from the table instead (a head's role
    # with 70,000 open tasks: 75 ms against 10 ms).
    open_tasks = Task.objects.filter(state=TaskState.OPEN)
    mine = open_tasks.filter(assignee=user).values("due_at")
    of_role = open_tasks.filter(assignee__isnull=True, role=user.role).values("due_at")
    return mine.union(of_role, all=True).count()


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
