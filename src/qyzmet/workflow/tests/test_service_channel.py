"""Each task carries its case's service and channel (issue 13, item 12): written where tasks
are made, filled into older tasks by the migration, and read by the dashboard's split per
service and channel and by the lists behind it instead of joining the applications.

Cases of two services of a TEST catalogue (copies of the real services' demo versions under
codes of their own), on both channels, built through the real actions by ``CaseBuilder``."""

from __future__ import annotations

import importlib
import shutil
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qyzmet.catalog.loader import load_catalog
from qyzmet.testing import PORTAL_UPLOADS, CaseBuilder, form_for
from qyzmet.workflow import actions as flow
from qyzmet.workflow import queries
from qyzmet.workflow.models import Step, Task, TaskState

pytestmark = pytest.mark.django_db

REAL = Path(__file__).resolve().parents[4] / "catalog"
# Test service code → the real service whose demo version, form and documents it copies.
SERVICES = {"test-export": "temporary-export", "test-restoration": "restoration-approval"}
CHANNELS = ("office", "portal")

MIGRATION = "qyzmet.workflow.migrations.0004_task_service_and_channel"


@pytest.fixture
def test_catalogue(tmp_path, db) -> dict[str, str]:
    root = tmp_path / "catalog"
    for code, real in SERVICES.items():
        folder = root / code
        shutil.copytree(REAL / real / "templates", folder / "templates")
        shutil.copy(REAL / real / "form.schema.json", folder / "form.schema.json")
        version = (REAL / real / "demo-2026.toml").read_text(encoding="utf-8")
        assert f'code = "{real}"' in version
        (folder / "demo-2026.toml").write_text(
            version.replace(f'code = "{real}"', f'code = "{code}"', 1), encoding="utf-8"
        )
    load_catalog(root, include_demo=True)
    return SERVICES


def make(builder: CaseBuilder, code: str, channel: str, trait: str, applicant=None):
    real = SERVICES[code]
    options = {"form": form_for(real)}
    if channel == "portal":
        options.update(documents=list(PORTAL_UPLOADS[real]), user=applicant)
    return builder.make(trait, service=code, channel=channel, **options)


@pytest.fixture
def cases(test_catalogue, staff, demo_pki) -> list:
    """Per service and channel a case just registered and one signed (on paper it waits to
    be handed over); one case whose draft decision the head returned (prepare opened again)."""
    builder = CaseBuilder(staff, demo_pki)
    applicant = builder.account()
    built = [
        make(builder, code, channel, trait, applicant)
        for code in SERVICES
        for channel in CHANNELS
        for trait in ("registered", "signed")
    ]
    returned = make(builder, "test-restoration", "office", "prepared")
    flow.return_decision(staff["head"], returned, comment="Уточните сроки работ.")
    incomplete = make(builder, "test-export", "portal", "assigned", applicant)
    flow.record_completeness_check(
        staff["executor"],
        incomplete,
        complete=False,
        reason_codes=[CaseBuilder.refusal_reason(incomplete, "check")],
        explanation="Не приложены фотографии.",
    )
    return [*built, returned, incomplete]


def by_join(now):
    """The old reading: every open task joined to its case for the service and channel."""
    return [
        queries.ServiceFigures(
            service=row["application__service_version__service_code"],
            channel=row["application__channel"],
            open=row["open"],
            overdue=row["overdue"],
            due_today=row["due_today"],
        )
        for row in Task.objects.filter(state=TaskState.OPEN)
        .values("application__service_version__service_code", "application__channel")
        .annotate(**queries.open_counts(now))
        .order_by("application__service_version__service_code", "application__channel")
    ]


def copied_from_case(task: Task) -> tuple[str, str]:
    return task.application.service_version.service_code, task.application.channel


def test_every_path_that_makes_a_task_writes_the_cases_service_and_channel(cases):
    tasks = list(Task.objects.select_related("application__service_version"))
    # Every step of both routes was made (register and the first step at registration, the
    # others by the actions, prepare twice for the returned draft, sign after an incomplete
    # package), in both channels of both services.
    assert {task.step for task in tasks} == set(Step.values)
    assert {(t.service_code, t.channel) for t in tasks} == {
        (code, channel) for code in SERVICES for channel in CHANNELS
    }
    assert Task.objects.filter(step=Step.PREPARE, state=TaskState.OPEN).count() == 1
    for task in tasks:
        assert (task.service_code, task.channel) == copied_from_case(task), task


def test_the_split_per_service_and_channel_equals_the_count_through_the_cases(cases):
    now = timezone.now()
    # Some open tasks overdue, some due later today (unless it is almost midnight).
    first, second, *_ = Task.objects.filter(state=TaskState.OPEN).order_by("id")
    Task.objects.filter(pk=first.pk).update(due_at=now - timedelta(days=3))
    later_today = min(now + timedelta(minutes=1), queries.start_of_tomorrow(now))
    Task.objects.filter(pk=second.pk).update(due_at=later_today)

    figures = queries.open_by_service(now=now)

    assert figures == by_join(now)
    assert sum(f.open for f in figures) == Task.objects.filter(state=TaskState.OPEN).count()
    assert sum(f.overdue for f in figures) >= 1
    # Registered on both channels of both services: each pair has open tasks.
    assert {(f.service, f.channel) for f in figures} == {
        (code, channel) for code in SERVICES for channel in CHANNELS
    }


def test_the_split_is_counted_from_the_tasks_alone(cases):
    with CaptureQueriesContext(connection) as captured:
        queries.open_by_service()
    (query,) = captured.captured_queries
    assert "cases_application" not in query["sql"]


def test_the_list_behind_a_figure_selects_the_services_and_channels_tasks(cases):
    for code in SERVICES:
        for channel in CHANNELS:
            page = queries.open_tasks_page(
                queries.TaskFilter(service=code, channel=channel), page_size=100
            )
            expected = Task.objects.filter(
                state=TaskState.OPEN,
                application__service_version__service_code=code,
                application__channel=channel,
            ).values_list("pk", flat=True)
            assert expected, (code, channel)
            assert sorted(row.task.pk for row in page.rows) == sorted(expected), (code, channel)


def test_the_migration_fills_the_tasks_made_before_it(cases, monkeypatch):
    backfill = importlib.import_module(MIGRATION)
    # Tasks as the migration finds them: the columns added empty.
    Task.objects.update(service_code="", channel="")
    monkeypatch.setattr(backfill, "BATCH", 3)  # several batches, one of them partly filled
    editor = SimpleNamespace(connection=connection)

    assert backfill.fill_service_and_channel(apps, editor) == Task.objects.count()

    tasks = list(Task.objects.select_related("application__service_version"))
    for task in tasks:
        assert (task.service_code, task.channel) == copied_from_case(task), task
    assert {task.channel for task in tasks} == set(CHANNELS)
    assert backfill.fill_service_and_channel(apps, editor) == 0  # filled rows are left alone
