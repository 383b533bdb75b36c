"""The audit events are a closed set (issue 14, item 3): each action writes exactly its own
event, with the state before and after where there is one, and nothing else is accepted."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone, translation

from qyzmet.accounts.actions import update_contact_email
from qyzmet.api import actions as api
from qyzmet.audit import actions as audit
from qyzmet.audit.events import Event
from qyzmet.audit.models import AuditRecord
from qyzmet.calendar import actions as calendar
from qyzmet.cases import actions as cases
from qyzmet.cases.models import DecisionKind
from qyzmet.office.actions import record_log_out
from qyzmet.results.actions import revoke_document
from qyzmet.results.queries import document_for
from qyzmet.testing import (
    build_case,
    documents_for,
    form_for,
    pdf_bytes,
    reload,
    session_pki,
    upload,
)
from qyzmet.workflow import actions as flow

pytestmark = pytest.mark.django_db
SERVICE = "temporary-export"


# The open task a case waits at → the builder's trait that leaves it there.
AT_STEP = {
    "assign": "registered",
    "check": "assigned",
    "prepare": "checked",
    "sign": "prepared",
    "handover": "signed",
    "issued": "issued",
}


def to(ctx, step: str):
    """A paper case of ``SERVICE`` brought to ``step`` through the real actions."""
    return build_case(ctx["staff"], AT_STEP[step], service=SERVICE)


def a_draft(ctx):
    return cases.save_draft(ctx["applicant"], service_code=SERVICE, form_data=form_for(SERVICE))


def scan(code="other"):
    return cases.AttachmentInput(code, upload(f"{code}.pdf", pdf_bytes(code)))


def a_complete_draft(ctx):
    draft = a_draft(ctx)
    for code in documents_for(SERVICE, "portal"):
        if code != "application":
            cases.add_draft_attachment(ctx["applicant"], draft, scan(code))
    return reload(draft)


def submit(ctx, draft):
    from qyzmet.cases.portal_requests import canonical_request

    signature = session_pki().sign("abenova", canonical_request(draft))
    return cases.submit_draft(ctx["applicant"], draft, signature=signature)


def an_override(ctx):
    return calendar.set_day_override(ctx["staff"]["admin"], date(2031, 1, 4), "working", "test")


def a_token(ctx):
    from qyzmet.api.models import ApiToken

    api.issue_token(ctx["staff"]["clerk"], method="password")
    return ApiToken.objects.get()


def at_step(step):
    return lambda ctx: to(ctx, step)


def staff(ctx, role):
    return ctx["staff"][role]


# name: (the setup through the real actions, the action measured, the events it writes in
# order, each as (event, has a "before" state, has an "after" state)).
ACTIONS = {
    "register paper": (
        None,
        lambda ctx, _: build_case(ctx["staff"], service=SERVICE),
        [(Event.CASES_REGISTER_PAPER, False, True)],
    ),
    "refuse intake": (
        None,
        lambda ctx, _: cases.refuse_paper_intake(
            staff(ctx, "clerk"),
            service_code=SERVICE,
            applicant=cases.ApplicantInput(
                kind="individual",
                name="Абенова",
                iin="900101300007",
                manual=True,
                manual_reason="test: entered by hand",
            ),
            paper_documents=documents_for(SERVICE, "office")[:1],
            idempotency_key="refused",
        ),
        [(Event.CASES_REFUSE_INTAKE, False, True)],
    ),
    "add attachment": (
        at_step("assign"),
        lambda ctx, app: cases.add_attachment(staff(ctx, "clerk"), app, scan()),
        [(Event.CASES_ADD_ATTACHMENT, False, True)],
    ),
    "create draft": (None, lambda ctx, _: a_draft(ctx), [(Event.CASES_CREATE_DRAFT, False, True)]),
    "save draft": (
        a_draft,
        lambda ctx, draft: cases.save_draft(
            ctx["applicant"], form_data=form_for(SERVICE), draft=draft
        ),
        [(Event.CASES_SAVE_DRAFT, False, True)],
    ),
    "add draft attachment": (
        a_draft,
        lambda ctx, draft: cases.add_draft_attachment(ctx["applicant"], draft, scan()),
        [(Event.CASES_ADD_DRAFT_ATTACHMENT, False, True)],
    ),
    "remove draft attachment": (
        a_complete_draft,
        lambda ctx, draft: cases.remove_draft_attachment(
            ctx["applicant"], draft, draft.attachments.first().pk
        ),
        [(Event.CASES_REMOVE_DRAFT_ATTACHMENT, True, False)],
    ),
    "submit draft": (a_complete_draft, submit, [(Event.CASES_SUBMIT_PORTAL, False, True)]),
    "assign": (
        at_step("assign"),
        lambda ctx, app: flow.assign_executor(staff(ctx, "head"), app, staff(ctx, "executor")),
        [(Event.WORKFLOW_ASSIGN, True, True)],
    ),
    "reassign": (
        at_step("check"),
        lambda ctx, app: flow.reassign_executor(staff(ctx, "head"), app, staff(ctx, "executor2")),
        [(Event.WORKFLOW_REASSIGN, True, True)],
    ),
    "check": (
        at_step("check"),
        lambda ctx, app: flow.record_completeness_check(staff(ctx, "executor"), app, complete=True),
        [(Event.WORKFLOW_CHECK, True, True)],
    ),
    "prepare": (
        at_step("prepare"),
        lambda ctx, app: flow.prepare_decision(
            staff(ctx, "executor"), app, kind=DecisionKind.APPROVAL
        ),
        [(Event.WORKFLOW_PREPARE, True, True)],
    ),
    "return": (
        at_step("sign"),
        lambda ctx, app: flow.return_decision(staff(ctx, "head"), app, comment="Срок?"),
        [(Event.WORKFLOW_RETURN, True, True)],
    ),
    "sign": (
        at_step("sign"),
        lambda ctx, app: ctx["sign_as_head"](staff(ctx, "head"), app, flow.current_decision(app)),
        [(Event.RESULTS_ISSUE, True, True), (Event.WORKFLOW_SIGN, True, True)],
    ),
    "handover": (
        at_step("handover"),
        lambda ctx, app: flow.record_handover(staff(ctx, "clerk"), app, handed_to="Абенова Д. Е."),
        [(Event.WORKFLOW_HANDOVER, True, True)],
    ),
    "revoke": (
        at_step("issued"),
        lambda ctx, app: revoke_document(staff(ctx, "head"), document_for(app), "ошибка"),
        [(Event.RESULTS_REVOKE, True, True)],
    ),
    "overdue sweep": (
        at_step("check"),
        lambda ctx, app: flow.mark_overdue_tasks(now=timezone.now() + timedelta(days=400)),
        [(Event.WORKFLOW_OVERDUE, False, True)],
    ),
    "calendar override": (
        None,
        lambda ctx, _: an_override(ctx),
        [(Event.CALENDAR_OVERRIDE_SAVED, False, True)],
    ),
    "calendar override deleted": (
        an_override,
        lambda ctx, override: calendar.delete_day_override(staff(ctx, "admin"), override),
        [(Event.CALENDAR_OVERRIDE_DELETED, True, False)],
    ),
    "notification address": (
        None,
        lambda ctx, _: update_contact_email(ctx["applicant"], "dana@example.kz"),
        [(Event.ACCOUNTS_UPDATE_EMAIL, True, True)],
    ),
    "desk log-out": (
        None,
        lambda ctx, _: record_log_out(staff(ctx, "clerk"), "127.0.0.1"),
        [(Event.OFFICE_LOGOUT, False, True)],
    ),
    "API token issued": (
        None,
        lambda ctx, _: api.issue_token(staff(ctx, "clerk"), method="password"),
        [(Event.API_TOKEN_ISSUED, False, True)],
    ),
    "API token revoked": (
        a_token,
        lambda ctx, token: api.revoke_token(staff(ctx, "clerk"), token),
        [(Event.API_TOKEN_REVOKED, False, True)],
    ),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_each_action_writes_exactly_its_event(name, catalog, staff, applicant, sign_as_head):
    ctx = {"staff": staff, "applicant": applicant, "sign_as_head": sign_as_head}
    setup, act, expected = ACTIONS[name]
    state = setup(ctx) if setup else None
    last = AuditRecord.objects.order_by("id").last()
    act(ctx, state)
    written = AuditRecord.objects.filter(id__gt=last.id if last else 0).order_by("id")
    assert [(r.action, r.before is not None, r.after is not None) for r in written] == [
        (str(event), before, after) for event, before, after in expected
    ]
    # Every record written on the way names an event of the set.
    assert {r.action for r in AuditRecord.objects.all()} <= {str(e) for e in Event}


def test_an_event_outside_the_set_is_refused(db):
    with pytest.raises(ValueError, match="not an audit event"), transaction.atomic():
        audit.record(None, "cases.invented")
    assert not AuditRecord.objects.exists()


def test_every_event_has_its_three_labels():
    for event in Event:
        labels = {language: event.text(language) for language in ("ru", "kk", "en")}
        assert all(label.strip() for label in labels.values()), event
        assert labels["kk"] != labels["ru"] and labels["en"] != labels["ru"], event
        assert event.count(".") == 1, event
    with translation.override("kk"):
        assert Event.WORKFLOW_ASSIGN.text() == "Орындаушы тағайындалды"
    assert Event.WORKFLOW_ASSIGN.text("en") == "Executor assigned"
