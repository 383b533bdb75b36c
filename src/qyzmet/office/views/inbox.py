"""Every role's inbox: open tasks by due time (working-time deadlines), overdue marked;
filter by step; search by registration number, IIN/BIN or name (p.10, both routes)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from qyzmet.cases.queries import search
from qyzmet.workflow.models import Step
from qyzmet.workflow.queries import inbox_count, inbox_page

from .. import conf
from .common import staff_required


def _page_number(value: str) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


@staff_required()
def inbox(request):
    query = request.GET.get("q", "").strip()[:100]
    step = request.GET.get("step", "")
    step = step if step in Step.values else ""
    page = _page_number(request.GET.get("page", "1"))
    size = conf.inbox_page_size()
    now = timezone.now()
    context = {
        "query": query,
        "step": step,
        "steps": Step.choices,
        "page": page,
        "now": now,
    }
    if query:
        context["results"] = list(search(query))
        return render(request, "office/inbox.html", context)
    listed = inbox_page(request.user, page=page, page_size=size, now=now, step=step or None)
    context["rows"], context["has_next"] = listed.rows, listed.has_next
    context["total"] = inbox_count(request.user)
    return render(request, "office/inbox.html", context)
