"""E-mail on registration, refusal and issue (p.11), only for portal cases, only after commit."""

import pytest
from django.core import mail

from qyzmet.accounts.models import Role
from qyzmet.cases import actions as cases
from qyzmet.cases.models import ApplicantKind, Status
from qyzmet.testing import form_for

from .test_views_applications import new_draft

pytestmark = pytest.mark.django_db


def test_paper_applications_send_no_portal_mail(staff, catalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cases.register_paper_application(
            staff["clerk"],
            service_code="restoration-approval",
            applicant=cases.ApplicantInput(
                ApplicantKind.INDIVIDUAL, "Абенова Дана", iin="900101300007"
            ),
            form_data=form_for("restoration-approval"),
            paper_documents=["application", "project_documentation", "contractor_licence"],
            idempotency_key="paper-1",
        )
    assert mail.outbox == []


def test_saving_a_draft_sends_nothing(individual_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        new_draft(individual_client)
    assert callbacks == [] and mail.outbox == []


def test_no_mail_without_an_address_and_when_switched_off(
    individual, individual_client, settings, django_capture_on_commit_callbacks
):
    from qyzmet.portal import notifications

    draft = new_draft(individual_client)
    draft.status = Status.REGISTERED
    draft.registration_number = "CULT-2026-999999"
    settings.QYZMET_PORTAL_NOTIFY_BY_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()
    assert mail.outbox == []
    individual.email = ""
    individual.save()
    assert notifications.send_status_mail(draft.pk, Status.REGISTERED) is False
    assert individual.role == Role.APPLICANT


def test_mail_is_in_three_languages(
    individual, individual_client, django_capture_on_commit_callbacks
):
    draft = new_draft(individual_client)
    draft.status = Status.REGISTERED
    draft.registration_number = "CULT-2026-999998"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()
    [message] = mail.outbox
    assert "Заявление CULT-2026-999998 зарегистрировано" in message.body
    assert "CULT-2026-999998 өтініші тіркелді" in message.body
    assert "Application CULT-2026-999998 registered" in message.body


def test_mail_is_queued_on_the_durable_queue(
    individual, individual_client, settings, django_capture_on_commit_callbacks
):
    """With the database backend the request only enqueues; a worker sends the mail."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    draft = new_draft(individual_client)
    draft.status = Status.REGISTERED
    draft.registration_number = "CULT-2026-999997"
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        draft.save()
    assert mail.outbox == []
    assert after_commit == []  # stored with the change itself, not after the commit
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "qyzmet.portal.tasks.send_status_mail"
    assert queued.args_kwargs["args"] == [draft.pk, "registered"]
    # What the worker runs: the stored task with the stored arguments.
    from django.utils.module_loading import import_string

    import_string(queued.task_path).call(*queued.args_kwargs["args"])
    assert [m.subject for m in mail.outbox] == ["Заявление CULT-2026-999997 зарегистрировано"]


def test_a_rolled_back_change_leaves_no_queued_mail(individual, individual_client, settings):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    draft = new_draft(individual_client)
    draft.status = Status.REGISTERED
    draft.registration_number = "CULT-2026-999996"
    with pytest.raises(RuntimeError), transaction.atomic():
        draft.save()
        assert DBTaskResult.objects.count() == 1  # queued inside the transaction
        raise RuntimeError("the registration fails after the status was saved")
    assert DBTaskResult.objects.count() == 0
