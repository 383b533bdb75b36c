"""Benchmark (issue 2): an executor's inbox and the head's dashboard over 1,000,000
applications with their tasks in PostgreSQL.

    make deps && .venv/bin/python bench/inbox_dashboard.py [--applications 1000000] \
        [--database qyzmet_bench] [--runs 300] [--compare-runs 20]

It creates (or reuses) the database ``qyzmet_bench`` on the PostgreSQL server of
DATABASE_URL (default 127.0.0.1:5432, user postgres), migrates it, loads the catalogue,
generates the applications and tasks in the server with generate_series (about 5.6 tasks per
case: finished cases carry their five completed steps, open ones their done steps plus the
open one), runs ANALYZE, then measures the real query functions the desk calls
(``workflow.queries.inbox`` and ``workflow.queries.dashboard``) in this process: server time,
database round trips included, no HTTP. Prints p50/p95/p99 in milliseconds.

Then (issue 13, item 12) it times, interleaved, the split of open tasks per service and
channel from the tasks' own columns (``open_by_service``) against main's former join through
the cases (``by_service_through_cases``), the head dashboard's figures with each, and a list
filtered by service and channel both ways, after checking that both give the same figures.
The generator fills each task's service code and channel from its case, as
``workflow.engine`` does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qyzmet.settings")
    import django

    django.setup()


def ensure_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# Statuses go by i % 100 and executors by i / 100, so that every executor has cases of every
# status (by i % 20 alone, the executors 8–15 would hold every open case and the rest none).
GENERATE_APPLICATIONS = """
INSERT INTO cases_application (
  public_id, service_version_id, channel, status, outcome, applicant_kind, applicant_iin,
  applicant_bin, applicant_name, representative_iin, applicant_details, form_data,
  paper_documents, registration_number, registration_year, submitted_at, registered_at,
  deadline_at, completed_at, executor_id, refusal_codes, created_by_id, idempotency_key,
  created_at, updated_at, revision)
SELECT gen_random_uuid(),
       CASE WHEN i %% 2 = 0 THEN %(sv1)s ELSE %(sv2)s END,
       CASE WHEN i %% 3 = 0 THEN 'office' ELSE 'portal' END,
       CASE WHEN i %% 100 < 85 THEN 'issued' WHEN i %% 100 < 88 THEN 'registered'
            WHEN i %% 100 < 92 THEN 'checking' WHEN i %% 100 < 96 THEN 'preparing' ELSE 'signing' END,
       CASE WHEN i %% 100 < 85 THEN 'approved' ELSE '' END,
       'individual', lpad((100000000000 + i)::text, 12, '0'), '',
       'Заявитель ' || i, '', '{}'::jsonb, '{}'::jsonb, '[]'::jsonb,
       'CULT-B-' || lpad(i::text, 8, '0'), 2026,
       reg, reg, reg + interval '14 days',
       CASE WHEN i %% 100 < 85 THEN reg + interval '9 days' END,
       CASE WHEN i %% 100 < 88 THEN NULL ELSE %(executor0)s + (i / 100 %% %(executors)s) END,
       '[]'::jsonb, %(clerk)s, 'bench-' || i, reg, reg, 1
FROM (SELECT i, now() - (i %% 1000) * interval '1 day' - (i %% 480) * interval '1 minute' AS reg
      FROM generate_series(1, %(n)s) AS i) s
"""

# Steps in order; a case at step k has steps < k done and step k open (finished cases: all 5 done).
GENERATE_TASKS = """
INSERT INTO workflow_task (application_id, service_code, channel, step, role, assignee_id, state,
                           created_at, due_at, norm, completed_at, completed_by_id, outcome,
                           comment, overdue, met_norm)
SELECT a.id, a.service_code, a.channel, st.step, st.role,
       CASE WHEN st.role = 'executor' THEN a.executor_id END,
       CASE WHEN st.k < a.level THEN 'done' ELSE 'open' END,
       a.registered_at + st.k * interval '1 day',
       a.registered_at + st.k * interval '1 day' + interval '1 day'
         - CASE WHEN a.id %% 5 = 0 THEN interval '30 days' ELSE interval '0' END,
       '{}'::jsonb,
       CASE WHEN st.k < a.level THEN a.registered_at + st.k * interval '1 day' + interval '2 hours' END,
       CASE WHEN st.k < a.level THEN %(clerk)s END,
       CASE WHEN st.k < a.level THEN 'done' ELSE '' END, '', false,
       CASE WHEN st.k < a.level THEN (a.id %% 10 <> 0) END
FROM (SELECT c.id, c.registered_at, c.executor_id, c.channel, v.service_code,
             CASE c.status WHEN 'issued' THEN 5 WHEN 'registered' THEN 1 WHEN 'checking' THEN 2
                           WHEN 'preparing' THEN 3 ELSE 4 END AS level
      FROM cases_application c JOIN catalog_serviceversion v ON v.id = c.service_version_id
      WHERE c.registration_number LIKE 'CULT-B-%%') a
JOIN (VALUES (0, 'register', 'clerk'), (1, 'assign', 'head'), (2, 'check', 'executor'),
             (3, 'prepare', 'executor'), (4, 'sign', 'head')) AS st(k, step, role)
  ON st.k <= a.level AND st.k < 5
"""


def generate(n: int) -> None:
    from django.db import connection

    from qyzmet.accounts.models import Role, User
    from qyzmet.catalog.loader import load_catalog
    from qyzmet.catalog.models import ServiceVersion

    load_catalog()
    clerk, _ = User.objects.get_or_create(username="bench-clerk", defaults={"role": Role.CLERK})
    User.objects.get_or_create(username="bench-head", defaults={"role": Role.HEAD})
    executors = []
    for k in range(20):
        user, _ = User.objects.get_or_create(
            username=f"bench-executor-{k:02d}", defaults={"role": Role.EXECUTOR}
        )
        executors.append(user.pk)
    assert executors == list(range(executors[0], executors[0] + 20)), (
        "executor ids must be consecutive"
    )
    sv1 = ServiceVersion.objects.get(service_code="temporary-export", is_demo=True).pk
    sv2 = ServiceVersion.objects.get(service_code="restoration-approval", is_demo=True).pk
    have = connection.cursor()
    have.execute(
        "SELECT count(*) FROM cases_application WHERE registration_number LIKE 'CULT-B-%%'"
    )
    if have.fetchone()[0] >= n:
        print(f"reusing {n:,} generated applications")
        return
    params = {
        "n": n,
        "sv1": sv1,
        "sv2": sv2,
        "clerk": clerk.pk,
        "executor0": executors[0],
        "executors": 20,
    }
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflow_task")
        cursor.execute("DELETE FROM cases_application WHERE registration_number LIKE 'CULT-B-%%'")
        started = time.perf_counter()
        cursor.execute(GENERATE_APPLICATIONS, params)
        print(f"applications: {n:,} in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        cursor.execute(GENERATE_TASKS, params)
        print(f"tasks: {cursor.rowcount:,} in {time.perf_counter() - started:.1f}s")
        cursor.execute("VACUUM ANALYZE cases_application")
        cursor.execute("VACUUM ANALYZE workflow_task")  # steady state: visibility map set


def measure(label: str, fn, runs: int, *, warmup: int = 5) -> dict:
    for _ in range(warmup):
        fn()  # warm caches and connections
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    figures = {
        "label": label,
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "p99": timings[int(len(timings) * 0.99) - 1],
    }
    print(
        f"{label:<48} p50 {figures['p50']:7.2f} ms   p95 {figures['p95']:7.2f} ms   p99 {figures['p99']:7.2f} ms"
    )
    return figures


def interleaved(fns: dict, runs: int, *, warmup: int = 2) -> None:
    """Time the functions in turn, run after run (A, B, C, A, B, C…), so that the load of a
    shared machine falls on each alike; p50/p95 of each in milliseconds."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    timings = {label: [] for label in fns}
    for _ in range(runs):
        for label, fn in fns.items():
            started = time.perf_counter()
            fn()
            timings[label].append((time.perf_counter() - started) * 1000)
    for label, values in timings.items():
        values.sort()
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        print(f"{label:<64} p50 {statistics.median(values):8.2f} ms   p95 {p95:8.2f} ms")


def by_service_through_cases(now) -> list:
    """The split per service and channel as main read it before issue 13, item 12: every
    open task joined to its case (and the case's version) for the service and channel."""
    from qyzmet.workflow.models import Task, TaskState
    from qyzmet.workflow.queries import open_counts

    return list(
        Task.objects.filter(state=TaskState.OPEN)
        .values("application__service_version__service_code", "application__channel")
        .annotate(**open_counts(now))
        .order_by("application__service_version__service_code", "application__channel")
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument(
        "--compare-runs", type=int, default=20, help="runs of the before/after comparison"
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="qyzmet_bench")
    args = parser.parse_args()

    ensure_database(f"{args.server}/postgres", args.database)
    setup_django(f"{args.server}/{args.database}")
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from qyzmet.accounts.models import User
    from qyzmet.workflow import queries

    call_command("migrate", verbosity=0)
    generate(args.applications)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM workflow_task WHERE state = 'open'")
        open_tasks = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM workflow_task")
        all_tasks = cursor.fetchone()[0]
    executor = User.objects.get(username="bench-executor-07")
    head = User.objects.get(username="bench-head")
    print(
        f"\n{args.applications:,} applications, {all_tasks:,} tasks ({open_tasks:,} open); PostgreSQL; "
        f"{args.runs} runs each\n"
    )
    now = timezone.now()
    measure(
        "executor inbox, first page (25, overdue flags)",
        lambda: queries.inbox(executor, now=now),
        args.runs,
    )
    measure("head inbox, first page", lambda: queries.inbox(head, now=now), args.runs)
    measure("executor inbox, page 10", lambda: queries.inbox(executor, page=10, now=now), args.runs)
    measure(
        "head dashboard (counts per step, overdue, 30-day on-time)",
        lambda: queries.dashboard(since=now - timedelta(days=30), now=now),
        args.runs,
    )
    measure(
        "head dashboard, open tasks per service and channel",
        lambda: queries.open_by_service(now=now),
        args.runs,
    )
    measure(
        "dashboard list: overdue tasks, first page",
        lambda: queries.open_tasks_page(queries.TaskFilter(when="overdue"), now=now),
        args.runs,
    )

    # Issue 13, item 12: the split per service and channel from the tasks' own columns against
    # main's former join through the cases, and the whole head dashboard (per step + per
    # service) with each, interleaved. The figures must agree before they are timed.
    since = now - timedelta(days=30)
    before = {
        (r["application__service_version__service_code"], r["application__channel"]): (
            r["open"],
            r["overdue"],
            r["due_today"],
        )
        for r in by_service_through_cases(now)
    }
    after = {
        (f.service, f.channel): (f.open, f.overdue, f.due_today)
        for f in queries.open_by_service(now=now)
    }
    assert before == after, (before, after)
    print(
        f"\nbefore / after, interleaved, {args.compare_runs} runs each; load average {os.getloadavg()}"
    )
    interleaved(
        {
            "per service and channel, before (join through the cases)": lambda: (
                by_service_through_cases(now)
            ),
            "per service and channel, after (open_by_service)": lambda: queries.open_by_service(
                now=now
            ),
            "per step (dashboard)": lambda: queries.dashboard(since=since, now=now),
            "head dashboard page's figures, before (per step + join)": lambda: (
                queries.dashboard(since=since, now=now),
                by_service_through_cases(now),
            ),
            "head dashboard page's figures, after (per step + per service)": lambda: (
                queries.dashboard(since=since, now=now),
                queries.open_by_service(now=now),
            ),
            "list: one service's office tasks, first page, before (join filter)": lambda: list(
                queries._inbox_base()
                .filter(
                    application__service_version__service_code="temporary-export",
                    application__channel="office",
                )
                .order_by("due_at", "id")[:26]
            ),
            "list: one service's office tasks, first page, after (own columns)": lambda: list(
                queries._inbox_base()
                .filter(service_code="temporary-export", channel="office")
                .order_by("due_at", "id")[:26]
            ),
        },
        args.compare_runs,
    )
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
