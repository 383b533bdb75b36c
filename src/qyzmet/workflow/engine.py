"""The process of both services (regulation p.5–8) as transitions between task rows.

    register → assign (head) → check (executor, 10 working minutes, p.8.2)
        check: complete   → prepare (executor, 10 working days from registration, p.8.3)
        check: incomplete → sign (head signs the motivated refusal)
    prepare (approval | refusal) → sign (head, p.8.4)
    sign: signed   → portal: issued / refused;  office: handover (clerk) → issued / refused
    sign: returned → prepare again

Roles and norms come from the case's catalogue version, never from here; this module only
knows the order of the steps. Everything in it runs inside an action's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from qyzmet.calendar.working_time import WorkingCalendar, get_calendar
from qyzmet.core.plugins import Registry

from .models import Step, Task, TaskState


@dataclass(frozen=True)
class Norm:
    kind: str  # same_working_day | working_minutes | working_days
    value: int
    start_from: str  # step_start | registration

    @classmethod
    def of(cls, step) -> Norm:
        return cls(step.norm_kind, int(step.norm_value or 0), step.norm_from or "step_start")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "value": self.value, "from": self.start_from}


def calendar_for(application) -> WorkingCalendar:
    return get_calendar(application.service_version.schedule)


# The kinds of norm a catalogue step may state (its ``norm.kind``), each the rule that turns
# the moment it counts from and the norm's value into the due time. A new kind is one more
# decorated function here (and its name in the catalogue's metaschema).
deadline_rules: Registry[Callable[[WorkingCalendar, datetime, int], datetime]] = Registry(
    "deadline rule"
)


@deadline_rules("same_working_day")
def _same_working_day(calendar: WorkingCalendar, origin: datetime, value: int) -> datetime:
    return calendar.same_working_day_deadline(origin)


@deadline_rules("working_minutes")
def _working_minutes(calendar: WorkingCalendar, origin: datetime, value: int) -> datetime:
    return calendar.add_working_minutes(calendar.next_working_moment(origin), value)


@deadline_rules("working_days")
def _working_days(calendar: WorkingCalendar, origin: datetime, value: int) -> datetime:
    return calendar.working_day_deadline(origin, value)


def due_time(
    norm: Norm, *, start: datetime, registered_at: datetime, calendar: WorkingCalendar
) -> datetime:
    origin = registered_at if norm.start_from == "registration" else start
    try:
        rule = deadline_rules[norm.kind]
    except KeyError as exc:
        raise ValueError(f"unknown norm kind {norm.kind!r}") from exc
    return rule(calendar, origin, norm.value)


def _new_task(application, step: str, *, assignee, now: datetime, calendar) -> Task:
    """An unsaved open task of ``step`` with its due time from the catalogue's norm: every task
    is made here (``open_task``, ``start_process``), with its case's service and channel."""
    definition = application.service_version.step(step, application.channel)
    norm = Norm.of(definition)
    due = due_time(
        norm, start=now, registered_at=application.registered_at or now, calendar=calendar
    )
    return Task(
        application=application,
        service_code=application.service_version.service_code,
        channel=application.channel,
        step=step,
        role=definition.role,
        assignee=assignee,
        created_at=now,
        due_at=due,
        norm=norm.as_dict(),
    )


def open_task(application, step: str, *, assignee=None, now: datetime | None = None) -> Task:
    """Create the open task of ``step`` with its due time from the catalogue's norm."""
    now = now or timezone.now()
    task = _new_task(
        application, step, assignee=assignee, now=now, calendar=calendar_for(application)
    )
    task.save(force_insert=True)
    return task


def start_registered(application, *, actor, now: datetime) -> list[Task]:
    """The process of an application being registered (the register calls it through
    ``qyzmet.cases.process``): its registration moment on the working calendar, its deadline
    (the sign step's norm, p.8) and its first tasks.

    One rule for both channels (issue 13, item 8): an application submitted at ``now`` (the
    applicant signed on the portal, or handed the package in at the desk) is registered at
    the next working moment — ``now`` itself in working hours; after hours, at lunch, on a
    weekend or holiday the start of the next working period (p.10 процесс 7; SERVICES.md,
    schedule). Both moments are kept and shown (``cases.queries.registration_times``)."""
    calendar = calendar_for(application)
    application.registered_at = calendar.next_working_moment(now)
    application.deadline_at = due_time(
        Norm.of(application.service_version.step(Step.SIGN, application.channel)),
        start=application.registered_at,
        registered_at=application.registered_at,
        calendar=calendar,
    )
    return start_process(application, actor=actor, now=now, calendar=calendar)


def start_process(application, *, actor, now: datetime, calendar: WorkingCalendar) -> list[Task]:
    """The tasks of a registration, in one INSERT: the register step, done by ``actor`` at
    ``now``, and the open first step after it (p.5.1 → p.5.2)."""
    actor = actor if actor is not None and actor.pk else None
    registered = _new_task(application, Step.REGISTER, assignee=actor, now=now, calendar=calendar)
    _complete(registered, actor=actor, outcome="registered", comment="", now=now)
    first = _new_task(
        application, FIRST_STEP_AFTER_REGISTRATION, assignee=None, now=now, calendar=calendar
    )
    return Task.objects.bulk_create([registered, first])


def _complete(task: Task, *, actor, outcome: str, comment: str, now: datetime) -> None:
    task.state = TaskState.DONE
    task.completed_at = now
    task.completed_by = actor if actor is not None and actor.pk else None
    task.outcome = outcome
    task.comment = comment
    task.met_norm = now <= task.due_at


def close_task(
    task: Task, *, actor, outcome: str, comment: str = "", now: datetime | None = None
) -> Task:
    _complete(task, actor=actor, outcome=outcome, comment=comment, now=now or timezone.now())
    task.save(
        update_fields=["state", "completed_at", "completed_by", "outcome", "comment", "met_norm"]
    )
    return task


def step_applies(application, step: str) -> bool:
    try:
        application.service_version.step(step, application.channel)
    except KeyError:
        return False
    return True


FIRST_STEP_AFTER_REGISTRATION = Step.ASSIGN
