"""Row locks on PostgreSQL (issue 14, item 1): an action locks the row it changes and nothing
else. Two real connections: another thread's transaction takes a lock and keeps it; this
thread then acts under ``lock_timeout``, so a lock it would have to wait for fails at once
(``LockNotAvailable``) instead of passing after the other commits. SQLite has no row locks
(a writer locks the whole database), so there is nothing to test there."""

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from qyzmet.accounts.models import User
from qyzmet.cases import actions as cases
from qyzmet.core.locking import locked
from qyzmet.testing import build_case, form_for, held, is_lock_timeout, without_waiting
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


def register_paper(staff, key: str, actor=None):
    """A paper case of ``SERVICE`` with no scans (the lock is what these tests are about)."""
    return build_case(staff, service=SERVICE, key=key, attachments=[], actor=actor)


def test_two_cases_of_one_version_are_locked_side_by_side(catalog, staff):
    first, second = register_paper(staff, "k1"), register_paper(staff, "k2")
    assert first.service_version_id == second.service_version_id
    with held(lambda: flow._lock(first)):
        # The other case of the same version: its lock, and a whole action on it.
        assert without_waiting(lambda: flow._lock(second)).pk == second.pk
        without_waiting(lambda: flow.assign_executor(staff["head"], second, staff["executor"]))
        # A new case of the same version (its insert references the version row).
        assert without_waiting(lambda: register_paper(staff, "k3")).registration_number


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
    case = register_paper(staff, "k1")
    with held(lambda: flow._lock(case)):
        with pytest.raises(OperationalError) as raised:
            without_waiting(lambda: flow.assign_executor(staff["head"], case, staff["executor"]))
        assert is_lock_timeout(raised.value)
    # Once the other transaction has ended, the same action goes through.
    without_waiting(lambda: flow.assign_executor(staff["head"], case, staff["executor"]))


def test_a_locked_row_does_not_hold_off_the_rows_that_reference_it(catalog, staff):
    """NO KEY UPDATE: inserts whose foreign key names the locked case or user go on."""
    case = register_paper(staff, "k1")
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
        assert (
            without_waiting(lambda: register_paper(staff, "k2", actor=clerk)).created_by_id
            == clerk.pk
        )
