"""Both services through every path of the process (regulation p.5–8, p.10), driven through
the actions layer as the desk and the portal drive it: approved, refused at completeness,
refused on the grounds, intake refusal; portal and office channels."""

import pytest

from qyzmet.audit.models import AuditRecord
from qyzmet.audit.queries import verify_chain
from qyzmet.cases import actions as cases
from qyzmet.cases.models import Application, DecisionKind, Outcome, Status
from qyzmet.testing import build_case, documents_for, reload, submit_on_portal
from qyzmet.workflow import actions as flow
from qyzmet.workflow.models import Task, TaskState

pytestmark = pytest.mark.django_db

SERVICES = ["temporary-export", "restoration-approval"]


def open_steps(application):
    return sorted(
        Task.objects.filter(application=application, state=TaskState.OPEN).values_list(
            "step", flat=True
        )
    )


def done_steps(application):
    return list(
        Task.objects.filter(application=application, state=TaskState.DONE)
        .order_by("completed_at", "id")
        .values_list("step", "outcome")
    )


@pytest.mark.parametrize("service", SERVICES)
def test_office_route_approved_and_handed_over(catalog, staff, sign_as_head, service):
    app = build_case(staff, service=service)
    assert app.status == Status.REGISTERED
    assert app.registration_number.endswith("-000001")
    scanned = ["application"] + (["photos"] if "photos" in documents_for(service, "office") else [])
    assert sorted(app.attachments.values_list("document_code", flat=True)) == sorted(scanned)
    assert open_steps(app) == ["assign"]

    flow.assign_executor(staff["head"], app, staff["executor"])
    assert open_steps(app) == ["check"]
    flow.record_completeness_check(staff["executor"], app, complete=True)
    assert reload(app).status == Status.PREPARING
    decision = flow.prepare_decision(
        staff["executor"], app, kind=DecisionKind.APPROVAL, result_data={"conditions": "№ 42"}
    )
    assert reload(app).status == Status.SIGNING
    sign_as_head(staff["head"], app, decision)
    app = reload(app)
    assert app.status == Status.AWAITING_HANDOVER  # paper route: print, stamp, hand over (p.6)
    assert open_steps(app) == ["handover"]
    flow.record_handover(
        staff["clerk"], app, handed_to="Абенова Д. Е.", handed_to_document="удостоверение 012345678"
    )
    app = reload(app)
    assert (app.status, app.outcome) == (Status.ISSUED, Outcome.APPROVED)
    # The head's signature is the PAdES signature of the issued PDF (p.6.3, p.10 процесс 9).
    from qyzmet.results.queries import document_for, verify_public

    document = document_for(app)
    assert document.state == "issued" and document.pdf.read().startswith(b"%PDF-")
    verdict = verify_public(app.registration_number, document.token)
    assert verdict.status == "authentic" and verdict.signer_iin == staff["head"].iin
    assert [s for s, _ in done_steps(app)] == [
        "register",
        "assign",
        "check",
        "prepare",
        "sign",
        "handover",
    ]
    assert open_steps(app) == []
    actions = list(AuditRecord.objects.filter(case_id=app.pk).values_list("action", flat=True))
    assert actions == [
        "cases.register_paper",
        "workflow.assign",
        "workflow.check",
        "workflow.prepare",
        "results.issue",
        "workflow.sign",
        "workflow.handover",
    ]
    assert verify_chain().ok


@pytest.mark.parametrize("service", SERVICES)
def test_portal_route_approved_is_issued_at_signature(
    catalog, staff, applicant, sign_as_head, service
):
    app = submit_on_portal(applicant, service)
    assert app.channel == "portal" and app.status == Status.REGISTERED
    flow.assign_executor(staff["head"], app, staff["executor"])
    flow.record_completeness_check(staff["executor"], app, complete=True)
    decision = flow.prepare_decision(staff["executor"], app, kind=DecisionKind.APPROVAL)
    sign_as_head(staff["head"], app, decision)
    app = reload(app)
    assert (app.status, app.outcome) == (Status.ISSUED, Outcome.APPROVED)
    assert app.completed_at is not None
    assert "handover" not in [s for s, _ in done_steps(app)]


@pytest.mark.parametrize("service", SERVICES)
def test_refused_at_completeness_check(catalog, staff, applicant, sign_as_head, service):
    app = submit_on_portal(applicant, service)
    flow.assign_executor(staff["head"], app, staff["executor"])
    flow.record_completeness_check(
        staff["executor"],
        app,
        complete=False,
        reason_codes=["incomplete_documents"],
        explanation="Нет цветных фотографий предметов.",
    )
    app = reload(app)
    assert app.status == Status.SIGNING and open_steps(app) == ["sign"]
    decision = app.decisions.get()
    assert decision.kind == DecisionKind.REFUSAL and decision.reason_codes == [
        "incomplete_documents"
    ]
    sign_as_head(staff["head"], app, decision)
    app = reload(app)
    assert (app.status, app.outcome, app.refusal_codes) == (
        Status.REFUSED,
        Outcome.REFUSED,
        ["incomplete_documents"],
    )


@pytest.mark.parametrize("service", SERVICES)
def test_refused_on_grounds_office_route(catalog, staff, sign_as_head, service):
    app = build_case(staff, service=service)
    flow.assign_executor(staff["head"], app, staff["executor"])
    flow.record_completeness_check(staff["executor"], app, complete=True)
    decision = flow.prepare_decision(
        staff["executor"],
        app,
        kind=DecisionKind.REFUSAL,
        reason_codes=["grounds_not_met"],
        explanation="Основания для выдачи разрешения отсутствуют (условие 3).",
    )
    sign_as_head(staff["head"], app, decision)
    flow.record_handover(staff["clerk"], app, handed_to="Абенова Д. Е.")
    app = reload(app)
    assert (app.status, app.outcome, app.refusal_codes) == (
        Status.REFUSED,
        Outcome.REFUSED,
        ["grounds_not_met"],
    )


def test_head_returns_draft_then_signs_the_new_one(catalog, staff, applicant, sign_as_head):
    app = submit_on_portal(applicant, "temporary-export")
    flow.assign_executor(staff["head"], app, staff["executor"])
    flow.record_completeness_check(staff["executor"], app, complete=True)
    first = flow.prepare_decision(staff["executor"], app, kind=DecisionKind.APPROVAL)
    flow.return_decision(staff["head"], app, comment="Уточните срок вывоза.")
    app = reload(app)
    assert app.status == Status.PREPARING and open_steps(app) == ["prepare"]
    first.refresh_from_db()
    assert first.state == "returned"
    second = flow.prepare_decision(
        staff["executor"],
        app,
        kind=DecisionKind.APPROVAL,
        result_data={"export_period": {"from": "2026-06-01", "until": "2026-08-31"}},
    )
    sign_as_head(staff["head"], app, second)
    assert reload(app).status == Status.ISSUED


@pytest.mark.parametrize("service", SERVICES)
def test_incomplete_paper_package_gets_intake_refusal(catalog, staff, service):
    required = documents_for(service, "office")
    with pytest.raises(cases.Refused) as excinfo:
        build_case(staff, service=service, paper_documents=required[:1])
    assert excinfo.value.code == "documents_incomplete"
    assert Application.objects.count() == 0
    app = cases.refuse_paper_intake(
        staff["clerk"],
        service_code=service,
        applicant=cases.ApplicantInput(
            kind="individual",
            name="Абенова Дана",
            iin="900101300007",
            manual=True,
            manual_reason="test: entered by hand",
        ),
        paper_documents=required[:1],
        idempotency_key="r1",
    )
    assert app.status == Status.INTAKE_REFUSED and app.registration_number
    assert app.form_data["missing_documents"] == required[1:]
    assert Task.objects.filter(application=app).count() == 0


def test_reassign_moves_the_open_task(catalog, staff, applicant):
    app = submit_on_portal(applicant, "temporary-export")
    flow.assign_executor(staff["head"], app, staff["executor"])
    flow.reassign_executor(staff["head"], app, staff["executor2"])
    task = Task.objects.get(application=app, state=TaskState.OPEN)
    assert task.step == "check" and task.assignee == staff["executor2"]
    with pytest.raises(cases.Refused) as excinfo:
        flow.record_completeness_check(staff["executor"], app, complete=True)
    assert excinfo.value.code == "not_your_task"
    flow.record_completeness_check(staff["executor2"], app, complete=True)
    assert reload(app).status == Status.PREPARING


def test_legal_entity_applicant_with_representative(catalog, staff):
    app = build_case(
        staff,
        service="restoration-approval",
        applicant=cases.ApplicantInput(
            kind="legal_entity",
            name="ТОО «Реставратор»",
            bin="150340000109",
            representative_iin="850715450105",
            manual=True,
            manual_reason="test: entered by hand",
        ),
    )
    assert (app.applicant_kind, app.applicant_bin, app.representative_iin) == (
        "legal_entity",
        "150340000109",
        "850715450105",
    )
