"""An NCALayer simulator for the demo and the tests: a separate process speaking NCALayer's
WebSocket protocol on 127.0.0.1 (``qyzmet ncalayer-simulator``; ../shared/domain/EDS.md,
"NCALayer protocol").

What it does, as NCALayer does:

- on connect it greets with ``{"result":{"version":"1.4"}}``; the text ``--heartbeat--`` is
  echoed;
- ``kz.gov.pki.knca.basics`` ``sign`` (format ``cms``): ``data`` is base64 (``decode: true``)
  or text, one document or a list; ``signingParams.encapsulate`` (default true) chooses an
  attached or a detached CMS; ``signerParams`` filters the keys — every OID of
  ``extKeyUsageOids`` must be in the certificate, ``iin``/``bin`` must be the certificate's —
  and no matching key is an error, as in NCALayer's dialog with no certificate to choose.
  The reply is ``{"status":true,"body":{"result":[<base64 CMS>, …]}}``; a cancelled dialog
  is ``{"status":true,"body":{}}``; an error ``{"status":false,"code":…,"message":…,
  "details":…}``;
- ``kz.gov.pki.knca.commonUtils``: ``getActiveTokens`` (no hardware token: ``[]``),
  ``getKeyInfo``, ``createCAdESFromBase64``; reply ``{"code":"200","responseObject":…}``,
  errors with another code (a cancelled dialog: ``500`` / ``action.canceled``).

What it does not: no dialog (it signs with the first key that matches, as if the person
picked it), no timestamp (``tsaProfile`` is accepted; there is no TSA in the demo), no
``digested`` signing or ``createCAdESFromBase64Hash`` and no XML (each answered with an
error saying so). It signs with ``qyzmet.eds.signing`` — whatever key kinds that module
signs with, the simulator signs with.

The key store is one person's key files: ``--key FILE --password P`` (repeatable) or
``--person ID`` of the demo PKI (their signing and authentication keys). It can be changed
at run time, with the answers (``sign``, ``cancel``, ``error``) and the greeting, through
the control channel: a WebSocket at ``/control`` that takes JSON objects and answers the
state. A web page cannot use it: browsers send an ``Origin`` header and such connections
are refused. ``qyzmet ncalayer-simulator control --person zhumabaev`` uses it from a shell.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import ssl
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

VERSION = "1.4"
HEARTBEAT = "--heartbeat--"
BASICS = "kz.gov.pki.knca.basics"
COMMON_UTILS = "kz.gov.pki.knca.commonUtils"
CONTROL_PATH = "/control"
DEFAULT_PORT = 13579
STORAGES = (
    "PKCS12",
    "AKKaztokenStore",
    "AKKZIDCardStore",
    "AKEToken72KStore",
    "AKEToken5110Store",
    "AKJaCartaStore",
    "AKAKEYStore",
    "JKS",
)
FILE_STORAGE = "PKCS12"
EKU_SIGNATURE = "1.3.6.1.5.5.7.3.4"  # emailProtection: NCA's signing keys
EKU_AUTHENTICATION = "1.3.6.1.5.5.7.3.2"  # clientAuth: NCA's authentication keys
ANSWERS = ("sign", "cancel", "error")
CANCELED = "action.canceled"
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class SimulatorError(Exception):
    """A request the simulator answers with NCALayer's error reply."""

    def __init__(self, message: str, details: str = "", code: str = "500") -> None:
        super().__init__(message)
        self.message, self.details, self.code = message, details, code


@dataclass(frozen=True)
class KeyEntry:
    """One key file in the store: its bytes, password and certificate."""

    label: str
    p12: bytes = field(repr=False)
    password: str = field(repr=False)
    certificate_der: bytes = field(repr=False)
    iin: str | None
    bin: str | None
    common_name: str | None
    ekus: frozenset[str]
    subject: str
    issuer: str
    issuer_cn: str | None
    serial: str
    not_before: str
    not_after: str
    algorithm: str | None

    @classmethod
    def load(cls, p12: bytes, password: str, label: str) -> KeyEntry:
        from qyzmet.eds.pkcs12 import load_pkcs12
        from qyzmet.eds.profile import profile_of

        bundle = load_pkcs12(p12, password, require_key=True)
        if bundle.certificate is None:
            raise ValueError(f"{label}: the key file holds no certificate for its key")
        certificate = bundle.certificate
        profile = profile_of(certificate)
        return cls(
            label=label,
            p12=p12,
            password=password,
            certificate_der=certificate.der,
            iin=profile.iin,
            bin=profile.bin,
            common_name=profile.common_name,
            ekus=certificate.extended_key_usage,
            subject=certificate.subject.human_friendly,
            issuer=certificate.issuer.human_friendly,
            issuer_cn=certificate.issuer_common_name,
            serial=format(certificate.serial, "x"),
            not_before=profile.not_before,
            not_after=profile.not_after,
            algorithm=profile.algorithm,
        )

    @property
    def key_type(self) -> str:
        if EKU_SIGNATURE in self.ekus:
            return "SIGNATURE"
        if EKU_AUTHENTICATION in self.ekus:
            return "AUTHENTICATION"
        return "UNKNOWN"

    def matches(self, ekus: list[str], iin: str | None, bin_: str | None) -> bool:
        return (
            all(oid in self.ekus for oid in ekus)
            and (not iin or iin == self.iin)
            and (not bin_ or bin_ == self.bin)
        )

    def sign(self, data: bytes, *, attached: bool) -> bytes:
        """The CMS by ``qyzmet.eds.signing``; a key it cannot sign with is NCALayer's error."""
        from qyzmet.eds.errors import EdsError
        from qyzmet.eds.signing import sign_attached, sign_detached

        signer = sign_attached if attached else sign_detached
        try:
            return signer(data, self.p12, self.password)
        except EdsError as error:
            raise SimulatorError("Signing failed", str(error)) from error

    def describe(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "iin": self.iin,
            "bin": self.bin,
            "common_name": self.common_name,
            "key_type": self.key_type,
            "algorithm": self.algorithm,
        }

    def key_info(self) -> dict[str, Any]:
        """``getKeyInfo``'s answer (the field names of NCALayer's commonUtils)."""
        pem = base64.encodebytes(self.certificate_der).decode().replace("\n", "")
        return {
            "alias": self.label,
            "keyId": self.serial,
            "algorithm": (self.algorithm or "").upper(),
            "subjectCn": self.common_name,
            "subjectDn": self.subject,
            "issuerCn": self.issuer_cn,
            "issuerDn": self.issuer,
            "serialNumber": self.serial,
            "certNotBefore": self.not_before,
            "certNotAfter": self.not_after,
            "pem": f"-----BEGIN CERTIFICATE-----{pem}-----END CERTIFICATE-----",
        }


def load_key_file(path: str | Path, password: str) -> KeyEntry:
    path = Path(path)
    return KeyEntry.load(path.read_bytes(), password, path.name)


def person_keys(pki_dir: str | Path, person_id: str) -> list[KeyEntry]:
    """The demo person's key files (signing first, then authentication); ``ValueError``
    for a folder without a demo PKI or an unknown person."""
    from qyzmet.demo.pki import person

    pki_dir = Path(pki_dir)
    if not (pki_dir / "index.json").exists():
        raise ValueError(f"no demo PKI in {pki_dir} (make run creates it; or give --key)")
    try:
        entry = person(pki_dir, person_id)
    except KeyError:
        raise ValueError(f"no person {person_id!r} in the demo PKI {pki_dir}") from None
    return [
        load_key_file(pki_dir / entry[f"{purpose}_p12"], entry["password"])
        for purpose in ("sign", "auth")
        if entry.get(f"{purpose}_p12")
    ]


@dataclass
class Behaviour:
    answer: str = "sign"  # sign | cancel | error
    error_code: str = "500"
    error_message: str = "Internal error (simulated)"
    greeting: bool = True  # False: accept connections and say nothing (a hung NCALayer)

    def validate(self) -> None:
        if self.answer not in ANSWERS:
            raise ValueError(f"answer must be one of {', '.join(ANSWERS)}")


@dataclass
class Counters:
    connections: int = 0
    requests: int = 0
    signed: int = 0
    cancelled: int = 0
    errors: int = 0


class NCALayerSimulator:
    """The protocol, independent of the socket: a JSON text in, a JSON text out."""

    def __init__(
        self,
        keys: list[KeyEntry],
        *,
        behaviour: Behaviour | None = None,
        pki_dir: str | Path | None = None,
        person: str | None = None,
    ) -> None:
        self.keys = list(keys)
        self.behaviour = behaviour or Behaviour()
        self.behaviour.validate()
        self.pki_dir = Path(pki_dir) if pki_dir else None
        self.person = person
        self.counters = Counters()
        self.last_request: dict[str, Any] | None = None

    # -------------------------------------------------------------- control

    def snapshot(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "keys": [key.describe() for key in self.keys],
            "behaviour": asdict(self.behaviour),
            "counters": asdict(self.counters),
            "last_request": self.last_request,
        }

    def control(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply ``changes`` (``person``, ``keys``: [{file, password}], ``answer``,
        ``error_code``, ``error_message``, ``greeting``, ``reset_counters``) all or nothing."""
        allowed = {"person", "keys", "reset_counters", *asdict(Behaviour())}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        keys, person = self.keys, self.person
        if "person" in changes:
            if self.pki_dir is None:
                raise ValueError("no demo PKI directory: start the simulator with --pki")
            person = str(changes["person"])
            keys = person_keys(self.pki_dir, person)
        if "keys" in changes:
            keys = [load_key_file(item["file"], item["password"]) for item in changes["keys"]]
            person = None
        behaviour_changes = {k: v for k, v in changes.items() if k in asdict(Behaviour())}
        behaviour = Behaviour(**{**asdict(self.behaviour), **behaviour_changes})
        behaviour.greeting = bool(behaviour.greeting)
        behaviour.validate()
        self.keys, self.person, self.behaviour = keys, person, behaviour
        if changes.get("reset_counters"):
            self.counters, self.last_request = Counters(), None
        return self.snapshot()

    # -------------------------------------------------------------- one request

    async def handle(self, text: str) -> dict[str, Any]:
        self.counters.requests += 1
        try:
            request = json.loads(text)
            if not isinstance(request, dict):
                raise ValueError
        except ValueError:
            return self._common_error(SimulatorError("Bad request", "not a JSON object"))
        module, method = request.get("module"), request.get("method")
        self.last_request = _summary(request)
        if module == BASICS:
            try:
                result = await self._basics(method, request.get("args"))
            except _Cancel:
                result = None
            except SimulatorError as error:
                self.counters.errors += 1
                return {
                    "status": False,
                    "code": error.code,
                    "message": error.message,
                    "details": error.details,
                }
            if result is None:
                self.counters.cancelled += 1
                return {"status": True, "body": {}}
            return {"status": True, "body": {"result": result}}
        try:
            if module != COMMON_UTILS:
                raise SimulatorError("module.not.found", f"no module {module!r}")
            result = await self._common_utils(method, request.get("args") or [])
        except SimulatorError as error:
            return self._common_error(error)
        return {"code": "200", "message": "", "responseObject": result}

    def _common_error(self, error: SimulatorError) -> dict[str, Any]:
        if error.message == CANCELED:
            self.counters.cancelled += 1
        else:
            self.counters.errors += 1
        return {"code": error.code, "message": error.message}

    def _check_behaviour(self, cancel: Exception | None) -> None:
        behaviour = self.behaviour
        if behaviour.answer == "error":
            raise SimulatorError(behaviour.error_message, "simulated", behaviour.error_code)
        if behaviour.answer == "cancel" and cancel is not None:
            raise cancel

    async def _basics(self, method: str, args: Any) -> list[str] | None:
        if method != "sign":
            raise SimulatorError("Unknown method", f"{BASICS} has no method {method!r}")
        if not isinstance(args, dict):
            raise SimulatorError("Bad request", "args must be an object")
        if args.get("format") != "cms":
            raise SimulatorError("Unsupported format", "the simulator signs format cms only")
        signing = args.get("signingParams") or {}
        signer = args.get("signerParams") or {}
        if not isinstance(signing, dict) or not isinstance(signer, dict):
            raise SimulatorError("Bad request", "signingParams and signerParams are objects")
        if signing.get("digested"):
            raise SimulatorError("Unsupported parameter", "the simulator does not sign digests")
        data = args.get("data")
        documents = data if isinstance(data, list) else [data]
        if not documents or not all(isinstance(item, str) for item in documents):
            raise SimulatorError("Bad request", "data must be a string or a list of strings")
        decode = bool(signing.get("decode", False))
        contents = [_decode(item) if decode else item.encode("utf-8") for item in documents]
        self._check_behaviour(cancel=_Cancel())
        allowed = args.get("allowedStorages")
        ekus = signer.get("extKeyUsageOids") or []
        key = self._pick(
            ekus=[str(oid) for oid in ekus] if isinstance(ekus, list) else [],
            iin=signer.get("iin") or None,
            bin_=signer.get("bin") or None,
            file_storage_allowed=allowed is None or FILE_STORAGE in (allowed or []),
        )
        attached = bool(signing.get("encapsulate", True))
        signatures = [
            await asyncio.to_thread(key.sign, item, attached=attached) for item in contents
        ]
        self.counters.signed += len(signatures)
        return [base64.b64encode(signature).decode("ascii") for signature in signatures]

    def _pick(
        self, *, ekus: list[str], iin: str | None, bin_: str | None, file_storage_allowed: bool
    ) -> KeyEntry:
        candidates = self.keys if file_storage_allowed else []
        for key in candidates:
            if key.matches(ekus, iin, bin_):
                return key
        wanted = ", ".join(
            part for part in (f"IIN {iin}" if iin else "", f"BIN {bin_}" if bin_ else "") if part
        )
        raise SimulatorError(
            "No suitable certificate found",
            "no key in the storage matches the signer parameters"
            + (f" ({wanted})" if wanted else ""),
        )

    async def _common_utils(self, method: str, args: list) -> Any:
        if not isinstance(args, list):
            raise SimulatorError("Bad request", "args must be a list")
        if method == "getActiveTokens":
            self._check_behaviour(cancel=None)
            return []  # hardware tokens plugged in: none (key files are storage "PKCS12")
        if method == "getKeyInfo":
            self._storage(args)
            self._check_behaviour(cancel=SimulatorError(CANCELED))
            if not self.keys:
                raise SimulatorError("storage.empty")
            return self.keys[0].key_info()
        if method == "createCAdESFromBase64":
            self._storage(args)
            if len(args) < 3 or not isinstance(args[2], str):
                raise SimulatorError("Bad request", "args: [storage, keyType, base64, attach]")
            content = _decode(args[2])
            self._check_behaviour(cancel=SimulatorError(CANCELED))
            key_type = args[1]
            ekus = {"SIGNATURE": [EKU_SIGNATURE], "AUTHENTICATION": [EKU_AUTHENTICATION]}
            key = self._pick(
                ekus=ekus.get(key_type, []), iin=None, bin_=None, file_storage_allowed=True
            )
            attached = bool(args[3]) if len(args) > 3 else False
            signature = await asyncio.to_thread(key.sign, content, attached=attached)
            self.counters.signed += 1
            return base64.b64encode(signature).decode("ascii")
        if method in ("createCAdESFromBase64Hash", "signXml", "signXmls"):
            raise SimulatorError("Unsupported method", f"{method} is not simulated")
        raise SimulatorError("method.not.found", f"{COMMON_UTILS} has no method {method!r}")

    @staticmethod
    def _storage(args: list) -> None:
        if not args or args[0] not in STORAGES:
            raise SimulatorError("Bad request", f"unknown storage {args[:1]!r}")
        if args[0] != FILE_STORAGE:
            raise SimulatorError("storage.empty", f"no {args[0]} device is connected")


class _Cancel(SimulatorError):
    def __init__(self) -> None:
        super().__init__(CANCELED)


def _decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SimulatorError("Bad request", "data is not base64") from None


def _summary(request: dict[str, Any]) -> dict[str, Any]:
    """What a request asked for, without the data (tests look at the parameters sent)."""
    args = request.get("args")
    if isinstance(args, dict):
        args = {k: v for k, v in args.items() if k not in ("data", "logo")}
    elif isinstance(args, list):
        args = [a if not isinstance(a, str) or len(a) < 200 else f"<{len(a)} chars>" for a in args]
    return {"module": request.get("module"), "method": request.get("method"), "args": args}


# ------------------------------------------------------------------ the socket


async def _serve_connection(simulator: NCALayerSimulator, connection) -> None:
    from websockets.exceptions import ConnectionClosed

    try:
        if connection.request.path.split("?")[0] == CONTROL_PATH:
            await _control_connection(simulator, connection)
            return
        simulator.counters.connections += 1
        if simulator.behaviour.greeting:
            await connection.send(json.dumps({"result": {"version": VERSION}}))
        async for message in connection:
            if message == HEARTBEAT:
                await connection.send(HEARTBEAT)
                continue
            if isinstance(message, bytes):
                message = message.decode("utf-8", "replace")
            if not simulator.behaviour.greeting:
                continue  # a hung NCALayer answers nothing
            await connection.send(json.dumps(await simulator.handle(message)))
    except ConnectionClosed:
        pass


async def _control_connection(simulator: NCALayerSimulator, connection) -> None:
    if connection.request.headers.get("Origin") is not None:
        await connection.close(1008, "the control channel is not for web pages")
        return
    async for message in connection:
        try:
            changes = json.loads(message)
            if not isinstance(changes, dict):
                raise ValueError("expected a JSON object")
            answer = simulator.control(changes)
        except (ValueError, TypeError, KeyError, OSError) as exc:
            answer = {"error": str(exc)}
        except Exception as exc:  # an unreadable key file (EdsError) and the like
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        await connection.send(json.dumps(answer))


def tls_context(cert: str | Path, key: str | Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    return context


async def run(
    simulator: NCALayerSimulator,
    host: str,
    port: int,
    *,
    tls: ssl.SSLContext | None = None,
    ready=None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until ``stop`` is set; ``ready(url)`` is called once the socket listens."""
    from websockets.asyncio.server import serve

    async def handler(connection) -> None:
        await _serve_connection(simulator, connection)

    async with serve(
        handler,
        host,
        port,
        ssl=tls,
        max_size=MAX_MESSAGE_BYTES,
        ping_interval=None,  # NCALayer's clients keep the line alive with --heartbeat--
        server_header="qyzmet-ncalayer-simulator",
    ) as server:
        bound = server.sockets[0].getsockname()
        if ready is not None:
            ready(f"{'wss' if tls else 'ws'}://{bound[0]}:{bound[1]}/")
        await (stop or asyncio.Event()).wait()


def control(url: str, **changes: Any) -> dict[str, Any]:
    """Change a running simulator (``url``: its ws(s):// address) and return its state."""
    from websockets.sync.client import connect

    target = url.rstrip("/") + CONTROL_PATH
    options = {}
    if target.startswith("wss://"):
        options["ssl"] = ssl._create_unverified_context()  # noqa: S323 -- loopback, demo only
    with connect(target, max_size=MAX_MESSAGE_BYTES, **options) as connection:
        connection.send(json.dumps(changes))
        answer = json.loads(connection.recv(timeout=30))
    if "error" in answer:
        raise ValueError(answer["error"])
    return answer
