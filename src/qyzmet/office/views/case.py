"""The case page (applicant, form data with the schema's titles, attachments, the timeline of
every step with its norm met or missed, the audit trail) and its task panel: the head
assigns or reassigns, the executor checks completeness (p.8.2), the clerk hands the paper
result over (p.6). Each POST calls one action of the write layer; a refusal re-renders the
page with the reason in the user's language and changes nothing."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qyzmet.accounts.models import Role, User
from qyzmet.audit.queries import trail_for_case
from qyzmet.cases.attachments import download_name
from qyzmet.cases.models import Channel, DecisionKind, Status
from qyzmet.cases.queries import registration_times
from qyzmet.catalog.schema_form import build_fields
from qyzmet.core.refusals import Refused
from qyzmet.results.models import DocumentState
from qyzmet.results.queries import document_for
from qyzmet.workflow import actions as flow
from qyzmet.workflow.engine import calendar_for
from qyzmet.workflow.models import Step
from qyzmet.workflow.queries import timeline, working_time_left

from .. import queries
from .common import language, not_found, refusal_text, staff_required


def reasons_for(version, stage: str) -> list:
    return [r for r in version.refusal_reasons.values() if stage in r.stages]


def case_context(request, case) -> dict:
    version = case.service_version
    lang = language()
    names = {doc.code: doc for doc in version.documents(case.channel)}
    tasks = queries.open_tasks(case)
    user = request.user
    check_task, prepare_task = tasks.get(Step.CHECK), tasks.get(Step.PREPARE)
    own = [t for t in (check_task, prepare_task) if t and t.assignee_id == user.pk]
    document = document_for(case)
    now = timezone.now()
    calendar = calendar_for(case)
    tasks_in_order = timeline(case)
    for task in tasks_in_order:
        task.left = (
            working_time_left(calendar, task.due_at, now) if task.completed_at is None else None
        )
    return {
        "case": case,
        "version": version,
        "fields": (
            build_fields(version.form_schema, case.form_data, language=lang)
            if case.status != Status.INTAKE_REFUSED
            else []
        ),
        "paper_documents": [names.get(c) or c for c in case.paper_documents],
        "attachments": [(a, names.get(a.document_code)) for a in case.attachments.all()],
        "times": registration_times(case),
        "timeline": tasks_in_order,
        "deadline_left": (
            working_time_left(calendar, case.deadline_at, now)
            if case.deadline_at and not case.is_final
            else None
        ),
        "trail": list(trail_for_case(case.pk)),
        "decisions": list(case.decisions.all()),
        "signed": queries.signed_decision(case),
        "result_document": document,
        "can_revoke": (
            document is not None
            and document.state == DocumentState.ISSUED
            and user.has_role(Role.HEAD, Role.ADMINISTRATOR)
        ),
        "open": tasks,
        "can_assign": Step.ASSIGN in tasks and user.has_role(Role.HEAD),
        "can_reassign": bool(check_task or prepare_task) and user.has_role(Role.HEAD),
        "can_check": check_task is not None and check_task in own,
        "can_prepare": prepare_task is not None and prepare_task in own,
        "can_sign": Step.SIGN in tasks and user.has_role(Role.HEAD),
        "can_handover": Step.HANDOVER in tasks and user.has_role(Role.CLERK),
        "executors": list(queries.active_executors()),
        "check_reasons": reasons_for(version, "check"),
        "is_office": case.channel == Channel.OFFICE,
        "now": now,
        "today": timezone.localdate().isoformat(),
    }


def _case(request, public_id):
    return queries.case_or_none(public_id)


@staff_required()
def case_page(request, public_id, *, panel_error: str = "", status: int = 200, posted=None):
    case = _case(request, public_id)
    if case is None:
        return not_found(request)
    context = case_context(request, case)
    context["panel_error"] = panel_error
    context["posted"] = posted or {}
    return render(request, "office/case.html", context, status=status)


def _act(request, public_id, run):
    """Run one action on the case; back to the case page, or the page again with the refusal."""
    case = _case(request, public_id)
    if case is None:
        return not_found(request)
    try:
        run(case)
    except Refused as refusal:
        return case_page(
            request, public_id, panel_error=refusal_text(refusal), status=400, posted=request.POST
        )
    return redirect("office:case", public_id=case.public_id)


def _executor(request) -> User:
    executor = User.objects.filter(pk=_int(request.POST.get("executor"))).first()
    if executor is None:
        raise Refused("executor_not_eligible", field_name="executor")
    return executor


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_required(Role.HEAD)
@require_POST
def assign(request, public_id):
    return _act(
        request,
        public_id,
        lambda case: flow.assign_executor(request.user, case, _executor(request)),
    )


@staff_required(Role.HEAD)
@require_POST
def reassign(request, public_id):
    return _act(
        request,
        public_id,
        lambda case: flow.reassign_executor(request.user, case, _executor(request)),
    )


@staff_required(Role.EXECUTOR)
@require_POST
def check(request, public_id):
    complete = request.POST.get("complete") == "1"

    def run(case):
        flow.record_completeness_check(
            request.user,
            case,
            complete=complete,
            reason_codes=request.POST.getlist("reasons"),
            explanation=request.POST.get("explanation", "")[:4000],
        )

    return _act(request, public_id, run)


def _handed_at(value: str):
    """The date the clerk typed (today by default), as a moment in the provider's time zone
    (a date after today is the action's to refuse)."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Refused("handover_date_invalid", field_name="handed_at") from exc
    now = timezone.localtime()
    if day == now.date():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@staff_required(Role.CLERK)
@require_POST
def handover(request, public_id):
    def run(case):
        flow.record_handover(
            request.user,
            case,
            handed_to=request.POST.get("handed_to", "")[:300],
            handed_to_document=request.POST.get("handed_to_document", "")[:100],
            handed_at=_handed_at(request.POST.get("handed_at", "")),
        )

    return _act(request, public_id, run)


@staff_required()
def attachment(request, public_id, attachment_id: int):
    """A scan of the case, for staff only; the stored name never comes from the user, the
    original one, made safe and with the detected type's extension (``download_name``),
    goes into Content-Disposition, and the browser must not sniff the type."""
    case = _case(request, public_id)
    found = queries.attachment_of(case, attachment_id) if case else None
    if found is None:
        return not_found(request)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=request.GET.get("download") == "1",
        # Its extension is the detected type's, never the uploaded one (finding 17).
        filename=download_name(found.original_name, found.content_type),
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(Role.CLERK, Role.HEAD)
def result_print(request, public_id):
    """The signed result on paper (p.6): printed, signed by the head and stamped."""
    case = _case(request, public_id)
    decision = queries.signed_decision(case) if case else None
    if decision is None:
        return not_found(request)
    return render(request, "office/result_print.html", decision_context(case, decision))


def decision_context(case, decision) -> dict:
    """What ``_decision.html`` shows of a result (the document as its catalogue template lays
    it out, or its fields when none was rendered) and the link to its PDF: the sign, print and
    revoke pages share it."""
    from qyzmet.results.queries import decision_view

    version = case.service_version
    return {
        "case": case,
        "version": version,
        "decision": decision,
        "fields": (
            build_fields(version.form_schema, decision.result_data, language=language())
            if decision.kind == DecisionKind.APPROVAL
            else []
        ),
        "reasons": [version.refusal_reasons.get(c) for c in decision.reason_codes],
        "pdf_url": result_pdf_url(decision),
        # The document itself, from the same catalogue template as its PDF.
        "document": decision_view(decision),
    }


def result_pdf_url(decision) -> str:
    """The office's link to the result PDF of the results app, when one was rendered."""
    from django.urls import reverse

    if queries.result_pdf(decision) is None:
        return ""
    return reverse("office:decision_pdf", args=[decision.application.public_id, decision.pk])


@staff_required(Role.CLERK, Role.EXECUTOR, Role.HEAD)
def decision_pdf(request, public_id, decision_id: int):
    case = _case(request, public_id)
    decision = case.decisions.filter(pk=decision_id).first() if case else None
    pdf = queries.result_pdf(decision) if decision else None
    if pdf is None:
        return not_found(request)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{case.registration_number}-{decision.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
