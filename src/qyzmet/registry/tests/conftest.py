"""Fixtures: generated keys, and the registry simulator as a real separate process."""

from __future__ import annotations

import collections
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from qyzmet.registry.breaker import CircuitBreaker
from qyzmet.registry.client import GatewayClient
from qyzmet.registry.keys import KeyPair, generate_self_signed

QYZMET = Path(sys.executable).with_name("qyzmet")


@dataclass(frozen=True)
class Keys:
    directory: Path
    client: KeyPair
    simulator: KeyPair
    stranger: KeyPair  # a valid key nobody pinned

    def path(self, role: str, kind: str) -> Path:
        return self.directory / f"{role}.{kind}"


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> Keys:
    directory = tmp_path_factory.mktemp("registry-keys")
    pairs = {}
    for role in ("client", "simulator", "stranger"):
        pair = generate_self_signed(f"test {role}")
        (directory / f"{role}.key").write_bytes(pair.key_pem)
        (directory / f"{role}.crt").write_bytes(pair.cert_pem)
        pairs[role] = pair
    return Keys(directory, **pairs)


@dataclass
class SimulatorProcess:
    process: subprocess.Popen
    base: str

    @property
    def url(self) -> str:
        return f"{self.base}/bip-sync/"

    def control(self, **changes) -> dict:
        status, body = http_request("POST", f"{self.base}/control", json.dumps(changes).encode())
        if status != 200:
            raise RuntimeError(f"control refused: {status} {body!r}")
        return json.loads(body)

    def counters(self) -> dict:
        return json.loads(http_request("GET", f"{self.base}/health")[1])["counters"]


def http_request(method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
    """One plain HTTP exchange (tests talk to the simulator directly with it)."""
    parts = urlsplit(url)
    # Generous: the simulator answers in milliseconds, but a loaded machine may not run it
    # for seconds; a hung simulator still fails the test, only later.
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, parts.path, body=body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# Start-up imports Django and the project: about a second on an idle machine, ten when the two
# cores are shared by a dozen busy processes. The deadline is for a hung process, not for load.
START_DEADLINE = 120.0
START_ATTEMPTS = 3
READY = "registry simulator listening on "


class _Pipe:
    """Reads one of the process's pipes to its end in a thread, so the simulator never blocks
    on a full pipe, and keeps the last lines for the error message; signals the line that
    says where the simulator listens (it binds port 0 and prints the port it got)."""

    def __init__(self, stream) -> None:
        self.lines: collections.deque[str] = collections.deque(maxlen=200)
        self.url: str | None = None
        self.ready = threading.Event()
        self.closed = threading.Event()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        try:
            for line in stream:
                self.lines.append(line)
                if self.url is None and line.startswith(READY):
                    self.url = line.removeprefix(READY).strip()
                    self.ready.set()
        finally:
            stream.close()
            self.closed.set()

    def text(self) -> str:
        return "".join(self.lines)


class SimulatorDidNotStart(RuntimeError):
    pass


def _start_once(command: list[str], env: dict) -> SimulatorProcess:
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        errors="replace",  # a stray byte must not end the thread that drains the pipe
    )
    stdout, stderr = _Pipe(process.stdout), _Pipe(process.stderr)
    deadline = time.monotonic() + START_DEADLINE
    while not stdout.ready.wait(0.2):
        if stdout.closed.is_set() or time.monotonic() > deadline:
            ended = process.poll()
            process.kill()
            process.wait()
            stderr.closed.wait(5)
            reason = (
                f"exited with {ended}" if ended is not None else f"silent {START_DEADLINE:.0f} s"
            )
            raise SimulatorDidNotStart(f"{reason}:\n{stdout.text()}{stderr.text()}")
    if process.poll() is not None:  # said where it listens, then died
        raise SimulatorDidNotStart(f"exited with {process.returncode}:\n{stderr.text()}")
    return SimulatorProcess(process, stdout.url.removesuffix("/bip-sync/"))


def start_simulator(keys: Keys, *extra: str) -> SimulatorProcess:
    """The simulator as its own process on a free port. A start that fails (a process that
    exits or stays silent) is retried: what the tests need is a running simulator, and a
    cause that persists still fails every attempt, with each attempt's output."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qyzmet.settings", "PYTHONUNBUFFERED": "1"}
    command = [
        str(QYZMET),
        "registry-simulator",
        "--port",
        "0",
        "--key",
        str(keys.path("simulator", "key")),
        "--cert",
        str(keys.path("simulator", "crt")),
        "--client-cert",
        str(keys.path("client", "crt")),
        *extra,
    ]
    failures = []
    for _ in range(START_ATTEMPTS):
        try:
            return _start_once(command, env)
        except SimulatorDidNotStart as failure:
            failures.append(str(failure))
    raise RuntimeError("registry simulator did not start:\n" + "\n---\n".join(failures))


def stop_simulator(simulator: SimulatorProcess) -> None:
    simulator.process.terminate()
    try:
        simulator.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        simulator.process.kill()
        simulator.process.wait()


@pytest.fixture(scope="session")
def simulator_process(keys):
    simulator = start_simulator(keys)
    yield simulator
    stop_simulator(simulator)


@pytest.fixture
def simulator(simulator_process):
    """The running simulator, with its behaviour back to normal before and after the test."""
    normal = {"delay_ms": 0, "fail_rate": 0.0, "tamper_responses": False}
    simulator_process.control(**normal)
    yield simulator_process
    simulator_process.control(**normal)


@pytest.fixture
def make_client(keys, simulator):
    """A client of the simulator with its own breaker; short timeouts and back-off."""
    clients = []

    def make(**overrides) -> GatewayClient:
        options = {
            "url": simulator.url,
            "key": keys.client.key,
            "cert": keys.client.cert,
            "peer_cert": keys.simulator.cert,
            "timeout": (1.0, 2.0),
            "retries": 2,
            "backoff": 0.01,
            "breaker": CircuitBreaker(threshold=50, reset_seconds=60),
        }
        options.update(overrides)
        client = GatewayClient(**options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
