"""The head's dashboard: per step, open and overdue tasks now, and for a chosen period the
completed ones and the share that met the norm (p.8)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from qyzmet.accounts.models import Role
from qyzmet.workflow.models import Step
from qyzmet.workflow.queries import dashboard as step_figures

from .. import conf
from ..texts import text
from .common import staff_required


def _period(request) -> tuple[dt.date, dt.date, str]:
    today = timezone.localdate()
    default_since = today - dt.timedelta(days=conf.dashboard_default_days())
    try:
        since = dt.date.fromisoformat(request.GET.get("since") or default_since.isoformat())
        until = dt.date.fromisoformat(request.GET.get("until") or today.isoformat())
    except ValueError:
        return default_since, today, text("bad_period")
    if until < since:
        return default_since, today, text("bad_period")
    return since, until, ""


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@staff_required(Role.HEAD, Role.ADMINISTRATOR)
def dashboard(request):
    since, until, error = _period(request)
    figures = step_figures(since=_start_of(since), until=_start_of(until + dt.timedelta(days=1)))
    names = dict(Step.choices)
    rows = [(names[f.step], f) for f in figures if f.step != Step.REGISTER or f.completed]
    totals = {
        "open": sum(f.open for f in figures),
        "overdue": sum(f.overdue for f in figures),
        "completed": sum(f.completed for f in figures),
        "on_time": sum(f.on_time for f in figures),
    }
    totals["share"] = totals["on_time"] / totals["completed"] if totals["completed"] else None
    context = {
        "rows": rows,
        "totals": totals,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "error": error,
    }
    return render(request, "office/dashboard.html", context, status=400 if error else 200)
