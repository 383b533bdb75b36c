"""Row locks on PostgreSQL (issue 14, item 1): an action locks the row it changes and nothing
else. Two real connections: another thread's transaction takes a lock and keeps it; this
thread then acts under ``lock_timeout``, so a lock it would have to wait for fails at once
(``LockNotAvailable``) instead of passing after the other commits. SQLite has no row locks
(a writer locks the whole database), so there is nothing to test there."""

import threading
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from qyzmet.accounts.models import User
from qyzmet.cases import actions as cases
from qyzmet.core.locking import locked
from qyzmet.testing import documents_for, form_for
from qyzmet.workflow import actions as flow
from qyzmet.workflow.models import Step, Task

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite locks the whole database for a writer",
    ),
]

SERVICE = "restoration-approval"


@contextmanager
def held(take):
    """``take()`` in a transaction of another connection (a thread), kept open (locks held)
    until the block ends."""
    taken, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold():
        try:
            with transaction.atomic():
                take()
                taken.set()
                release.wait(timeout=120)
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            taken.set()
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(timeout=120)
    try:
        assert errors == []
        yield
    finally:
        release.set()
        thread.join()
    assert errors == []


def without_waiting(action):
    """``action()`` in a transaction that gives up at once on a row lock held elsewhere."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '100ms'")
        return action()


def is_lock_timeout(error: OperationalError) -> bool:
    from psycopg.errors import LockNotAvailable

    return isinstance(error.__cause__, LockNotAvailable)


def register_paper(clerk, key: str):
    return cases.register_paper_application(
        clerk,
        service_code=SERVICE,
        applicant=cases.ApplicantInput(
            kind="individual",
            name="Абенова Дана",
            iin="900101300007",
            manual=True,
            manual_reason="test: entered by hand",
        ),
        form_data=form_for(SERVICE),
        paper_documents=documents_for(SERVICE, "office"),
        attachments=[],
        idempotency_key=key,
    )


def test_two_cases_of_one_version_are_locked_side_by_side(catalog, staff):
    first, second = register_paper(staff["clerk"], "k1"), register_paper(staff["clerk"], "k2")
    assert first.service_version_id == second.service_version_id
    with held(lambda: flow._lock(first)):
        # The other case of the same version: its lock, and a whole action on it.
        assert without_waiting(lambda: flow._lock(second)).pk == second.pk
        without_waiting(lambda: flow.assign_executor(staff["head"], second, staff["executor"]))
        # A new case of the same version (its insert references the version row).
        assert without_waiting(lambda: register_paper(staff["clerk"], "k3")).registration_number


def test_two_drafts_of_one_version_are_locked_side_by_side(catalog, applicant):
    draft = cases.save_draft(applicant, service_code=SERVICE, form_data=form_for(SERVICE))
    other = cases.save_draft(applicant, service_code=SERVICE, form_data=form_for(SERVICE))
    with held(lambda: cases.lock_own_draft(applicant, draft)):
        assert without_waiting(lambda: cases.lock_own_draft(applicant, other)).pk == other.pk
        saved = without_waiting(
            lambda: cases.save_draft(applicant, form_data=form_for(SERVICE), draft=other)
        )
        assert saved.pk == other.pk
        created = without_waiting(
            lambda: cases.save_draft(applicant, service_code=SERVICE, form_data=form_for(SERVICE))
        )
        assert created.service_version_id == draft.service_version_id


def test_actions_on_one_case_still_wait_for_each_other(catalog, staff):
    case = register_paper(staff["clerk"], "k1")
    with held(lambda: flow._lock(case)):
        with pytest.raises(OperationalError) as raised:
            without_waiting(lambda: flow.assign_executor(staff["head"], case, staff["executor"]))
        assert is_lock_timeout(raised.value)
    # Once the other transaction has ended, the same action goes through.
    without_waiting(lambda: flow.assign_executor(staff["head"], case, staff["executor"]))


def test_a_locked_row_does_not_hold_off_the_rows_that_reference_it(catalog, staff):
    """NO KEY UPDATE: inserts whose foreign key names the locked case or user go on."""
    case = register_paper(staff["clerk"], "k1")
    clerk = staff["clerk"]
    with held(lambda: (flow._lock(case), locked(User.objects).get(pk=clerk.pk))):
        now = timezone.now()
        task = without_waiting(
            lambda: Task.objects.create(
                application=case, step=Step.CHECK, role="executor", created_at=now, due_at=now
            )
        )
        assert task.application_id == case.pk
        # A registration by the locked user: the application and audit rows name the user.
        assert without_waiting(lambda: register_paper(clerk, "k2")).created_by_id == clerk.pk
