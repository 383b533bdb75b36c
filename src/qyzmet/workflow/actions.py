"""Process actions of the provider's staff (regulation p.5–8): assign, check, prepare, sign,
return, hand over; and the system's overdue sweep.

Each action: one transaction; the case row locked first (so two people acting on one case
are serialised and the second sees the first's result); the open task of the step checked
(state, role, assignee) — a task is completed once, never twice; permission-checked; audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from qyzmet.accounts.models import Role, User
from qyzmet.accounts.permissions import require_role
from qyzmet.audit import actions as audit
from qyzmet.cases import notify
from qyzmet.cases.forms_schema import validate_form_data
from qyzmet.cases.models import (
    Application,
    Channel,
    Decision,
    DecisionKind,
    DecisionState,
    Handover,
    Outcome,
    Status,
)
from qyzmet.core.locking import locked
from qyzmet.core.refusals import Refused
from qyzmet.results.actions import (
    check_prepared_for,
    finalize_document,
    prepare_document,
    prepare_for_head,
)

from . import engine
from . import refusals as _refusals  # noqa: F401  (registers the codes)
from .models import Step, Task, TaskState
from .signatures import verify_head_signature

# --- helpers -------------------------------------------------------------------------------


def _lock(application: Application) -> Application:
    application = locked(Application.objects.select_related("service_version")).get(
        pk=application.pk
    )
    if application.is_final:
        raise Refused("case_finished")
    return application


# What a decision adds to the application's fields in its result document: not form fields,
# so not in the service's form schema.
DECISION_FIELDS = ("holder", "holder_identifier", "conditions")


def _check_result_data(application: Application, result_data: dict | None) -> dict:
    """The result's fields are the application's form overridden by what the executor edited
    (results.render.result_fields): they must satisfy the service's form schema as the
    application did. Refused as ``form_invalid`` naming the first wrong field."""
    if result_data is None:
        return {}
    if not isinstance(result_data, dict):
        raise Refused("form_invalid", {"field": "/", "detail": "object expected"}, field_name="/")
    fields = {**(application.form_data or {}), **result_data}
    validate_form_data(
        application.service_version,
        {name: value for name, value in fields.items() if name not in DECISION_FIELDS},
    )
    return result_data


def _open_task(application: Application, step: str, actor: User | None = None) -> Task:
    task = Task.objects.filter(application=application, step=step, state=TaskState.OPEN).first()
    if task is None:
        raise Refused("wrong_step")
    if actor is not None and task.assignee_id is not None and task.assignee_id != actor.pk:
        raise Refused("not_your_task")
    return task


def _set_status(application: Application, status: str, **fields) -> None:
    application.status = status
    for name, value in fields.items():
        setattr(application, name, value)
    application.revision += 1
    application.save()


def _check_reasons(application: Application, codes: Sequence[str], stage: str) -> list[str]:
    reasons = application.service_version.refusal_reasons
    for code in codes:
        reason = reasons.get(code)
        if reason is None or stage not in reason.stages:
            raise Refused("unknown_refusal_reason", {"code": code})
    return list(codes)


def _new_decision(
    application, actor, *, kind, reason_codes=(), explanation="", result_data=None, now
) -> Decision:
    decision = Decision.objects.create(
        application=application,
        kind=kind,
        reason_codes=list(reason_codes),
        explanation=explanation,
        result_data=result_data or {},
        prepared_by=actor,
        prepared_at=now,
    )
    # What the head will sign: the byte range of the rendered result PDF (PAdES), so the
    # signature the browser makes is the one embedded in the document the applicant gets.
    decision.signed_content = prepare_document(decision)
    decision.save(update_fields=["signed_content"])
    return decision


def current_decision(application: Application) -> Decision:
    decision = application.decisions.filter(state=DecisionState.AWAITING_SIGNATURE).first()
    if decision is None:
        raise Refused("wrong_step")
    return decision


# --- actions -------------------------------------------------------------------------------


@transaction.atomic
def assign_executor(actor: User, application: Application, executor: User) -> Application:
    """The head chooses the responsible executor (p.5.2)."""
    require_role(actor, Role.HEAD)
    application = _lock(application)
    task = _open_task(application, Step.ASSIGN)
    if not executor.has_role(Role.EXECUTOR):
        raise Refused("executor_not_eligible")
    before = application.snapshot()
    now = timezone.now()
    engine.close_task(
        task, actor=actor, outcome="assigned", comment=f"executor={executor.pk}", now=now
    )
    _set_status(application, Status.CHECKING, executor=executor)
    engine.open_task(application, Step.CHECK, assignee=executor, now=now)
    audit.record(
        actor,
        "workflow.assign",
        case=application,
        obj=task,
        before=before,
        after=application.snapshot(),
    )
    return application


@transaction.atomic
def reassign_executor(actor: User, application: Application, executor: User) -> Application:
    """The head hands the case to another executor; the open step keeps its due time."""
    require_role(actor, Role.HEAD)
    application = _lock(application)
    if not executor.has_role(Role.EXECUTOR):
        raise Refused("executor_not_eligible")
    task = Task.objects.filter(
        application=application, step__in=[Step.CHECK, Step.PREPARE], state=TaskState.OPEN
    ).first()
    if task is None:
        raise Refused("wrong_step")
    before = application.snapshot()
    task.assignee = executor
    task.save(update_fields=["assignee"])
    _set_status(application, application.status, executor=executor)
    audit.record(
        actor,
        "workflow.reassign",
        case=application,
        obj=task,
        before=before,
        after=application.snapshot(),
    )
    return application


@transaction.atomic
def record_completeness_check(
    actor: User,
    application: Application,
    *,
    complete: bool,
    reason_codes: Sequence[str] = (),
    explanation: str = "",
) -> Application:
    """The executor checks the documents against Standard item 9 within 10 minutes (p.8.2).
    An incomplete package becomes a motivated refusal that the head signs."""
    require_role(actor, Role.EXECUTOR)
    application = _lock(application)
    task = _open_task(application, Step.CHECK, actor)
    before = application.snapshot()
    now = timezone.now()
    if complete:
        engine.close_task(task, actor=actor, outcome="complete", now=now)
        _set_status(application, Status.PREPARING)
        engine.open_task(application, Step.PREPARE, assignee=actor, now=now)
    else:
        if not reason_codes or not explanation.strip():
            raise Refused("refusal_reason_required")
        codes = _check_reasons(application, reason_codes, "check")
        _new_decision(
            application,
            actor,
            kind=DecisionKind.REFUSAL,
            reason_codes=codes,
            explanation=explanation.strip(),
            now=now,
        )
        engine.close_task(
            task, actor=actor, outcome="incomplete", comment=explanation.strip(), now=now
        )
        _set_status(application, Status.SIGNING)
        engine.open_task(application, Step.SIGN, now=now)
    audit.record(
        actor,
        "workflow.check",
        case=application,
        obj=task,
        before=before,
        after={**application.snapshot(), "complete": complete},
    )
    return application


@transaction.atomic
def prepare_decision(
    actor: User,
    application: Application,
    *,
    kind: str,
    result_data: dict | None = None,
    reason_codes: Sequence[str] = (),
    explanation: str = "",
) -> Decision:
    """The executor prepares the result or a motivated refusal (p.5.4, p.10 условие 3 /
    процесс 8) and sends it to the head for signature."""
    require_role(actor, Role.EXECUTOR)
    application = _lock(application)
    task = _open_task(application, Step.PREPARE, actor)
    if kind not in DecisionKind.values:
        raise Refused("wrong_step")
    codes: list[str] = []
    if kind == DecisionKind.REFUSAL:
        if not reason_codes or not explanation.strip():
            raise Refused("refusal_reason_required")
        codes = _check_reasons(application, reason_codes, "prepare")
    result_data = _check_result_data(application, result_data)
    before = application.snapshot()
    now = timezone.now()
    decision = _new_decision(
        application,
        actor,
        kind=kind,
        reason_codes=codes,
        explanation=explanation.strip(),
        result_data=result_data,
        now=now,
    )
    engine.close_task(task, actor=actor, outcome=kind, now=now)
    _set_status(application, Status.SIGNING)
    engine.open_task(application, Step.SIGN, now=now)
    audit.record(
        actor,
        "workflow.prepare",
        case=application,
        obj=decision,
        before=before,
        after={**application.snapshot(), "decision": kind, "reason_codes": codes},
    )
    return decision


def _finish(application: Application, decision: Decision, now: datetime) -> None:
    approved = decision.kind == DecisionKind.APPROVAL
    _set_status(
        application,
        Status.ISSUED if approved else Status.REFUSED,
        outcome=Outcome.APPROVED if approved else Outcome.REFUSED,
        refusal_codes=[] if approved else decision.reason_codes,
        completed_at=now,
    )
    notify.queue_status_mail(application)


@transaction.atomic
def prepare_signing(actor: User, application: Application) -> Decision:
    """The head is about to sign (opens the sign page, asks for the bytes to sign, starts
    eGov mobile): the result document is prepared for this head — their name, position and
    today's date in the signature block, the outgoing number unchanged — unless it already
    is. Returns the decision with the bytes to sign."""
    require_role(actor, Role.HEAD)
    application = _lock(application)
    _open_task(application, Step.SIGN)
    decision = current_decision(application)
    prepare_for_head(actor, decision)
    return decision


@transaction.atomic
def sign_decision(
    actor: User, application: Application, *, signature: bytes, signed_content: bytes
) -> Decision:
    """The head signs the prepared result with the EDS (p.5.5, p.6.3, p.10 процесс 9). The
    server verifies the signature over the bytes it prepared, the certificate, and that the
    key is this head's. Electronic route: the result is issued; paper route: it goes to the
    clerk to be printed, stamped and handed over."""
    require_role(actor, Role.HEAD)
    application = _lock(application)
    task = _open_task(application, Step.SIGN)
    decision = current_decision(application)
    # The document signed must name this head and today (prepared for them by
    # prepare_signing); else nothing is issued and the sign page prepares it again.
    check_prepared_for(decision, actor)
    if bytes(signed_content) != bytes(decision.signed_content):
        raise Refused("signature_content_mismatch")
    signer = verify_head_signature(actor, bytes(decision.signed_content), bytes(signature))
    before = application.snapshot()
    now = timezone.now()
    decision.state = DecisionState.SIGNED
    decision.signed_by = actor
    decision.signed_at = now
    decision.signature = bytes(signature)
    decision.signer_certificate = signer
    decision.save()
    finalize_document(decision, bytes(signature))
    engine.close_task(task, actor=actor, outcome="signed", now=now)
    if application.channel == Channel.OFFICE and engine.step_applies(application, Step.HANDOVER):
        _set_status(
            application,
            Status.AWAITING_HANDOVER,
            outcome=Outcome.APPROVED if decision.kind == DecisionKind.APPROVAL else Outcome.REFUSED,
            refusal_codes=decision.reason_codes,
        )
        engine.open_task(application, Step.HANDOVER, now=now)
    else:
        _finish(application, decision, now)
    audit.record(
        actor,
        "workflow.sign",
        case=application,
        obj=decision,
        before=before,
        after={**application.snapshot(), "signer_serial": signer.get("serial")},
    )
    return decision


@transaction.atomic
def return_decision(actor: User, application: Application, *, comment: str) -> Application:
    """The head returns the draft to the executor with a comment instead of signing."""
    require_role(actor, Role.HEAD)
    application = _lock(application)
    task = _open_task(application, Step.SIGN)
    decision = current_decision(application)
    if not comment.strip():
        raise Refused("refusal_reason_required")
    before = application.snapshot()
    now = timezone.now()
    decision.state = DecisionState.RETURNED
    decision.return_comment = comment.strip()
    decision.save(update_fields=["state", "return_comment"])
    engine.close_task(task, actor=actor, outcome="returned", comment=comment.strip(), now=now)
    _set_status(application, Status.PREPARING)
    engine.open_task(application, Step.PREPARE, assignee=application.executor, now=now)
    audit.record(
        actor,
        "workflow.return",
        case=application,
        obj=decision,
        before=before,
        after={**application.snapshot(), "comment": comment.strip()},
    )
    return application


@transaction.atomic
def record_handover(
    actor: User,
    application: Application,
    *,
    handed_to: str,
    handed_to_document: str = "",
    handed_at: datetime | None = None,
) -> Handover:
    """Paper route end: the result printed, signed by the head, stamped (p.6) and handed over."""
    require_role(actor, Role.CLERK)
    application = _lock(application)
    task = _open_task(application, Step.HANDOVER)
    if not handed_to.strip():
        raise Refused("handover_recipient_required")
    now = timezone.now()
    if handed_at is not None and handed_at > now:
        raise Refused("handover_date_invalid", field_name="handed_at")
    decision = application.decisions.get(state=DecisionState.SIGNED)
    before = application.snapshot()
    handover = Handover.objects.create(
        application=application,
        handed_at=handed_at or now,
        handed_to=handed_to.strip(),
        handed_to_document=handed_to_document.strip(),
        recorded_by=actor,
    )
    engine.close_task(task, actor=actor, outcome="handed_over", now=now)
    _finish(application, decision, now)
    audit.record(
        actor,
        "workflow.handover",
        case=application,
        obj=handover,
        before=before,
        after={**application.snapshot(), "handed_to": handover.handed_to},
    )
    return handover


def mark_overdue_tasks(now: datetime | None = None, batch_size: int = 500) -> int:
    """The periodic sweep: flag open tasks past their due time, each in the audit log.
    Batches keep the transactions short; re-running is harmless."""
    now = now or timezone.now()
    marked = 0
    while True:
        with transaction.atomic():
            batch = list(
                locked(Task.objects, skip_locked=True)
                .filter(state=TaskState.OPEN, overdue=False, due_at__lt=now)
                .order_by("due_at")[:batch_size]
            )
            if not batch:
                return marked
            Task.objects.filter(pk__in=[t.pk for t in batch]).update(overdue=True)
            for task in batch:
                audit.record(
                    None,
                    "workflow.overdue",
                    case_id=task.application_id,
                    obj=task,
                    after={"step": task.step, "due_at": task.due_at.isoformat()},
                )
            marked += len(batch)
