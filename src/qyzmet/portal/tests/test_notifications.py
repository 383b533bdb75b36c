"""E-mail on registration, refusal and issue (p.11), only for portal cases, queued by the
action that changes the status (qyzmet.cases.notify), in its transaction."""

import pytest
from django.core import mail

from qyzmet.accounts.models import Role
from qyzmet.cases import actions as cases
from qyzmet.cases import notify
from qyzmet.cases.models import ApplicantKind, MailState, Status, StatusMail
from qyzmet.testing import form_for

from .applying import new_draft, saved_as_registered

pytestmark = pytest.mark.django_db


def test_a_saved_status_change_alone_queues_nothing(
    individual, individual_client, django_capture_on_commit_callbacks
):
    """No model-signal diffing: the mail is the action's to queue, not a side effect of save."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        saved_as_registered(individual_client, "CULT-2026-999995")
    assert callbacks == [] and mail.outbox == []


def test_paper_applications_send_no_portal_mail(staff, catalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cases.register_paper_application(
            staff["clerk"],
            service_code="restoration-approval",
            applicant=cases.ApplicantInput(
                ApplicantKind.INDIVIDUAL,
                "Абенова Дана",
                iin="900101300007",
                manual=True,
                manual_reason="test: entered by hand",
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

    draft = saved_as_registered(individual_client, "CULT-2026-999999")
    settings.QYZMET_PORTAL_NOTIFY_BY_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.queue_status_mail(draft) is False
    assert mail.outbox == []
    individual.email = ""
    individual.save()
    assert notifications.send_status_mail(draft.pk, Status.REGISTERED) is False
    assert individual.role == Role.APPLICANT


def test_mail_is_in_three_languages(
    individual, individual_client, django_capture_on_commit_callbacks
):
    draft = saved_as_registered(individual_client, "CULT-2026-999998")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.queue_status_mail(draft)
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
    draft = saved_as_registered(individual_client, "CULT-2026-999997")
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        assert notify.queue_status_mail(draft)
    assert mail.outbox == []
    assert after_commit == []  # stored with the change itself, not after the commit
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "qyzmet.portal.tasks.send_status_mail"
    [outbox] = StatusMail.objects.filter(application=draft)
    assert (outbox.status, outbox.state) == ("registered", MailState.PENDING)
    assert queued.args_kwargs["args"] == [outbox.pk]
    # What the worker runs: the stored task with the stored arguments.
    from django.utils.module_loading import import_string

    import_string(queued.task_path).call(*queued.args_kwargs["args"])
    assert [m.subject for m in mail.outbox] == ["Заявление CULT-2026-999997 зарегистрировано"]
    outbox.refresh_from_db()
    assert outbox.state == MailState.SENT and outbox.attempts == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id
    # The same task run again (a reclaimed task, a duplicate) sends nothing more.
    import_string(queued.task_path).call(*queued.args_kwargs["args"])
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_leaves_no_queued_mail(individual, individual_client, settings):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    draft = saved_as_registered(individual_client, "CULT-2026-999996")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify.queue_status_mail(draft)
        assert DBTaskResult.objects.count() == 1  # queued inside the transaction
        assert StatusMail.objects.count() == 1
        raise RuntimeError("the registration fails after the status was saved")
    assert DBTaskResult.objects.count() == 0
    assert StatusMail.objects.count() == 0
