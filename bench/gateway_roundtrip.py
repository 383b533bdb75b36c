#!/usr/bin/env python
"""Gateway round-trip: N signed lookups from the client to the simulator process on loopback.

Each lookup is the whole production path: build and sign the SOAP request (RSA-SHA256,
exc-C14N), HTTP over a keep-alive connection, the simulator verifies, answers and signs,
the client verifies the answer and writes the exchange log row. Target: p95 < 20 ms.

    .venv/bin/python bench/gateway_roundtrip.py [--n 2000] [--threads 1]

Uses a throw-away SQLite database in a temporary folder unless DATABASE_URL is set (then
that database gets the registry tables migrated and the exchange rows).
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TARGET_P95_MS = 20.0


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def start_simulator(keys: dict, workdir: Path) -> tuple[subprocess.Popen, str]:
    qyzmet = Path(sys.executable).with_name("qyzmet")
    (sim_key, sim_cert), (_, client_cert) = keys["simulator"], keys["client"]
    process = subprocess.Popen(
        [
            str(qyzmet),
            "registry-simulator",
            "--port",
            "0",
            "--key",
            str(sim_key),
            "--cert",
            str(sim_cert),
            "--client-cert",
            str(client_cert),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=workdir,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if "listening on" in line:
                return process, line.strip().rsplit(" ", 1)[-1]
        if process.poll() is not None:
            break
    process.kill()
    raise SystemExit("the simulator did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="qyzmet-gateway-bench-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["QYZMET_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qyzmet.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from qyzmet.registry.breaker import CircuitBreaker
    from qyzmet.registry.client import GatewayClient
    from qyzmet.registry.keys import ensure_demo_keys
    from qyzmet.registry.models import GatewayExchange

    call_command("migrate", verbosity=0)
    keys = ensure_demo_keys(workdir / "keys")
    simulator, url = start_simulator(keys, workdir)
    iins = ["900101300007", "850715450105", "051231600007", "780312301124"]
    try:
        client = GatewayClient(
            url,
            key=keys["client"][0],
            cert=keys["client"][1],
            peer_cert=keys["simulator"][1],
            timeout=(2.0, 5.0),
            retries=0,
            breaker=CircuitBreaker(threshold=1000),
        )
        for i in range(args.warmup):
            client.lookup_person(iins[i % len(iins)])

        latencies: list[float] = []
        lock = threading.Lock()

        def one(i: int) -> None:
            started = time.perf_counter()
            record = client.lookup_person(iins[i % len(iins)])
            elapsed = (time.perf_counter() - started) * 1000
            assert record is not None
            with lock:
                latencies.append(elapsed)

        started = time.perf_counter()
        if args.threads == 1:
            for i in range(args.n):
                one(i)
        else:
            with ThreadPoolExecutor(args.threads) as pool:
                list(pool.map(one, range(args.n)))
        wall = time.perf_counter() - started
        logged = GatewayExchange.objects.count()
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)

    latencies.sort()
    p50, p95, p99 = (percentile(latencies, f) for f in (0.50, 0.95, 0.99))
    rows = [
        ("lookups", f"{args.n}"),
        ("threads", f"{args.threads}"),
        ("database", connection.vendor),
        ("p50 ms", f"{p50:.2f}"),
        ("p95 ms", f"{p95:.2f}"),
        ("p99 ms", f"{p99:.2f}"),
        ("max ms", f"{latencies[-1]:.2f}"),
        ("mean ms", f"{statistics.fmean(latencies):.2f}"),
        ("req/s", f"{args.n / wall:.0f}"),
        ("exchanges logged", f"{logged}"),
        (f"target p95 < {TARGET_P95_MS:.0f} ms", "met" if p95 < TARGET_P95_MS else "MISSED"),
    ]
    width = max(len(name) for name, _ in rows)
    print("gateway round-trip (client → simulator process, loopback, signed both ways)")
    for name, value in rows:
        print(f"  {name:<{width}}  {value:>10}")
    if p95 >= TARGET_P95_MS:
        sys.exit(1)


if __name__ == "__main__":
    main()
