"""Reads of the process: inboxes, overdue lists, the head's dashboard, case timelines.

The inbox of a person is the open tasks assigned to them plus the open unassigned tasks of
their role, by due time. Each half is one index range scan (partial indexes on open tasks),
merged here, then the page's rows are read by id, so a page costs two short index reads and
one lookup whatever the table's size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import Step, Task, TaskState

PAGE_SIZE = 25


@dataclass(frozen=True)
class InboxRow:
    task: Task
    overdue: bool
    # Working time from now to the due time on the service's calendar (negative: overdue by).
    left: WorkingTimeLeft | None = None


@dataclass(frozen=True)
class WorkingTimeLeft:
    """Working time to a due moment on a calendar (issue 13, item 12): whole working days of
    the schedule's length, then hours and minutes; ``overdue`` when the moment has passed."""

    minutes: int  # negative when overdue
    minutes_per_day: int
    overdue: bool  # the due moment has passed (by the clock: 0 working minutes when at lunch)

    @property
    def parts(self) -> tuple[int, int, int]:
        """(working days, hours, minutes) of the absolute value."""
        days, rest = divmod(abs(self.minutes), self.minutes_per_day)
        return days, rest // 60, rest % 60


def working_time_left(calendar, due: datetime, now: datetime) -> WorkingTimeLeft:
    return WorkingTimeLeft(
        minutes=calendar.working_minutes_between(now, due),
        minutes_per_day=calendar.schedule.minutes_per_day,
        overdue=due < now,
    )


def with_time_left(rows: list[InboxRow], now: datetime) -> list[InboxRow]:
    """The rows with their working time left, each on its service version's calendar (the
    schedules are read once per process: no query per row, none per page once warm)."""
    from qyzmet.calendar.working_time import get_calendar
    from qyzmet.catalog.queries import schedules_of

    schedules = schedules_of(
        {
            (
                row.task.application.service_version_id,
                row.task.application.service_version.source_sha256,
            )
            for row in rows
        }
    )
    return [
        replace(
            row,
            left=working_time_left(
                get_calendar(schedules.get(row.task.application.service_version_id)),
                row.task.due_at,
                now,
            ),
        )
        for row in rows
    ]


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
            "application__service_version__source_sha256",  # the schedule's cache key
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
    now = now or timezone.now()
    rows = _open_tasks_of(
        user, start=(page - 1) * page_size, stop=page * page_size + 1, now=now, step=step
    )
    return InboxPage(rows=with_time_left(rows[:page_size], now), has_next=len(rows) > page_size)


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
    due_today: int
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
    open_now = dict.fromkeys(Step.values, (0, 0, 0))
    for row in (
        Task.objects.filter(state=TaskState.OPEN).values("step").annotate(**open_counts(now))
    ):
        open_now[row["step"]] = (row["open"], row["overdue"], row["due_today"])
    done_counts = dict.fromkeys(Step.values, (0, 0))
    for row in (
        # completed_at is set only when a task is done: the range alone selects them, so the
        # covering index (completed_at) INCLUDE (step, met_norm) answers without the table.
        Task.objects.filter(completed_at__gte=since, completed_at__lt=until)
        .values("step")
        .annotate(done=Count("*"), on_time=Count("met_norm", filter=Q(met_norm=True)))
    ):
        done_counts[row["step"]] = (row["done"], row["on_time"])
    return [StepFigures(step, *open_now[step], *done_counts[step]) for step in Step.values]


def open_counts(now: datetime) -> dict:
    """The figures of open tasks the dashboard shows, as aggregates over a set of open tasks:
    all of them, overdue at ``now``, due from ``now`` to midnight."""
    tomorrow = start_of_tomorrow(now)
    return {
        "open": Count("*"),
        "overdue": Count("due_at", filter=Q(due_at__lt=now)),
        "due_today": Count("due_at", filter=Q(due_at__gte=now, due_at__lt=tomorrow)),
    }


def start_of_tomorrow(now: datetime) -> datetime:
    """Midnight after ``now``'s local day: "due today" is due in [now, this)."""
    day = timezone.localtime(now).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class ServiceFigures:
    service: str
    channel: str
    open: int
    overdue: int
    due_today: int


def open_by_service(*, now: datetime | None = None) -> list[ServiceFigures]:
    """Open tasks now per service and channel (portal / paper): open, overdue, due today.
    Each task carries its case's service and channel, so this is one index-only scan of the
    partial index (service_code, channel, due_at) WHERE open, without the applications."""
    now = now or timezone.now()
    rows = (
        Task.objects.filter(state=TaskState.OPEN)
        .values("service_code", "channel")
        .annotate(**open_counts(now))
        .order_by("service_code", "channel")
    )
    return [ServiceFigures(service=row.pop("service_code"), **row) for row in rows]


@dataclass(frozen=True)
class TaskFilter:
    """Which open tasks a dashboard figure counts: by step, service, channel, and ``when``
    ("overdue": due before now; "today": due from now to midnight; "": any)."""

    step: str = ""
    service: str = ""
    channel: str = ""
    when: str = ""


def open_tasks_page(
    chosen: TaskFilter, *, page: int = 1, page_size: int = PAGE_SIZE, now: datetime | None = None
) -> InboxPage:
    """A page of every open task the filter selects, soonest due first: the list behind each
    figure of the dashboard (the head's and the administrator's view, not an inbox)."""
    now = now or timezone.now()
    tasks = _inbox_base()
    if chosen.step:
        tasks = tasks.filter(step=chosen.step)
    if chosen.service:
        tasks = tasks.filter(service_code=chosen.service)
    if chosen.channel:
        tasks = tasks.filter(channel=chosen.channel)
    if chosen.when == "overdue":
        tasks = tasks.filter(due_at__lt=now)
    elif chosen.when == "today":
        tasks = tasks.filter(due_at__gte=now, due_at__lt=start_of_tomorrow(now))
    start = (page - 1) * page_size
    found = list(tasks.order_by("due_at", "id")[start : start + page_size + 1])
    rows = [InboxRow(task=task, overdue=task.due_at < now) for task in found[:page_size]]
    return InboxPage(rows=with_time_left(rows, now), has_next=len(found) > page_size)


def timeline(application) -> list[Task]:
    """The case's tasks in order, each with ``done_at``: when it was done as the pages show it.
    The register step is done at the registration moment (``cases.queries.registration_times``:
    the next working moment after the submission), the others when they were completed."""
    from qyzmet.cases.queries import registration_times

    registered_at = registration_times(application).registered_at
    tasks = list(
        Task.objects.filter(application=application)
        .select_related("assignee", "completed_by")
        .order_by("created_at", "id")
    )
    for task in tasks:
        task.done_at = task.completed_at
        if task.step == Step.REGISTER and task.completed_at and registered_at:
            task.done_at = max(task.completed_at, registered_at)
    return tasks
