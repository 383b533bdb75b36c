"""The e-gov gateway (ШЭП) client: signed lookups in GBD FL (persons) and GBD UL (legal entities).

Regulation p.10 "через услугодателя": процесс 4 (the request through the gateway),
условие 2 (the applicant's data checked in GBD FL/UL) and процесс 5 (no data → message).

Every failure ends as a :class:`~qyzmet.core.refusals.Refused` with a code, never as another
exception: ``gateway_unavailable`` (connect errors, timeouts, 5xx, circuit open),
``gateway_bad_signature`` (the response's signature is invalid or not the pinned peer's),
``gateway_bad_response`` (malformed, or an answer to another request or about another
person), ``gateway_rejected`` (the gateway refused our request: a SOAP Client fault, 4xx).
"Not found" is not a failure: the lookup returns None (процесс 5).

Only the idempotent failures are retried (connect errors, timeouts, 5xx), at most
``retries`` times with exponential back-off and jitter; the same signed message (same
messageId) is re-sent, a lookup being a read. Every lookup is logged (``GatewayExchange``).

A lookup has a total time ``budget`` (seconds): each attempt's connect and read timeouts are
cut to what is left of it, no back-off sleeps past it, and no attempt starts without at least
``MIN_ATTEMPT_SECONDS`` left — a slow registry costs the desk at most the budget, not
(retries + 1) × the read timeout.
"""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from qyzmet.core.identifiers import validate_bin, validate_iin
from qyzmet.core.refusals import Refused

from . import protocol
from . import refusals as _refusals  # noqa: F401  (registers the codes)
from .actions import log_exchange
from .breaker import CircuitBreaker
from .keys import load_certificate, load_private_key
from .models import Outcome

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PersonRecord:
    """A person as GBD FL gave it. ``message_id`` names the logged exchange."""

    iin: str
    surname: str
    name: str
    patronymic: str
    birth_date: dt.date | None
    address: str
    message_id: str

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)

    @property
    def display_name(self) -> str:
        return self.full_name

    def details(self) -> dict:
        """What a case keeps of the answer (``applicant_details``)."""
        return {
            "source": "gbd_fl",
            "message_id": self.message_id,
            "surname": self.surname,
            "name": self.name,
            "patronymic": self.patronymic,
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "address": self.address,
        }


@dataclass(frozen=True)
class OrganizationRecord:
    """A legal entity as GBD UL gave it. ``message_id`` names the logged exchange."""

    bin: str
    name: str
    registration_date: dt.date | None
    head_iin: str
    head_name: str
    address: str
    message_id: str

    @property
    def display_name(self) -> str:
        return self.name

    def details(self) -> dict:
        """What a case keeps of the answer (``applicant_details``)."""
        return {
            "source": "gbd_ul",
            "message_id": self.message_id,
            "registration_date": (
                self.registration_date.isoformat() if self.registration_date else ""
            ),
            "head_iin": self.head_iin,
            "head_name": self.head_name,
            "address": self.address,
        }


def _record(service_id: str, record: dict, message_id: str) -> PersonRecord | OrganizationRecord:
    if service_id == protocol.SERVICE_PERSON:
        return PersonRecord(
            iin=record["iin"],
            surname=record["surname"],
            name=record["name"],
            patronymic=record["patronymic"],
            birth_date=record["birthDate"],
            address=record["address"],
            message_id=message_id,
        )
    return OrganizationRecord(
        bin=record["bin"],
        name=record["name"],
        registration_date=record["registrationDate"],
        head_iin=record["headIin"],
        head_name=record["headName"],
        address=record["address"],
        message_id=message_id,
    )


def _with_dates(record: dict, service_id: str) -> dict:
    """The record's date as a date (raises ValueError for a malformed one)."""
    record = dict(record)
    name = "birthDate" if service_id == protocol.SERVICE_PERSON else "registrationDate"
    record[name] = dt.date.fromisoformat(record[name]) if record.get(name) else None
    return record


def recorded_lookup(exchange) -> PersonRecord | OrganizationRecord | None:
    """The record a successful, logged lookup returned, read back from the response the
    exchange log keeps (it was verified — signature, correlation, subject — on arrival);
    None when the exchange did not end with a record."""
    if exchange.outcome != Outcome.OK or not exchange.response_xml:
        return None
    try:
        root = protocol.parse_xml(exchange.response_xml.encode("utf-8"))
        body = root.find(f"{{{protocol.SOAP}}}Body")
        record = protocol.parse_response(body).record if body is not None else None
        if record is None:
            return None
        return _record(
            exchange.service_id, _with_dates(record, exchange.service_id), str(exchange.message_id)
        )
    except (protocol.ProtocolError, ValueError, KeyError):
        return None


MIN_ATTEMPT_SECONDS = 0.2


class _Failure(Exception):
    def __init__(self, outcome: str, code: str, detail: str, *, retryable: bool) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.code = code
        self.detail = detail
        self.retryable = retryable


_STALE_CONNECTION_ERRORS = (
    http.client.RemoteDisconnected,
    http.client.CannotSendRequest,
    BrokenPipeError,
    ConnectionResetError,
    ConnectionAbortedError,
)


def _as_key(key) -> rsa.RSAPrivateKey:
    return key if isinstance(key, rsa.RSAPrivateKey) else load_private_key(key)


def _as_cert(cert) -> x509.Certificate:
    return cert if isinstance(cert, x509.Certificate) else load_certificate(cert)


class GatewayClient:
    """A thread-safe client; one persistent HTTP connection per thread (keep-alive)."""

    def __init__(
        self,
        url: str,
        key: rsa.RSAPrivateKey | str | Path,
        cert: x509.Certificate | str | Path,
        peer_cert: x509.Certificate | str | Path | list,
        timeout: float | tuple[float, float] = (2.0, 5.0),
        retries: int = 2,
        backoff: float = 0.2,
        breaker: CircuitBreaker | None = None,
        *,
        sender_id: str = "QYZMET",
        backoff_max: float = 2.0,
        budget: float | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"gateway URL must be http(s)://host[:port]/path, got {url!r}")
        self.url = url
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._path = parts.path or "/"
        if parts.query:
            self._path += f"?{parts.query}"
        self.key = _as_key(key)
        self.cert = _as_cert(cert)
        peers = peer_cert if isinstance(peer_cert, list | tuple) else [peer_cert]
        self.peer_certs = [_as_cert(item) for item in peers]
        if not self.peer_certs:
            raise ValueError("at least one pinned peer certificate is required")
        if isinstance(timeout, tuple):
            self.connect_timeout, self.read_timeout = timeout
        else:
            self.connect_timeout = self.read_timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.backoff_max = float(backoff_max)
        self.breaker = breaker or CircuitBreaker()
        self.sender_id = sender_id
        self.budget = float(budget) if budget else None
        self._local = threading.local()

    # ------------------------------------------------------------------ public API

    def lookup_person(self, iin: str, *, application=None, actor=None) -> PersonRecord | None:
        """GBD FL by IIN; None when GBD FL has no such person (процесс 5)."""
        iin = validate_iin(iin)
        record, message_id = self._lookup(protocol.SERVICE_PERSON, iin, application, actor)
        return None if record is None else _record(protocol.SERVICE_PERSON, record, message_id)

    def lookup_organization(
        self, bin: str, *, application=None, actor=None
    ) -> OrganizationRecord | None:
        """GBD UL by BIN; None when GBD UL has no such legal entity (процесс 5)."""
        bin = validate_bin(bin)
        record, message_id = self._lookup(protocol.SERVICE_ORGANIZATION, bin, application, actor)
        if record is None:
            return None
        return _record(protocol.SERVICE_ORGANIZATION, record, message_id)

    def close(self) -> None:
        """Close this thread's connection."""
        self._drop_connection()

    # ------------------------------------------------------------------ one lookup

    def _lookup(self, service_id: str, identifier: str, application, actor):
        message_id = str(uuid.uuid4())
        request_xml = protocol.sign_envelope(
            protocol.build_request(
                service_id, identifier, sender_id=self.sender_id, message_id=message_id
            ),
            self.key,
            self.cert,
        )
        started_at = timezone.now()
        started = time.perf_counter()
        state = {"attempts": 0, "http_status": None, "response": b""}
        outcome, error_code, error_detail, record = Outcome.OK, "", "", None
        response_message_id = ""
        try:
            response = self._exchange(request_xml, state)
            record = self._accept(response, message_id, service_id, identifier)
            response_message_id = response.message_id
            outcome = Outcome.OK if record is not None else Outcome.NOT_FOUND
        except _Failure as failure:
            outcome, error_code, error_detail = failure.outcome, failure.code, failure.detail
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000)
            log_exchange(
                message_id=message_id,
                service_id=service_id,
                url=self.url,
                subject_identifier=identifier,
                outcome=outcome,
                started_at=started_at,
                duration_ms=duration_ms,
                attempts=state["attempts"],
                http_status=state["http_status"],
                request_xml=request_xml.decode("utf-8"),
                response_xml=state["response"].decode("utf-8", errors="replace"),
                response_message_id=response_message_id,
                error_code=error_code,
                error_detail=error_detail[:2000],
                application=application,
                actor=actor,
            )
        if error_code:
            logger.warning(
                "gateway %s %s: %s (%s)", service_id, message_id, error_code, error_detail
            )
            raise Refused(error_code)
        return record, message_id

    def _exchange(self, request_xml: bytes, state: dict) -> protocol.Response:
        """Send with retries; return the verified, parsed response or raise _Failure."""
        last_attempt = self.retries + 1
        deadline = None if self.budget is None else time.monotonic() + self.budget
        for attempt in range(1, last_attempt + 1):
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left < MIN_ATTEMPT_SECONDS:
                raise _Failure(
                    Outcome.TIMEOUT,
                    "gateway_unavailable",
                    f"time budget of {self.budget:g} s spent after {attempt - 1} attempt(s)",
                    retryable=False,
                )
            if not self.breaker.allow():
                raise _Failure(
                    Outcome.CIRCUIT_OPEN,
                    "gateway_unavailable",
                    f"circuit open (before attempt {attempt})",
                    retryable=False,
                )
            state["attempts"] = attempt
            try:
                response = self._attempt(request_xml, state, left)
            except _Failure as failure:
                if not failure.retryable:
                    self.breaker.record_success()  # the gateway answered: it is up
                    raise
                self.breaker.record_failure()
                delay = self._backoff_delay(attempt)
                if attempt == last_attempt or (
                    deadline is not None
                    and time.monotonic() + delay + MIN_ATTEMPT_SECONDS > deadline
                ):
                    raise
                time.sleep(delay)
                continue
            self.breaker.record_success()
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff_delay(self, attempt: int) -> float:
        # "Equal jitter": half the exponential delay fixed, half random, so that clients
        # failing together do not retry together.
        delay = min(self.backoff_max, self.backoff * 2 ** (attempt - 1))
        return delay / 2 + random.uniform(0, delay / 2)

    def _attempt(self, request_xml: bytes, state: dict, left: float | None) -> protocol.Response:
        try:
            status, body = self._post(request_xml, left)
        except TimeoutError as exc:
            raise _Failure(
                Outcome.TIMEOUT, "gateway_unavailable", f"timeout: {exc}", retryable=True
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise _Failure(
                Outcome.ERROR, "gateway_unavailable", f"{type(exc).__name__}: {exc}", retryable=True
            ) from exc
        state["http_status"], state["response"] = status, body

        fault = protocol.parse_fault(body)
        if fault is not None:
            if fault.is_client_fault:
                raise _Failure(
                    Outcome.REJECTED,
                    "gateway_rejected",
                    f"HTTP {status} fault {fault.code} {fault.detail_code}: {fault.string}",
                    retryable=False,
                )
            raise _Failure(
                Outcome.ERROR,
                "gateway_unavailable",
                f"HTTP {status} fault {fault.code} {fault.detail_code}: {fault.string}",
                retryable=True,
            )
        if status >= 500:
            raise _Failure(Outcome.ERROR, "gateway_unavailable", f"HTTP {status}", retryable=True)
        if status != 200:
            raise _Failure(Outcome.REJECTED, "gateway_rejected", f"HTTP {status}", retryable=False)
        try:
            verified = protocol.verify_envelope(body, self.peer_certs)
            return protocol.parse_response(verified.body)
        except protocol.SignatureError as exc:
            raise _Failure(
                Outcome.BAD_SIGNATURE, "gateway_bad_signature", str(exc), retryable=False
            ) from exc
        except protocol.ProtocolError as exc:
            raise _Failure(
                Outcome.ERROR, "gateway_bad_response", str(exc), retryable=False
            ) from exc

    def _accept(
        self, response: protocol.Response, message_id: str, service_id: str, identifier: str
    ) -> dict | None:
        """Check the signed answer belongs to our question and convert its dates."""

        def bad(detail: str) -> _Failure:
            return _Failure(Outcome.ERROR, "gateway_bad_response", detail, retryable=False)

        if response.correlation_id != message_id:
            # A validly signed answer to another request (a replay, or a mix-up).
            raise bad(f"correlationId {response.correlation_id!r} is not our {message_id!r}")
        if response.status_code == protocol.STATUS_NOT_FOUND:
            return None
        if response.status_code != protocol.STATUS_OK:
            raise _Failure(
                Outcome.REJECTED,
                "gateway_rejected",
                f"status {response.status_code}: {response.status_message}",
                retryable=False,
            )
        record = response.record
        key = "iin" if service_id == protocol.SERVICE_PERSON else "bin"
        if record is None or key not in record:
            raise bad("a success status without the record")
        if record[key] != identifier:
            raise bad(f"the record is about {record[key]!r}, not {identifier!r}")
        try:
            return _with_dates(record, service_id)
        except ValueError as exc:
            raise bad(f"bad date: {exc}") from exc

    # ------------------------------------------------------------------ transport

    def _new_connection(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        return cls(self._host, self._port, timeout=self.connect_timeout)

    def _drop_connection(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()

    def _post(self, payload: bytes, left: float | None = None) -> tuple[int, bytes]:
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": '"SendMessage"',
            "Connection": "keep-alive",
        }
        connection = getattr(self._local, "connection", None)
        reused = connection is not None
        if connection is None:
            connection = self._local.connection = self._new_connection()
        try:
            return self._roundtrip(connection, payload, headers, left)
        except _STALE_CONNECTION_ERRORS:
            self._drop_connection()
            if not reused:
                raise
            # The server closed our idle keep-alive connection: not a failure of the
            # gateway, so reconnect once without counting an attempt.
            connection = self._local.connection = self._new_connection()
            try:
                return self._roundtrip(connection, payload, headers, left)
            except BaseException:
                self._drop_connection()
                raise
        except BaseException:
            self._drop_connection()
            raise

    def _roundtrip(
        self, connection, payload: bytes, headers: dict, left: float | None = None
    ) -> tuple[int, bytes]:
        connect_timeout, read_timeout = self.connect_timeout, self.read_timeout
        if left is not None:  # the lookup's budget cuts both
            connect_timeout, read_timeout = min(connect_timeout, left), min(read_timeout, left)
        if connection.sock is None:
            connection.timeout = connect_timeout
            connection.connect()
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection.sock.settimeout(read_timeout)
        connection.request("POST", self._path, body=payload, headers=headers)
        response = connection.getresponse()
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > protocol.MAX_MESSAGE_BYTES:
            self._drop_connection()
            raise http.client.HTTPException("response too large")
        body = response.read(protocol.MAX_MESSAGE_BYTES + 1)
        if len(body) > protocol.MAX_MESSAGE_BYTES:
            self._drop_connection()
            raise http.client.HTTPException("response too large")
        if response.will_close:
            self._drop_connection()
        return response.status, body
