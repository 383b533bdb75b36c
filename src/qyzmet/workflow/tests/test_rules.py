"""Deadlines on the working-time calendar, permissions, idempotency, concurrency, and bad
input that must change nothing (issue 2, "Done means")."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from qyzmet.audit.models import AuditRecord
from qyzmet.cases import actions as cases
from qyzmet.cases.models import Application, Attachment, DecisionKind, Status
from qyzmet.core.refusals import Refused
from qyzmet.testing import (
    build_case,
    documents_for,
    form_for,
    pdf_bytes,
    png_bytes,
    reload,
    submit_on_portal,
    upload,
)
from qyzmet.workflow import actions as flow
from qyzmet.workflow.models import Task, TaskState

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def at(monkeypatch, *args):
    moment = datetime(*args, tzinfo=ALMATY)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def local(dt):
    return timezone.localtime(dt, ALMATY).replace(tzinfo=None)


# --- deadlines (p.8) --------------------------------------------------------------------------


def test_office_deadlines_on_the_calendar(catalog, staff, monkeypatch):
    at(monkeypatch, 2026, 3, 18, 10, 0)  # Wed, before Nauryz
    app = build_case(staff)
    # p.8.3: 10 working days; Nauryz 21–23 Mar + observed 24–25 Mar are days off.
    assert local(app.deadline_at) == datetime(2026, 4, 6, 18, 30)
    assign = Task.objects.get(application=app, step="assign")
    assert local(assign.due_at) == datetime(2026, 3, 18, 18, 30)  # same working day
    at(monkeypatch, 2026, 3, 18, 12, 55)
    flow.assign_executor(staff["head"], app, staff["executor"])
    check = Task.objects.get(application=app, step="check")
    # p.8.2: 10 working minutes; lunch 13:00–14:30 is not working time.
    assert local(check.due_at) == datetime(2026, 3, 18, 14, 35)
    at(monkeypatch, 2026, 3, 18, 15, 0)
    flow.record_completeness_check(staff["executor"], app, complete=True)
    prepare = Task.objects.get(application=app, step="prepare")
    assert local(prepare.due_at) == datetime(2026, 4, 6, 18, 30)
    done_check = Task.objects.get(application=app, step="check")
    assert done_check.met_norm is False  # 15:00 > 14:35


def test_after_hours_portal_submission_registers_next_working_day(catalog, applicant, monkeypatch):
    at(monkeypatch, 2026, 3, 20, 20, 0)  # Friday evening before the Nauryz days off
    app = submit_on_portal(applicant, "temporary-export")
    assert local(app.submitted_at) == datetime(2026, 3, 20, 20, 0)
    assert local(app.registered_at) == datetime(2026, 3, 26, 9, 0)
    assert local(app.deadline_at) == datetime(2026, 4, 9, 18, 30)


def test_overdue_sweep_marks_and_audits_once(catalog, staff, monkeypatch):
    at(monkeypatch, 2026, 3, 18, 10, 0)
    app = build_case(staff)
    assert flow.mark_overdue_tasks(now=datetime(2026, 3, 18, 18, 0, tzinfo=ALMATY)) == 0
    assert flow.mark_overdue_tasks(now=datetime(2026, 3, 19, 9, 0, tzinfo=ALMATY)) == 1
    assert flow.mark_overdue_tasks(now=datetime(2026, 3, 19, 9, 0, tzinfo=ALMATY)) == 0
    assert Task.objects.get(application=app, step="assign").overdue is True
    assert AuditRecord.objects.filter(action="workflow.overdue", case_id=app.pk).count() == 1


# --- permissions and finished cases ----------------------------------------------------------


def unchanged(app, audit_count):
    assert reload(app).snapshot() == app.snapshot()
    assert AuditRecord.objects.count() == audit_count


@pytest.mark.parametrize("role", ["executor", "clerk", "admin"])
def test_only_the_head_assigns(catalog, staff, role):
    app = build_case(staff)
    count = AuditRecord.objects.count()
    with pytest.raises(Refused) as excinfo:
        flow.assign_executor(staff[role], app, staff["executor"])
    assert excinfo.value.code == "permission_denied"
    unchanged(app, count)


def test_wrong_role_cannot_register_or_check(catalog, staff, applicant):
    with pytest.raises(Refused) as excinfo:
        build_case(staff, actor=staff["executor"])
    assert excinfo.value.code == "permission_denied"
    with pytest.raises(Refused):
        submit_on_portal(staff["clerk"], "temporary-export")
    app = build_case(staff)
    app = flow.assign_executor(staff["head"], app, staff["executor"])
    count = AuditRecord.objects.count()
    with pytest.raises(Refused) as excinfo:
        flow.record_completeness_check(staff["head"], app, complete=True)
    assert excinfo.value.code == "permission_denied"
    unchanged(app, count)


def test_assigning_a_non_executor_is_refused(catalog, staff):
    app = build_case(staff)
    with pytest.raises(Refused) as excinfo:
        flow.assign_executor(staff["head"], app, staff["clerk"])
    assert excinfo.value.code == "executor_not_eligible"
    assert reload(app).status == Status.REGISTERED


def test_action_out_of_step_is_refused(catalog, staff):
    app = build_case(staff)
    count = AuditRecord.objects.count()
    with pytest.raises(Refused) as excinfo:
        flow.prepare_decision(staff["executor"], app, kind=DecisionKind.APPROVAL)
    assert excinfo.value.code == "wrong_step"
    unchanged(app, count)


def test_refusal_needs_known_reasons_and_motivation(catalog, staff):
    app = build_case(staff)
    flow.assign_executor(staff["head"], app, staff["executor"])
    with pytest.raises(Refused) as excinfo:
        flow.record_completeness_check(
            staff["executor"], app, complete=False, reason_codes=["incomplete_documents"]
        )
    assert excinfo.value.code == "refusal_reason_required"
    with pytest.raises(Refused) as excinfo:
        flow.record_completeness_check(
            staff["executor"], app, complete=False, reason_codes=["no_such_reason"], explanation="x"
        )
    assert excinfo.value.code == "unknown_refusal_reason"
    assert reload(app).status == Status.CHECKING
    assert not app.decisions.exists()


def checked(staff, app):
    """The case assigned and found complete: at the executor's prepare step."""
    flow.assign_executor(staff["head"], app, staff["executor"])
    flow.record_completeness_check(staff["executor"], app, complete=True)
    return app


def signed(staff, sign_as_head, app):
    """The case through to the head's signature of an approval."""
    checked(staff, app)
    decision = flow.prepare_decision(staff["executor"], app, kind=DecisionKind.APPROVAL)
    sign_as_head(staff["head"], app, decision)
    return reload(app)


@pytest.mark.parametrize(
    "result_data,field",
    [
        ({"country": "Russia"}, "/country"),  # not an ISO code
        ({"export_period": {"from": "2026-06-01"}}, "/export_period"),  # "until" required
        ({"certificate_term": "2026-09-30"}, "/"),  # not a field of the form
    ],
)
def test_result_data_failing_the_schema_is_refused(catalog, staff, result_data, field):
    """The action itself checks the result's fields (the desk and the API only translate)."""
    app = reload(checked(staff, build_case(staff)))
    count = AuditRecord.objects.count()
    with pytest.raises(Refused) as excinfo:
        flow.prepare_decision(
            staff["executor"], app, kind=DecisionKind.APPROVAL, result_data=result_data
        )
    assert (excinfo.value.code, excinfo.value.field_name) == ("form_invalid", field)
    unchanged(app, count)
    assert not app.decisions.exists()


def test_handover_dated_after_today_is_refused(catalog, staff, sign_as_head):
    from datetime import timedelta

    app = signed(staff, sign_as_head, build_case(staff))
    count = AuditRecord.objects.count()
    with pytest.raises(Refused) as excinfo:
        flow.record_handover(
            staff["clerk"], app, handed_to="А", handed_at=timezone.now() + timedelta(days=1)
        )
    assert excinfo.value.code == "handover_date_invalid"
    unchanged(app, count)


def test_finished_case_cannot_be_changed(catalog, staff, applicant, sign_as_head):
    app = signed(staff, sign_as_head, submit_on_portal(applicant, "temporary-export"))
    count = AuditRecord.objects.count()
    for attempt in (
        lambda: flow.reassign_executor(staff["head"], app, staff["executor2"]),
        lambda: flow.return_decision(staff["head"], app, comment="поздно"),
        lambda: cases.add_attachment(
            staff["executor"], app, cases.AttachmentInput("other", upload("a.pdf", pdf_bytes()))
        ),
    ):
        with pytest.raises(Refused) as excinfo:
            attempt()
        assert excinfo.value.code == "case_finished"
    unchanged(app, count)


# --- bad input changes nothing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "iin", ["900101300008", "90010130000", "9001013000071", "90010130000A", ""]
)
def test_invalid_iin_is_refused(catalog, staff, iin):
    records = AuditRecord.objects.count()  # the catalogue's load is audited
    with pytest.raises(Refused) as excinfo:
        build_case(
            staff,
            applicant=cases.ApplicantInput(
                kind="individual", name="Тест", iin=iin, manual=True, manual_reason="test"
            ),
        )
    assert excinfo.value.code == "invalid_iin"
    assert Application.objects.count() == 0 and AuditRecord.objects.count() == records


def test_invalid_bin_is_refused(catalog, staff):
    with pytest.raises(Refused) as excinfo:
        build_case(
            staff,
            service="restoration-approval",
            applicant=cases.ApplicantInput(
                kind="legal_entity",
                name="ТОО",
                bin="150340000108",
                manual=True,
                manual_reason="test",
            ),
        )
    assert excinfo.value.code == "invalid_bin"


def test_second_pass_check_digit_is_accepted(catalog, staff):
    app = build_case(
        staff,
        applicant=cases.ApplicantInput(
            kind="individual", name="Тест", iin="900101300811", manual=True, manual_reason="test"
        ),
    )
    assert app.applicant_iin == "900101300811"


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda f: f.update(purpose="tourism"), "/purpose"),
        (lambda f: f.update(items=[]), "/items"),
        (lambda f: f["items"][0].update(quantity=-1), "/items/0/quantity"),
        (lambda f: f["items"][0].update(quantity="one"), "/items/0/quantity"),
        (lambda f: f.pop("country"), "/"),
        (lambda f: f["export_period"].update(until="not a date"), "/export_period/until"),
        (lambda f: f["export_period"].update(until="2026-05-01"), "/export_period/until"),
    ],
)
def test_form_data_failing_the_schema_is_refused(catalog, staff, mutate, field):
    form = form_for("temporary-export")
    mutate(form)
    with pytest.raises(Refused) as excinfo:
        build_case(staff, form_data=form)
    assert excinfo.value.code == "form_invalid"
    assert excinfo.value.field_name == field
    assert set(excinfo.value.message("kk")) and excinfo.value.message("en").startswith(
        "The application data"
    )
    assert Application.objects.count() == 0


@override_settings(QYZMET_ATTACHMENT_MAX_BYTES=10_000)
def test_oversized_attachment_is_refused_and_nothing_is_stored(catalog, staff):
    big = upload("big.pdf", pdf_bytes(pad_to=20_000))
    with pytest.raises(Refused) as excinfo:
        build_case(
            staff,
            attachments=[cases.AttachmentInput("application", big)],
        )
    assert excinfo.value.code == "attachment_too_large"
    assert Application.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 windows executable", b"<html><script>alert(1)</script>", b"%PD fake", b"GIF89a"],
)
def test_disallowed_attachment_type_is_refused_by_content(catalog, staff, content):
    disguised = upload("scan.pdf", content, content_type="application/pdf")
    with pytest.raises(Refused) as excinfo:
        build_case(
            staff,
            attachments=[cases.AttachmentInput("application", disguised)],
        )
    assert excinfo.value.code == "attachment_type_not_allowed"
    assert Application.objects.count() == 0


def test_attachment_keeps_name_hash_and_sniffed_type(catalog, staff):
    import hashlib

    content = png_bytes()
    app = build_case(
        staff,
        attachments=[cases.AttachmentInput("photos", upload("Фото 1.png", content, "image/jpeg"))],
    )
    attachment = app.attachments.get()
    assert attachment.original_name == "Фото 1.png"
    assert attachment.content_type == "image/png"  # by content, not by the client's header
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.file.read() == content
    assert "Фото" not in attachment.file.name  # stored names never come from the user


def test_unknown_document_code_is_refused(catalog, staff):
    with pytest.raises(Refused) as excinfo:
        build_case(
            staff,
            paper_documents=[*documents_for("temporary-export", "office"), "passport_copy"],
        )
    assert excinfo.value.code == "unknown_document"


# --- idempotency and concurrency -------------------------------------------------------------


def test_double_submit_registers_once(catalog, staff):
    first = build_case(staff, key="same")
    second = build_case(staff, key="same")
    assert first.pk == second.pk
    assert Application.objects.count() == 1
    assert AuditRecord.objects.filter(action="cases.register_paper").count() == 1


def test_registration_numbers_are_sequential(catalog, staff):
    numbers = [build_case(staff, key=f"k{i}").registration_number for i in range(3)]
    year = timezone.localdate().year
    assert numbers == [f"CULT-{year}-00000{i}" for i in (1, 2, 3)]


def run_concurrently(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(target(i))
        except Refused as exc:
            errors.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_click_registers_once(catalog, staff):
    results, errors = run_concurrently(4, lambda i: build_case(staff, key="dbl").pk)
    assert errors == [] and len(set(results)) == 1
    assert Application.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(catalog, staff):
    results, errors = run_concurrently(
        6,
        lambda i: build_case(staff, key=f"c{i}").registration_number,
    )
    assert errors == [] and len(set(results)) == 6


@pytest.mark.django_db(transaction=True)
def test_two_executors_cannot_complete_one_task(catalog, staff):
    app = build_case(staff)
    flow.assign_executor(staff["head"], app, staff["executor"])
    results, errors = run_concurrently(
        2, lambda i: flow.record_completeness_check(staff["executor"], app, complete=True).status
    )
    assert results == [Status.PREPARING]
    assert errors == ["wrong_step"]
    assert Task.objects.filter(application=app, step="check", state=TaskState.DONE).count() == 1
    assert Task.objects.filter(application=app, step="prepare").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_assign_by_two_heads_assigns_once(catalog, staff):
    from qyzmet.conftest import make_user

    head2 = make_user("head2", "head")
    app = build_case(staff)
    heads = [staff["head"], head2]
    executors = [staff["executor"], staff["executor2"]]
    results, errors = run_concurrently(
        2, lambda i: flow.assign_executor(heads[i], app, executors[i]).executor_id
    )
    assert len(results) == 1 and errors == ["wrong_step"]
    assert reload(app).executor_id == results[0]


def test_overdue_sweep_runs_as_a_background_task(catalog, staff, monkeypatch, settings):
    """The scheduler enqueues this task on the durable queue; here it runs at once."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    from qyzmet.workflow.tasks import sweep_overdue_tasks

    at(monkeypatch, 2026, 3, 18, 10, 0)
    app = build_case(staff)
    at(monkeypatch, 2026, 3, 19, 9, 0)
    result = sweep_overdue_tasks.enqueue()
    assert result.return_value == 1
    assert Task.objects.get(application=app, step="assign").overdue is True
