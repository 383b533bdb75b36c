"""Benchmark (issue 4): the staff desk's inbox PAGE over 1,000,000 applications in PostgreSQL,
target p95 < 100 ms server time.

    make deps && .venv/bin/python bench/inbox_page.py [--applications 1000000] [--reuse]

It drops and creates the database ``qyzmet_bench_inbox`` on the PostgreSQL server of
--server (default 127.0.0.1:5432, user postgres), migrates it and fills it with the
applications and tasks of ``bench/inbox_dashboard.py`` (the same generator). ``--reuse`` keeps
the database of an earlier run (only new migrations are applied), since generating takes
minutes.

What is timed: the full Django request path in this process — ``django.test.Client.get``
with a logged-in session cookie, DEBUG off: every middleware (session read from the
database, authentication, locale, CSRF, CSP), the view, its queries and the template render
to HTML. No network and no HTTP server; the test client adds building the WSGI environ (a
few µs), so the figures are slight upper bounds of the server's time. Each page is fetched
--runs times after a warm-up, as a staff user who owns tasks in the generated data; every
response is checked (200 and the rows expected), and the queries of one request are counted.
"""

from __future__ import annotations

import argparse
import random
import re

from inbox_dashboard import generate, measure, setup_django

EXECUTOR = "bench-executor-07"
HEAD = "bench-head"


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(admin_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def logged_in_client(username: str):
    from django.test import Client

    from qyzmet.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def cycling(values: list[str]):
    """Successive requests ask for different cases, as the desk's users do."""
    position = 0

    def next_value() -> str:
        nonlocal position
        position = (position + 1) % len(values)
        return values[position]

    return next_value


def page_fetcher(client, path, *, rows_at_least: int):
    """A callable that GETs ``path`` (a string, or a callable giving one per request) and
    fails loudly unless the page came back with at least ``rows_at_least`` table rows."""

    def fetch():
        response = client.get(path() if callable(path) else path)
        assert response.status_code == 200, response.status_code
        rows = len(re.findall(rb"<tr[ >]", response.content)) - 1  # minus the header row
        assert rows >= rows_at_least, f"{rows} rows in the page of {path}"

    return fetch


def query_count(fetch) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured)


def pages(applications: int) -> list[tuple[str, object]]:
    """(label, fetch) for every page measured."""
    executor, head = logged_in_client(EXECUTOR), logged_in_client(HEAD)
    picks = random.Random(4).sample(range(1, applications + 1), 50)
    by_number = cycling([f"CULT-B-{i:08d}" for i in picks])
    by_iin = cycling([f"{100_000_000_000 + i:012d}" for i in picks])
    # "Заявитель k" is a prefix of itself and of "Заявитель k0" … "k9": 11 rows while 100·k
    # is past the last application.
    by_name = cycling([f"заявитель {i // 10}" for i in picks if i // 10 > applications // 100])
    # A common surname: "Заявитель k" with k·10,000 past the last one matches 1,111 cases, of
    # which the page shows the 50 latest.
    by_common_name = cycling(
        [f"заявитель {i // 1000}" for i in picks if i // 1000 > applications // 10_000]
    )
    return [
        ("executor inbox, first page", page_fetcher(executor, "/office/", rows_at_least=25)),
        ("head inbox, first page", page_fetcher(head, "/office/", rows_at_least=25)),
        ("executor inbox, page 10", page_fetcher(executor, "/office/?page=10", rows_at_least=25)),
        ("head inbox, page 10", page_fetcher(head, "/office/?page=10", rows_at_least=25)),
        (
            "executor inbox, step filter (check)",
            page_fetcher(executor, "/office/?step=check", rows_at_least=25),
        ),
        (
            "search: registration number",
            page_fetcher(head, lambda: f"/office/?q={by_number()}", rows_at_least=1),
        ),
        (
            "search: IIN",
            page_fetcher(executor, lambda: f"/office/?q={by_iin()}", rows_at_least=1),
        ),
        (
            "search: name prefix (11 matches)",
            page_fetcher(head, lambda: f"/office/?q={by_name()}", rows_at_least=11),
        ),
        (
            "search: name prefix (1,111 matches, 50 shown)",
            page_fetcher(head, lambda: f"/office/?q={by_common_name()}", rows_at_least=50),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="qyzmet_bench_inbox")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the generated database of an earlier run"
    )
    args = parser.parse_args()

    admin_url = f"{args.server}/postgres"
    if not (args.reuse and database_exists(admin_url, args.database)):
        recreate_database(admin_url, args.database)
    setup_django(f"{args.server}/{args.database}")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    assert not settings.DEBUG, "measure with DEBUG off, as production runs"
    call_command("migrate", verbosity=0)
    generate(args.applications)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE state = 'open') FROM workflow_task")
        all_tasks, open_tasks = cursor.fetchone()
    print(
        f"\n{args.applications:,} applications, {all_tasks:,} tasks ({open_tasks:,} open); "
        f"PostgreSQL; full request in-process; {args.runs} requests each after {args.warmup}\n"
    )
    results = []
    for label, fetch in pages(args.applications):
        figures = measure(label, fetch, args.runs, warmup=args.warmup)
        figures["queries"] = query_count(fetch)
        results.append(figures)
    print("\n| page | queries | p50 | p95 | p99 | p95 < 100 ms |\n|---|---|---|---|---|---|")
    for f in results:
        met = "met" if f["p95"] < 100 else "MISSED"
        print(
            f"| {f['label']} | {f['queries']} | {f['p50']:.1f} ms | {f['p95']:.1f} ms "
            f"| {f['p99']:.1f} ms | {met} |"
        )


if __name__ == "__main__":
    main()
