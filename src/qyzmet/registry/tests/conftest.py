"""Fixtures: generated keys, and the registry simulator as a real separate process."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from qyzmet.registry.breaker import CircuitBreaker
from qyzmet.registry.client import GatewayClient
from qyzmet.registry.keys import KeyPair, generate_self_signed
from qyzmet.testing import start_listening_process, stop_process

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


READY = "registry simulator listening on "


def start_simulator(keys: Keys, *extra: str) -> SimulatorProcess:
    """The simulator as its own process on a free port (see ``start_listening_process``)."""
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
    process, url = start_listening_process(command, READY)
    return SimulatorProcess(process, url.removesuffix("/bip-sync/"))


def stop_simulator(simulator: SimulatorProcess) -> None:
    stop_process(simulator.process)


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


# A person the registry simulator's seed knows (the gateway and slow-registry tests look them up).
PERSON_IIN = "850715450105"
