"""The head's dashboard: per step, open, overdue and due-today tasks now, and for a chosen
period the completed ones and the share that met the norm (p.8); open tasks per service and
channel. Every figure of open tasks links to the list of those tasks (``tasks``)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone

from qyzmet.accounts.models import Role
from qyzmet.cases.models import Channel
from qyzmet.catalog.models import ServiceVersion
from qyzmet.workflow.models import Step
from qyzmet.workflow.queries import TaskFilter, open_by_service, open_tasks_page
from qyzmet.workflow.queries import dashboard as step_figures

from .. import conf
from ..texts import text
from .common import language, staff_required
from .inbox import _page_number


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
        "due_today": sum(f.due_today for f in figures),
        "completed": sum(f.completed for f in figures),
        "on_time": sum(f.on_time for f in figures),
    }
    totals["share"] = totals["on_time"] / totals["completed"] if totals["completed"] else None
    by_service = open_by_service()
    titles = _service_titles({f.service for f in by_service})
    context = {
        "rows": rows,
        "totals": totals,
        "by_service": [(titles.get(f.service, f.service), f) for f in by_service],
        "since": since.isoformat(),
        "until": until.isoformat(),
        "error": error,
    }
    return render(request, "office/dashboard.html", context, status=400 if error else 200)


def _service_titles(codes: set[str]) -> dict[str, str]:
    """Each service's title in the page's language (its latest version's), in one query."""
    lang = language()
    titles: dict[str, str] = {}
    for version in ServiceVersion.objects.filter(service_code__in=codes).order_by(
        "service_code", "-effective_from"
    ):
        titles.setdefault(version.service_code, version.title(lang))
    return titles


@staff_required(Role.HEAD, Role.ADMINISTRATOR)
def tasks(request):
    """The open tasks behind a figure of the dashboard: by step, service, channel and due
    (overdue, today), soonest due first, with the working time left or overdue by."""
    get = request.GET
    chosen = TaskFilter(
        step=get.get("step", "") if get.get("step") in Step.values else "",
        service=get.get("service", "")[:64],
        channel=get.get("channel", "") if get.get("channel") in Channel.values else "",
        when=get.get("when", "") if get.get("when") in ("overdue", "today") else "",
    )
    page = _page_number(get.get("page", "1"))
    listed = open_tasks_page(chosen, page=page, page_size=conf.inbox_page_size())
    query = {k: v for k, v in vars(chosen).items() if v}
    titles = _service_titles({chosen.service}) if chosen.service else {}
    context = {
        "chosen": chosen,
        "service_title": titles.get(chosen.service, chosen.service),
        "rows": listed.rows,
        "has_next": listed.has_next,
        "page": page,
        "query": urlencode(query),
    }
    return render(request, "office/tasks.html", context)
