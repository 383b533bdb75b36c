"""Signed submissions through the REST API: throughput and latency at concurrency 16.

What one submission is (POST /api/v1/applications/<id>/submit/, as a client sends it): token
authentication, the JSON body (base64 detached CMS), the draft row locked, the form validated
against the service's JSON Schema, the documents checked, the canonical request rebuilt, the
CMS verified (signature, messageDigest, chain to the trust anchor, period, purpose, IIN/BIN of
the certificate against the request, revocation from the CRL — parsed once per process and
cached), the signed request stored, the registration number taken under its row lock, the
deadline computed on the working-time calendar, the process tasks opened, the audit records
appended to the hash chain, the commit (PostgreSQL: synchronous_commit on; SQLite: WAL), and
the answer rendered (status with the timeline).

Setup (not timed): a fresh database, the catalogue, a legal entity applicant with the
restoration-approval service (exactly two required documents), N drafts each with two 200 KB
PDF attachments uploaded through the write layer, and each draft's canonical request signed by
the applicant's key (signing is the client's work, not the server's) with qyzmet's own CAdES-BES
signer. The PKI is the demo PKI (qyzmet.demo.pki: NCA RK certificate profile, generated in
the work directory); the applicant is its legal entity's first head (serikbaev); revocation is
checked against the demo CRL, a local file parsed once per process.

Server: gunicorn started by this script with production-like settings (DEBUG off, no console
e-mail); by default 4 sync workers (the fastest of the configurations measured on 2 cores; see
docs/performance.md), ``--worker-class gthread --threads N`` for threads. Load: C client
threads (keep-alive where the worker class allows), each POSTing submissions back to back;
warm-up requests are not counted. ``--uploads``: each submission first uploads its two
attachments. The floor: the same ``submit_draft`` calls in a loop in this process, no HTTP;
the bare floor: the same verification and statements as raw SQL (``run_bare_floor``).

Run:
    .venv/bin/python bench/api_submissions.py                 # PostgreSQL and SQLite
    .venv/bin/python bench/api_submissions.py --db postgres --uploads
    .venv/bin/python bench/api_submissions.py --db sqlite --submissions 600
PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/qyzmet_bench_api);
the database is dropped and created.
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/qyzmet_bench_api"
ATTACHMENT_BYTES = 200 * 1024
# The restoration approval first: its demo version asks for exactly two documents.
SERVICES = ("restoration-approval", "temporary-export")


# --- orchestration (no Django in this process) ---------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=1200)
    parser.add_argument("--warmup", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync", choices=["gthread", "sync"])
    parser.add_argument(
        "--uploads",
        action="store_true",
        help="each submission also uploads its two 200 KB attachments (3 requests)",
    )
    parser.add_argument("--floor", type=int, default=300, help="submissions in the floor run")
    parser.add_argument(
        "--services",
        type=int,
        choices=[1, 2],
        default=1,
        help="drafts of one service version, or alternately of two (the two services' versions"
        " in force): a lock held on the version would serialise the first and not the second",
    )
    parser.add_argument(
        "--applicant",
        default="serikbaev",
        help="the demo person who signs the requests: serikbaev (legal entity, GOST-2015/512),"
        " abenova (individual, GOST-2015/512), abenova-rsa (the same individual's legacy RSA kit)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the floor run (cProfile, top 25)"
    )
    parser.add_argument("--one", choices=["postgres", "sqlite"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return run_one(args)
    results = []
    for db in ("postgres", "sqlite") if args.db == "both" else (args.db,):
        with tempfile.TemporaryDirectory(prefix=f"qyzmet-api-bench-{db}-") as workdir:
            command = [
                sys.executable,
                __file__,
                "--one",
                db,
                "--workdir",
                workdir,
                *(f"--{k}={getattr(args, k)}" for k in ("submissions", "warmup", "concurrency")),
                f"--workers={args.workers}",
                f"--threads={args.threads}",
                f"--worker-class={args.worker_class}",
                *(["--uploads"] if args.uploads else []),
                f"--floor={args.floor}",
                f"--services={args.services}",
                f"--applicant={args.applicant}",
                *(["--profile"] if args.profile else []),
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            sys.stderr.write(done.stderr[-4000:] if done.returncode else "")
            if args.profile:
                print(done.stderr[-12000:])
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if done.returncode or not lines:
                print(done.stdout)
                print(f"{db}: run failed (exit {done.returncode})")
                return 1
            results.append(json.loads(lines[-1]))
    print_table(results, args)
    return 0


def print_table(results: list[dict], args) -> None:
    print(
        f"\nSigned submissions through the API — concurrency {args.concurrency}, gunicorn "
        f"{args.worker_class} {args.workers}×{args.threads}, {os.cpu_count()} CPU cores"
        + (", each with its two 200 KB uploads" if args.uploads else ", drafts uploaded before")
        + (", drafts of two service versions" if args.services == 2 else ", one service version")
        + f", signed by {args.applicant}"
    )
    header = (
        f"{'database':<10} {'subm/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'n':>5} │ {'CPU ms: server':>14} {'db':>5} {'client':>6} │ "
        f"{'floor/s':>7} {'floor ms':>8} {'API/floor':>9} │ {'bare/s':>6} {'bare ms':>7} "
        f"{'API/bare':>8}"
    )
    print(header)
    print("─" * len(header))
    for r in results:
        print(
            f"{r['db']:<10} {r['rate']:>7.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} "
            f"{r['errors']:>6} {r['n']:>5} │ {r['cpu_server_ms']:>14.2f} {r['cpu_db_ms']:>5.2f} "
            f"{r['cpu_client_ms']:>6.2f} │ {r['floor_rate']:>7.1f} {r['floor_ms']:>8.2f} "
            f"{r['rate'] / r['floor_rate']:>9.2f} │ {r['bare_rate']:>6.1f} {r['bare_ms']:>7.2f} "
            f"{r['rate'] / r['bare_rate']:>8.2f}"
        )
    for r in results:
        for where, holds in r["holds"].items():
            for name, (n, p50, p99) in holds.items():
                print(
                    f"{r['db']}: {name} locked until the commit ({where}): p50 {p50:.2f} ms,"
                    f" p99 {p99:.2f} ms (n={n})"
                )
    for r in results:
        if r["error_samples"]:
            print(f"{r['db']} errors, first ones: {r['error_samples']}")
    print("(target: ≥ 300 submissions/s with p99 < 200 ms and no errors)")
    print(
        "floor = submit_draft in a loop in one process (no HTTP); bare = the same verification "
        "and statements as raw SQL over the DB-API connection (no ORM, no HTTP)"
    )
    print(
        "CPU ms = CPU time per timed submission of the gunicorn processes, of the PostgreSQL "
        "server processes (0 for SQLite: it runs inside the workers), and of the load generator"
    )


# --- one database: setup, server, load, floor ------------------------------------------------------


def run_one(args) -> int:
    workdir = Path(args.workdir)
    env = bench_environment(args.one, workdir)
    os.environ.update(env)
    sys.path.insert(0, str(workdir))
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    if args.one == "postgres":
        recreate_postgres(env["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from qyzmet.catalog.loader import load_catalog

    load_catalog()
    fixtures = prepare(
        args.submissions + args.warmup + 2 * args.floor,
        2 * args.floor,
        args.uploads,
        SERVICES[: args.services],
        args.applicant,
    )
    floor_items = fixtures["items"][: args.floor]
    bare_items = fixtures["items"][args.floor : 2 * args.floor]
    http_items = fixtures["items"][2 * args.floor :]

    port = free_port()
    server = start_gunicorn(env, port, args, workdir)
    try:
        wait_ready(port)
        warm, timed = http_items[: args.warmup], http_items[args.warmup :]
        uploads = fixtures["documents"] if args.uploads else {}
        load(port, fixtures["tokens"], warm, args.concurrency, uploads)
        database = env.get("DATABASE_URL", "").rpartition("/")[2]
        before = cpu_seconds(server.pid, database), time.process_time()
        outcome = load(port, fixtures["tokens"], timed, args.concurrency, uploads)
        after = cpu_seconds(server.pid, database), time.process_time()
    finally:
        stop(server)
    server_holds = read_hot_row_holds(workdir)
    # This process's timer (installed by the settings, in the module as imported there).
    from api_submissions import HOLDS as floor_timer

    for times in floor_timer.values():
        times.clear()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        floor = profiler.runcall(run_floor, fixtures["user"], floor_items)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    else:
        floor = run_floor(fixtures["user"], floor_items)
    floor_holds = {name: sorted(times) for name, times in floor_timer.items()}
    bare = run_bare_floor(fixtures["user"], bare_items)
    check_registered(
        len(timed) - outcome["errors"] + len(warm) + len(floor_items) + len(bare_items)
    )
    latencies = sorted(outcome["latencies"])
    result = {
        "db": args.one,
        "n": len(timed),
        "rate": len(latencies) / outcome["elapsed"],
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "errors": outcome["errors"],
        "error_samples": outcome["error_samples"][:3],
        "cpu_server_ms": 1000 * (after[0]["server"] - before[0]["server"]) / len(timed),
        "cpu_db_ms": 1000 * (after[0]["db"] - before[0]["db"]) / len(timed),
        "cpu_client_ms": 1000 * (after[1] - before[1]) / len(timed),
        "floor_rate": len(floor_items) / floor,
        "floor_ms": 1000 * floor / len(floor_items),
        "bare_rate": len(bare_items) / bare,
        "bare_ms": 1000 * bare / len(bare_items),
        "holds": {
            where: {
                name: [len(times), percentile(times, 50), percentile(times, 99)]
                for name, times in holds.items()
                if times
            }
            for where, holds in (("API", server_holds), ("floor", floor_holds))
        },
    }
    print(json.dumps(result))
    return 0


def bench_environment(db: str, workdir: Path) -> dict[str, str]:
    """Environment and a settings module shared by this process and the gunicorn workers."""
    from qyzmet.demo.pki import PERSON_CRL_FILES

    (workdir / "bench_settings.py").write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path

            from qyzmet.settings import *  # noqa: F403

            DEBUG = False
            ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
            MEDIA_ROOT = Path({str(workdir / "media")!r})
            QYZMET_EDS_TRUST_ANCHORS_DIR = Path({str(workdir / "pki" / "ca")!r})
            QYZMET_EDS_CRL_FILES = {tuple(str(workdir / "pki" / n) for n in PERSON_CRL_FILES)!r}
            QYZMET_EDS_REVOCATION_SOURCES = ()
            QYZMET_EDS_CRL_URLS = ()
            MAILERS = {{"default": {{"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}}}
            LOGGING = {{"version": 1, "disable_existing_loggers": False,
                       "root": {{"handlers": [], "level": "ERROR"}}}}

            import api_submissions

            api_submissions.time_hot_rows(Path({str(workdir)!r}))
            """
        )
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT / "src"), str(ROOT / "bench")]),
        "QYZMET_VAR_DIR": str(workdir / "var"),
        "QYZMET_SQLITE_PATH": str(workdir / "bench.sqlite3"),
    }
    if db == "postgres":
        env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
    else:
        os.environ.pop("DATABASE_URL", None)
    return env


def recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(
    count: int, floor: int, uploads: bool, services: tuple[str, ...], applicant: str
) -> dict:
    """The applicant, tokens, and ``count`` drafts (of ``services`` in turn, each the version in
    force) with two 200 KB attachments, each with the
    applicant's detached CMS over its canonical request. With ``uploads``, the drafts after the
    first ``floor`` (those sent over HTTP) lose their attachments again once signed: the client
    uploads the same files before it submits, so the signature still covers them."""
    from django.conf import settings

    from qyzmet.accounts.models import Role, User, applicant_login
    from qyzmet.api.actions import issue_token
    from qyzmet.cases import actions as cases
    from qyzmet.cases.portal_requests import canonical_request
    from qyzmet.demo.pki import create_demo_pki, load_demo_pki
    from qyzmet.eds.signing import load_signing_key, sign_with_key
    from qyzmet.testing import PORTAL_UPLOADS, form_for, pdf_bytes, upload

    pki_dir = Path(settings.QYZMET_EDS_TRUST_ANCHORS_DIR).parent
    create_demo_pki(pki_dir)
    head = load_demo_pki(pki_dir).person(applicant)
    key, certificate, chain = load_signing_key(
        (pki_dir / head["sign_p12"]).read_bytes(), head["password"]
    )
    user = User.objects.create(
        username=applicant_login(head["iin"], head.get("bin") or ""),
        role=Role.APPLICANT,
        iin=head["iin"],
        bin=head.get("bin") or "",
        last_name=head["surname"],
        first_name=head["given_name"],
        organization=head.get("organization") or "",
    )
    tokens = [issue_token(user, method="bench").secret for _ in range(64)]
    documents = {
        service: {
            code: pdf_bytes(code, pad_to=ATTACHMENT_BYTES) for code in PORTAL_UPLOADS[service]
        }
        for service in services
    }
    items = []
    started = time.perf_counter()
    for index in range(count):
        service = services[index % len(services)]
        draft = cases.save_draft(user, service_code=service, form_data=form_for(service))
        attached = [
            cases.add_draft_attachment(
                user, draft, cases.AttachmentInput(code, upload(f"{code}.pdf", content))
            )
            for code, content in documents[service].items()
        ]
        signature = sign_with_key(canonical_request(draft), key, certificate, chain, detached=True)
        if uploads and index >= floor:
            for attachment in attached:
                cases.remove_draft_attachment(user, draft, attachment.pk)
        items.append((str(draft.public_id), base64.b64encode(signature).decode("ascii"), service))
    print(f"prepared {count} drafts in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return {"user": user, "tokens": tokens, "items": items, "documents": documents}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(master_pid: int, database: str = "") -> dict[str, float]:
    """CPU time (user + system) so far of the gunicorn master and its workers, and of the
    PostgreSQL backends serving ``database``, read from /proc (the server's shared background
    processes — WAL writer, checkpointer — are left out: other databases share them)."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"server": 0.0, "db": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        command = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        pid, parent = int(stat.parent.name), int(fields[1])
        used = (int(fields[11]) + int(fields[12])) / tick
        if pid == master_pid or parent == master_pid:
            totals["server"] += used
        elif database and command.startswith("postgres") and _serves(pid, database):
            totals["db"] += used
    return totals


def _serves(pid: int, database: str) -> bool:
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return f" {database} " in title


def start_gunicorn(env: dict, port: int, args, workdir: Path):
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "qyzmet.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        args.worker_class,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    log = (workdir / "gunicorn.log").open("w")
    return subprocess.Popen(
        command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
    )


def wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/catalog/services/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(server) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def multipart(code: str, content: bytes) -> tuple[bytes, str]:
    boundary = f"qyzmet-bench-{code}"
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="document_code"\r\n\r\n'
            f"{code}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{code}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode(),
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return body, f"multipart/form-data; boundary={boundary}"


def load(port: int, tokens: list[str], items: list, concurrency: int, uploads: dict) -> dict:
    """``concurrency`` clients POST the submissions back to back over keep-alive connections
    (with ``uploads``: first the two attachments, then the submission; the latency is that of
    all three requests)."""
    bodies = {
        service: {code: multipart(code, content) for code, content in documents.items()}
        for service, documents in uploads.items()
    }
    queue = iter(items)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def client(index: int) -> None:
        token = tokens[index % len(tokens)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                break
            public_id, signature, service = item
            body = json.dumps({"signature": signature})
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": f"bench-{public_id}",
                "Accept-Language": "ru",
            }
            started = time.perf_counter()
            try:
                for code, (upload_body, content_type) in bodies.get(service, {}).items():
                    connection.request(
                        "POST",
                        f"/api/v1/applications/{public_id}/attachments/",
                        upload_body,
                        {
                            **headers,
                            "Content-Type": content_type,
                            "Idempotency-Key": f"{code}-{public_id}",
                        },
                    )
                    response = connection.getresponse()
                    payload = response.read()
                    if response.status != 201:
                        raise http.client.HTTPException(f"upload {response.status} {payload[:80]}")
                connection.request(
                    "POST", f"/api/v1/applications/{public_id}/submit/", body, headers
                )
                response = connection.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, payload = 0, repr(error).encode()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 201:
                    latencies.append(elapsed)
                else:
                    errors.append(f"{status} {payload[:160]!r}")
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "elapsed": time.perf_counter() - started,
        "latencies": latencies,
        "errors": len(errors),
        "error_samples": errors,
    }


def run_floor(user, items: list) -> float:
    """The same submit_draft (verification, checks, inserts, commit) without HTTP: seconds."""
    from qyzmet.cases import actions as cases
    from qyzmet.cases.models import Application

    total = 0.0
    for public_id, signature, _ in items:
        draft = Application.objects.get(public_id=public_id)
        raw = base64.b64decode(signature)
        started = time.perf_counter()
        cases.submit_draft(user, draft, signature=raw)
        total += time.perf_counter() - started
    return total


def run_bare_floor(user, items: list) -> float:
    """The floor without the framework: per submission one transaction of the statements
    ``submit_draft`` runs (the draft locked and read, its attachments, the signed request, both
    tasks in one insert, the number by UPDATE … RETURNING, the application, the mail task, the
    audit head locked, the record, the head), written as raw SQL over Django's DB-API
    connection, with the same form validation, canonical request, CMS verification and
    deadlines on the working-time calendar. Seconds."""
    from types import SimpleNamespace
    from uuid import uuid4

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from qyzmet.audit.chain import canonical_json, record_hash
    from qyzmet.cases.forms_schema import validate_form_data
    from qyzmet.cases.models import Application
    from qyzmet.cases.portal_requests import canonical_request
    from qyzmet.eds.service import verifier
    from qyzmet.workflow import engine

    drafts = {
        str(a.public_id): a
        for a in Application.objects.select_related("service_version").filter(
            public_id__in=[public_id for public_id, *_ in items]
        )
    }
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    ops = connection.ops
    total = 0.0
    for public_id, signature, _ in items:
        draft = drafts[public_id]
        version = draft.service_version
        raw = base64.b64decode(signature)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            now = timezone.now()
            cursor.execute(
                "SELECT status, form_data, applicant_details, revision FROM cases_application"
                f" WHERE id = %s AND applicant_user_id = %s{lock}",
                [draft.pk, user.pk],
            )
            status, form_data, details, revision = cursor.fetchone()
            form_data = json.loads(form_data) if isinstance(form_data, str) else form_data
            details = json.loads(details) if isinstance(details, str) else details
            assert status == "draft"
            validate_form_data(version, form_data)
            cursor.execute(
                "SELECT document_code, original_name, sha256, size FROM cases_attachment"
                " WHERE application_id = %s",
                [draft.pk],
            )
            attachments = [
                SimpleNamespace(document_code=c, original_name=n, sha256=h, size=z)
                for c, n, h, z in cursor.fetchall()
            ]
            content = canonical_request(
                SimpleNamespace(
                    **{f: getattr(draft, f) for f in ("public_id", "service_version")},
                    **{f: getattr(draft, f) for f in APPLICANT_FIELDS},
                    form_data=form_data,
                    attachments=SimpleNamespace(all=lambda attachments=attachments: attachments),
                )
            )
            verdict = verifier().verify_cms(
                raw,
                content,
                purpose="sign",
                expect_iin=draft.representative_iin or draft.applicant_iin,
                expect_bin=draft.applicant_bin or None,
            )
            assert verdict.valid, verdict.code
            signer = verdict.signer.to_inspect_dict()
            cursor.execute(
                "INSERT INTO cases_signedrequest (application_id, content, signature, received_at)"
                " VALUES (%s, %s, %s, %s)",
                [draft.pk, content, raw, ops.adapt_datetimefield_value(now)],
            )
            calendar = engine.calendar_for(draft)
            registered_at = calendar.next_working_moment(now)

            register_role, register_norm, register_due = _norm_due(
                version, "register", now, registered_at, calendar
            )
            assign_role, assign_norm, assign_due = _norm_due(
                version, "assign", now, registered_at, calendar
            )
            *_, deadline = _norm_due(version, "sign", registered_at, registered_at, calendar)
            at = ops.adapt_datetimefield_value
            cursor.execute(
                "INSERT INTO workflow_task (application_id, service_code, channel, step, role,"
                " assignee_id, state, created_at, due_at, norm, completed_at, completed_by_id,"
                " outcome, comment, overdue, met_norm) VALUES"
                " (%s, %s, %s, 'register', %s, %s, 'done', %s, %s, %s, %s, %s, 'registered', '',"
                " false, %s),"
                " (%s, %s, %s, 'assign', %s, NULL, 'open', %s, %s, %s, NULL, NULL, '', '', false,"
                " NULL)",
                [
                    *(draft.pk, version.service_code, draft.channel, register_role, user.pk),
                    *(at(now), at(register_due), register_norm, at(now), user.pk),
                    now <= register_due,
                    *(draft.pk, version.service_code, draft.channel, assign_role, at(now)),
                    *(at(assign_due), assign_norm),
                ],
            )
            year = timezone.localtime(registered_at).year
            cursor.execute(
                "UPDATE cases_registrationcounter SET last_number = last_number + 1"
                " WHERE provider = %s AND year = %s RETURNING last_number",
                [settings.QYZMET_PROVIDER_CODE, year],
            )
            number = f"{settings.QYZMET_REGISTRATION_PREFIX}-{year}-{cursor.fetchone()[0]:06d}"
            cursor.execute(
                "UPDATE cases_application SET status = 'registered', registration_number = %s,"
                " registration_year = %s, submitted_at = %s, registered_at = %s,"
                " deadline_at = %s, applicant_details = %s, revision = %s, updated_at = %s"
                " WHERE id = %s",
                [
                    *(number, year, at(now), at(registered_at), at(deadline)),
                    canonical_json({**details, "signer": signer}),
                    *(revision + 1, at(now), draft.pk),
                ],
            )
            cursor.execute(
                "INSERT INTO django_tasks_database_dbtaskresult (id, status, enqueued_at,"
                " args_kwargs, priority, task_path, worker_ids, queue_name, backend_name,"
                " run_after, exception_class_path, traceback) VALUES (%s, 'READY', %s, %s, 0,"
                " 'qyzmet.portal.tasks.send_status_mail', '[]', 'default', 'default', %s, '',"
                " '')",
                [
                    uuid4().hex if connection.vendor == "sqlite" else uuid4(),
                    *(at(now), canonical_json({"args": [draft.pk, "registered"], "kwargs": {}})),
                    at(now),
                ],
            )
            cursor.execute(f"SELECT last_record_id, last_hash, count FROM audit_audithead{lock}")
            last_id, last_hash, count = cursor.fetchone()
            after = json.loads(
                canonical_json({"status": "registered", "registration_number": number})
            )
            record = {
                "record_id": last_id + 1,
                "at": now,
                "actor_id": user.pk,
                "actor_label": user.get_username(),
                "action": "cases.submit_portal",
                "case_id": draft.pk,
                "object_type": "cases.Application",
                "object_id": str(draft.pk),
                "before": None,
                "after": after,
                "prev_hash": last_hash,
            }
            digest = record_hash(**record)
            cursor.execute(
                "INSERT INTO audit_auditrecord (id, at, actor_id, actor_label, action, case_id,"
                " object_type, object_id, before, after, prev_hash, hash)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, %s, %s, %s)",
                [
                    *(last_id + 1, at(now), user.pk, record["actor_label"], record["action"]),
                    *(draft.pk, "cases.Application", str(draft.pk), canonical_json(after)),
                    *(last_hash, digest),
                ],
            )
            cursor.execute(
                "UPDATE audit_audithead SET last_record_id = %s, last_hash = %s, count = %s"
                " WHERE id = 1",
                [last_id + 1, digest, count + 1],
            )
        total += time.perf_counter() - started
    return total


def _norm_due(version, step: str, start, registered_at, calendar) -> tuple[str, str, object]:
    """A portal step's role, norm (JSON) and due time, as the engine computes them."""
    from qyzmet.audit.chain import canonical_json
    from qyzmet.workflow import engine

    definition = version.step(step, "portal")
    norm = engine.Norm.of(definition)
    due = engine.due_time(norm, start=start, registered_at=registered_at, calendar=calendar)
    return definition.role, canonical_json(norm.as_dict()), due


APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_iin",
    "applicant_bin",
    "representative_iin",
    "applicant_name",
)


# --- how long the rows every registration passes through stay locked ---------------------------

# Each hot row by the statement that locks it; held from that statement to the commit.
HOT_ROWS = {
    "registration counter": 'UPDATE "cases_registrationcounter"',
    "audit head": 'FROM "audit_audithead"',
}
HOLDS: dict[str, list[float]] = {name: [] for name in HOT_ROWS}


def time_hot_rows(workdir: Path | None = None) -> None:
    """Time, in this process, each hot row from the moment the statement that locks it has
    returned (the lock is held; the wait for it is not counted) to the commit of its transaction (an execute wrapper on every connection, ``on_commit`` for the end);
    gunicorn workers write theirs to ``workdir`` as they go."""
    from django.db import transaction
    from django.db.backends.signals import connection_created

    def wrap(sender, connection, **kwargs):
        if getattr(connection, "_bench_hot_rows", False):
            return  # the same connection object reconnecting: its wrapper is in place
        connection._bench_hot_rows = True
        taken: set[str] = set()

        def execute(run, sql, params, many, context):
            result = run(sql, params, many, context)  # the lock is held once this returns
            for name, marker in HOT_ROWS.items():
                if marker in sql and name not in taken and connection.in_atomic_block:
                    taken.add(name)
                    transaction.on_commit(
                        functools.partial(done, name, time.perf_counter()), using=connection.alias
                    )
            return result

        def done(name: str, start: float) -> None:
            HOLDS[name].append(1000 * (time.perf_counter() - start))
            taken.discard(name)
            if workdir is not None and len(HOLDS[name]) % 50 == 0:
                (workdir / f"holds-{os.getpid()}.json").write_text(json.dumps(HOLDS))

        connection.execute_wrappers.append(execute)

    connection_created.connect(wrap, weak=False)


def read_hot_row_holds(workdir: Path) -> dict[str, list[float]]:
    holds: dict[str, list[float]] = {name: [] for name in HOT_ROWS}
    for path in workdir.glob("holds-*.json"):
        if path.name == f"holds-{os.getpid()}.json":
            continue  # this process's own: the drafts prepared
        for name, times in json.loads(path.read_text()).items():
            holds[name].extend(times)
    return {name: sorted(times) for name, times in holds.items()}


def check_registered(expected: int) -> None:
    from qyzmet.cases.models import Application

    registered = Application.objects.filter(registration_number__isnull=False).count()
    numbers = Application.objects.filter(registration_number__isnull=False)
    distinct = numbers.values("registration_number").distinct().count()
    if registered != expected or distinct != registered:
        raise SystemExit(f"registered {registered} (distinct {distinct}), expected {expected}")


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))
    return values[index]


if __name__ == "__main__":
    sys.exit(main())
