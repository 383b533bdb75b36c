"""The GBD FL/UL registry simulator: a stand-in for the e-gov gateway, as its own process.

It speaks the client's protocol (``protocol.py``): it verifies the caller's WS-Security
signature against the pinned client certificate (an unsigned or badly signed request gets
a SOAP Client fault), answers GBD FL person and GBD UL legal entity queries from a seed
file, answers "not found" with a status code (not a fault), and signs its answers.

For tests it can be slow (``delay_ms``), fail a share of requests (``fail_rate``: HTTP 500
with a SOAP Server fault) or break the signature of its answers (``tamper_responses``) —
set at start or at run time with ``POST /control`` (JSON; loopback callers only).
``GET /health`` answers ``{"status": "ok", ...}`` with the counters.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import random
import socket
import threading
import time
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from qyzmet.core.identifiers import is_valid_identifier
from qyzmet.demo.people import registry_seed
from qyzmet.registry import protocol

DEFAULT_PATH = "/bip-sync/"
FAULT_SECURITY = "SECURITY_ERROR"
FAULT_BAD_REQUEST = "BAD_REQUEST"
FAULT_EXPIRED = "MESSAGE_EXPIRED"
FAULT_UNAVAILABLE = "SERVICE_UNAVAILABLE"
STATUS_MESSAGES = {
    protocol.STATUS_OK: "Сообщение успешно обработано",
    protocol.STATUS_NOT_FOUND: "Сведения не найдены в ГБД",
}


@dataclass
class Behaviour:
    delay_ms: int = 0
    fail_rate: float = 0.0
    tamper_responses: bool = False

    def validate(self) -> None:
        if not 0 <= self.delay_ms <= 600_000:
            raise ValueError("delay_ms must be between 0 and 600000")
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")


@dataclass
class Counters:
    requests: int = 0
    answered: int = 0
    not_found: int = 0
    refused: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Seed:
    persons: dict[str, dict]
    organizations: dict[str, dict]


def load_seed(path: str | Path, *, demo_people: bool = True) -> Seed:
    """The seed file's people and organisations, plus (``demo_people``) the demo key holders
    and their organisations from ``core.demo_people``, which win over a file's entry with the
    same IIN/BIN: a look-up of a demo certificate's IIN answers its holder."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    persons = list(data.get("persons", []))
    organizations = list(data.get("organizations", []))
    if demo_people:
        demo = registry_seed()
        persons += demo["persons"]
        organizations += demo["organizations"]
    return Seed(
        persons={item["iin"]: item for item in persons},
        organizations={item["bin"]: item for item in organizations},
    )


@dataclass
class RegistrySimulator:
    """The simulator's logic, independent of HTTP: bytes in, (HTTP status, bytes) out."""

    seed: Seed
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    client_certs: list[x509.Certificate]
    behaviour: Behaviour = field(default_factory=Behaviour)
    random_seed: int | None = None
    max_clock_skew: dt.timedelta = dt.timedelta(minutes=5)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(self.random_seed)
        self.counters = Counters()

    # -------------------------------------------------------------- control

    def configure(self, **changes) -> Behaviour:
        seed = changes.pop("seed", None)
        with self._lock:
            updated = Behaviour(**{**asdict(self.behaviour), **changes})
            updated.validate()
            self.behaviour = updated
            if seed is not None:
                self._random.seed(seed)
            return updated

    def snapshot(self) -> dict:
        with self._lock:
            return {"behaviour": asdict(self.behaviour), "counters": asdict(self.counters)}

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self.counters, name, getattr(self.counters, name) + 1)

    def _should_fail(self) -> bool:
        with self._lock:
            return self._random.random() < self.behaviour.fail_rate

    # -------------------------------------------------------------- one request

    def handle(self, body: bytes) -> tuple[int, bytes]:
        self._count("requests")
        behaviour = self.behaviour
        if behaviour.delay_ms:
            time.sleep(behaviour.delay_ms / 1000)
        if self._should_fail():
            self._count("failed")
            return 500, protocol.build_fault(
                "soap:Server", "Service temporarily unavailable (simulated)", FAULT_UNAVAILABLE
            )
        try:
            verified = protocol.verify_envelope(body, self.client_certs)
        except protocol.SignatureError as exc:
            return self._refuse(f"Signature check failed: {exc}", FAULT_SECURITY)
        except protocol.ProtocolError as exc:
            return self._refuse(f"Malformed request: {exc}", FAULT_BAD_REQUEST)
        try:
            request = protocol.parse_request(verified.body)
        except protocol.ProtocolError as exc:
            return self._refuse(f"Malformed request: {exc}", FAULT_BAD_REQUEST)
        if abs(protocol.now_utc() - request.info.message_date) > self.max_clock_skew:
            return self._refuse("messageDate outside the accepted window", FAULT_EXPIRED)
        if not is_valid_identifier(request.identifier):
            return self._refuse("IIN/BIN is not a valid identifier", FAULT_BAD_REQUEST)

        table = (
            self.seed.persons
            if request.info.service_id == protocol.SERVICE_PERSON
            else self.seed.organizations
        )
        record = table.get(request.identifier)
        status = protocol.STATUS_OK if record is not None else protocol.STATUS_NOT_FOUND
        self._count("answered" if record is not None else "not_found")
        envelope = protocol.build_response(
            request.info, status_code=status, status_message=STATUS_MESSAGES[status], record=record
        )
        signed = protocol.sign_envelope(envelope, self.key, self.cert)
        if behaviour.tamper_responses:
            signed = tamper(signed)
        return 200, signed

    def _refuse(self, message: str, detail_code: str) -> tuple[int, bytes]:
        # SOAP 1.1 over HTTP: a fault travels with HTTP 500; "soap:Client" tells the caller
        # that repeating the same message will not help.
        self._count("refused")
        return 500, protocol.build_fault("soap:Client", message, detail_code)


def tamper(signed: bytes) -> bytes:
    """Change the signed Body after signing (one character of the status message)."""
    marker = b"<message>"
    position = signed.index(marker) + len(marker)
    return signed[:position] + b"X" + signed[position:]


# ------------------------------------------------------------------ HTTP


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client reuses its connection
    server_version = "qyzmet-registry-simulator"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle's algorithm and
        # the peer's delayed ACK add ~40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def simulator(self) -> RegistrySimulator:
        return self.server.simulator  # type: ignore[attr-defined]

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, payload: dict) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._send_json(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length required"})
            self.close_connection = True
            return None
        if int(length) > protocol.MAX_MESSAGE_BYTES:
            self._send_json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "too large"})
            self.close_connection = True
            return None
        return self.rfile.read(int(length))

    def _from_loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.client_address[0]).is_loopback
        except ValueError:
            return False

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/health":
            self._send_json(HTTPStatus.OK, {"status": "ok", **self.simulator.snapshot()})
        elif self.path == "/control" and self._from_loopback():
            self._send_json(HTTPStatus.OK, self.simulator.snapshot())
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802
        body = self._read_body()
        if body is None:
            return
        if self.path == self.server.endpoint_path:  # type: ignore[attr-defined]
            status, answer = self.simulator.handle(body)
            self._send(status, answer, "text/xml; charset=utf-8")
        elif self.path == "/control":
            self._control(body)
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def _control(self, body: bytes) -> None:
        if not self._from_loopback():
            self._send_json(HTTPStatus.FORBIDDEN, {"error": "control is for loopback callers only"})
            return
        try:
            changes = json.loads(body or b"{}")
            if not isinstance(changes, dict):
                raise ValueError("expected a JSON object")
            allowed = {"delay_ms", "fail_rate", "tamper_responses", "seed"}
            unknown = set(changes) - allowed
            if unknown:
                raise ValueError(f"unknown settings: {sorted(unknown)}")
            if "delay_ms" in changes:
                changes["delay_ms"] = int(changes["delay_ms"])
            if "fail_rate" in changes:
                changes["fail_rate"] = float(changes["fail_rate"])
            if "tamper_responses" in changes:
                changes["tamper_responses"] = bool(changes["tamper_responses"])
            self.simulator.configure(**changes)
        except (ValueError, TypeError) as exc:
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
            return
        self._send_json(HTTPStatus.OK, self.simulator.snapshot())


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    # Slow mode answers after the client gave up: its write then fails; that is expected.
    def handle_error(self, request, client_address) -> None:  # noqa: D102
        if self.verbose:
            super().handle_error(request, client_address)


def make_server(
    simulator: RegistrySimulator,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    path: str = DEFAULT_PATH,
    verbose: bool = False,
) -> SimulatorServer:
    server = SimulatorServer((host, port), _Handler)
    server.simulator = simulator  # type: ignore[attr-defined]
    server.endpoint_path = path  # type: ignore[attr-defined]
    server.verbose = verbose  # type: ignore[attr-defined]
    return server
