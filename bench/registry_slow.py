#!/usr/bin/env python
"""A slow registry must not stall the site (issue 12, item 6).

Starts the real `qyzmet serve` (a throw-away SQLite database in a temporary folder unless
DATABASE_URL is set), makes the registry simulator answer after 8 s, keeps two desk lookups
running all the time (two clerks' threads, each starting the next lookup as soon as the
previous one is refused), and meanwhile asks for other pages — the public catalogue API, the
portal's home page, the clerk's inbox — one after another; reports their latencies.
Target: p95 < 200 ms.

    .venv/bin/python bench/registry_slow.py [--seconds 30] [--delay-ms 8000]
        [--workers 2] [--threads 8] [--budget 6] [--breaker-threshold 1000]

The breaker is kept closed by default (threshold 1000), so that two lookups really are
waiting on the registry during the whole measurement (the worst case); with the default
threshold it opens after a few lookups and later ones are refused at once. `--threads 1
--budget 0` is the former set-up (one request per worker process, no lookup budget).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_P95_MS = 200.0
PERSON_IIN = "850715450105"  # in the simulator's seed
OTHER_PAGES = ["/api/v1/catalog/services/", "/", "/office/"]


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def prepare(env: dict) -> str:
    """Migrate, load the catalogue, make a clerk; the clerk's session cookie."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qyzmet.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from qyzmet.accounts.models import Role, User
    from qyzmet.catalog.loader import load_catalog

    call_command("migrate", verbosity=0)
    load_catalog()
    clerk = User.objects.filter(username="bench-clerk").first() or User.objects.create_user(
        "bench-clerk", password="Bench-Clerk-2026!", role=Role.CLERK
    )
    client = Client()
    client.force_login(clerk)
    return client.cookies["sessionid"].value


class Http:
    def __init__(self, host: str, port: int, cookie: str = "") -> None:
        self.host, self.port, self.cookie = host, port, cookie
        self.connection = http.client.HTTPConnection(host, port, timeout=120)

    def request(self, method: str, path: str, body: str = "", headers=None) -> tuple[int, str]:
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            self.connection.request(method, path, body=body.encode(), headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            raise


def lookups(host, port, session, stop: threading.Event, durations: list, errors: list):
    """One clerk doing lookups back to back on the desk's intake form."""
    path = "/office/register/restoration-approval/"
    client = Http(host, port, f"sessionid={session}")
    status, page = client.request("GET", path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookies = f"sessionid={session}; csrftoken={token}"
    client.cookie = cookies
    body = f"csrfmiddlewaretoken={token}&applicant_kind=individual&identifier={PERSON_IIN}"
    body += "&_action=lookup"
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status, _ = client.request(
                "POST",
                path,
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{host}:{port}{path}",
                },
            )
        except OSError as exc:
            errors.append(str(exc))
            continue
        durations.append((time.perf_counter() - started, status))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--delay-ms", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--budget", type=float, default=6.0, help="0 = no lookup budget")
    parser.add_argument("--breaker-threshold", type=int, default=1000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="qyzmet-bench-registry-"))
    env = {
        "QYZMET_VAR_DIR": str(workdir / "var"),
        "QYZMET_REGISTRY_LOOKUP_BUDGET_SECONDS": str(args.budget),
        "QYZMET_REGISTRY_BREAKER_THRESHOLD": str(args.breaker_threshold),
        "QYZMET_LOG_LEVEL": "WARNING",
    }
    session = prepare(env)
    qyzmet = Path(sys.executable).with_name("qyzmet")
    serve = subprocess.Popen(
        [str(qyzmet), "serve", "--port", "0", "--simulator-port", "0", "--ncalayer-port", "0"]
        + ["--workers", str(args.workers), "--threads", str(args.threads)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
    )
    try:
        ready = None
        for line in serve.stdout:
            ready = re.search(
                r"ready web=http://([\d.]+):(\d+)/ registry-simulator=(http://[\d.:]+)/", line
            )
            if ready:
                break
        threading.Thread(target=lambda: [None for _ in serve.stdout], daemon=True).start()
        host, port, simulator = ready.group(1), int(ready.group(2)), ready.group(3)
        probe = Http(host, port)
        deadline = time.monotonic() + 120
        while True:
            try:
                if probe.request("GET", "/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("qyzmet serve did not answer in 120 s")
            time.sleep(0.5)
        sim_host, sim_port = simulator.removeprefix("http://").split(":")
        control = Http(sim_host, int(sim_port))
        control.request("POST", "/control", json.dumps({"delay_ms": args.delay_ms}))

        stop = threading.Event()
        durations, errors = [], []
        clerks = [
            threading.Thread(
                target=lookups, args=(host, port, session, stop, durations, errors), daemon=True
            )
            for _ in range(2)
        ]
        for clerk in clerks:
            clerk.start()
        time.sleep(1.0)  # both lookups are in flight
        other = Http(host, port, f"sessionid={session}")
        latencies: dict[str, list[float]] = {page: [] for page in OTHER_PAGES}
        statuses = []
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            for page in OTHER_PAGES:
                started = time.perf_counter()
                status, _ = other.request("GET", page)
                latencies[page].append((time.perf_counter() - started) * 1000)
                statuses.append(status)
        stop.set()
        for clerk in clerks:
            clerk.join(timeout=args.delay_ms / 1000 + 30)
    finally:
        serve.terminate()
        serve.wait(timeout=60)

    every = sorted(ms for values in latencies.values() for ms in values)
    p95 = percentile(every, 0.95)
    print(
        f"qyzmet serve: {args.workers} workers × {args.threads} threads; registry "
        f"{args.delay_ms / 1000:g} s slow; lookup budget {args.budget:g} s; breaker threshold "
        f"{args.breaker_threshold}"
    )
    print(
        f"lookups done meanwhile: {len(durations)} "
        f"(each {statistics.median([d for d, _ in durations]) if durations else 0:.2f} s median,"
        f" statuses {sorted({s for _, s in durations})}); errors {len(errors)}"
    )
    for page, values in latencies.items():
        values.sort()
        print(
            f"  {page:<20} n={len(values):4d} p50={percentile(values, 0.5):7.1f} ms "
            f"p95={percentile(values, 0.95):7.1f} ms max={values[-1]:7.1f} ms"
        )
    print(f"other pages: n={len(every)} statuses {sorted(set(statuses))}")
    print(
        f"other pages p95 = {p95:.1f} ms (target < {TARGET_P95_MS:.0f} ms): "
        + ("OK" if p95 < TARGET_P95_MS else "MISSED")
    )
    return 0 if p95 < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
