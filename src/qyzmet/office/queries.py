"""Reads the staff desk needs besides the register's and the process's own queries."""

from __future__ import annotations

from qyzmet.accounts.models import Role, User
from qyzmet.cases.models import Application, Attachment, DecisionState
from qyzmet.cases.queries import case_detail
from qyzmet.workflow.models import Task, TaskState


def active_executors():
    return User.objects.filter(role=Role.EXECUTOR, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def case_or_none(public_id) -> Application | None:
    """A registered case (drafts of the portal are the applicant's own, not the office's)."""
    try:
        case = case_detail(public_id)
    except Application.DoesNotExist:
        return None
    return None if case.status == "draft" else case


def open_tasks(case: Application) -> dict[str, Task]:
    """The case's open tasks by step (at most one per step, by a database constraint)."""
    return {
        task.step: task
        for task in Task.objects.filter(application=case, state=TaskState.OPEN).select_related(
            "assignee"
        )
    }


def attachment_of(case: Application, attachment_id: int) -> Attachment | None:
    return Attachment.objects.filter(application=case, pk=attachment_id).first()


def awaiting_decision(case: Application):
    return case.decisions.filter(state=DecisionState.AWAITING_SIGNATURE).first()


def signed_decision(case: Application):
    return case.decisions.filter(state=DecisionState.SIGNED).order_by("-signed_at").first()


def last_returned_decision(case: Application):
    return case.decisions.filter(state=DecisionState.RETURNED).order_by("-prepared_at").first()


def result_pdf(decision) -> bytes | None:
    """The result document's PDF from the results app: the unsigned preview (marked as a
    draft) while the head has yet to sign, the issued signed one afterwards; None when none
    was rendered."""
    from qyzmet.results.models import DocumentState, ResultDocument

    document = ResultDocument.objects.filter(decision=decision).first()
    if document is None:
        return None
    if document.state == DocumentState.PREPARED:
        # The head's review: the same document marked "ЖОБА / ПРОЕКТ", not the bytes to sign.
        from qyzmet.results.actions import preview_pdf

        return preview_pdf(document) if document.prepared_pdf else None
    if not document.pdf:
        return None
    with document.pdf.open("rb") as stream:
        return stream.read()
