"""Builders of realistic inputs shared by the tests, the demo data and the benchmarks.

Nothing here is used by the running system's own logic; it only makes valid (or deliberately
broken) inputs the way an applicant or a clerk would.
"""

from __future__ import annotations

import io
import struct
import threading
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections, transaction

DEMO_STAFF_PASSWORD = "demo-Qyzmet-2026"  # noqa: S105  (demo accounts only, printed by make run)
PORTAL_PASSWORD = "Portal-Pass-2026!"  # noqa: S105  (the portal password of test accounts)
ABENOVA_IIN = "900101300007"  # the IIN of the demo PKI's "abenova" (module-level parameters)


def temporary_export_form(*, items: int = 1, photo_prefix: str = "photo") -> dict:
    return {
        "receiving_party": "Государственный Эрмитаж",
        "country": "RU",
        "purpose": "temporary_exhibition",
        "purpose_details": "Выставка «Сокровища степи», Санкт-Петербург",
        "export_period": {"from": "2026-06-01", "until": "2026-09-30"},
        "items": [
            {
                "name": f"Ковёр ворсовый «Қызыл гүл» №{n + 1}",
                "author": "неизвестный мастер",
                "dating": "конец XIX века",
                "material_technique": "шерсть, ручное ткачество",
                "dimensions": "210 × 140 см",
                "inventory_number": f"ЦГМ КП-{1000 + n}",
                "quantity": 1,
                "insured_value": {"amount": 1500000 + n, "currency": "KZT"},
                "photo": f"{photo_prefix}-{n + 1}.jpg",
            }
            for n in range(items)
        ],
    }


def restoration_form() -> dict:
    return {
        "monument": {
            "name": "Здание Дома офицеров (бывший Гарнизонный дом офицеров)",
            "address": "г. Алматы, ул. Кабанбай батыра, 93",
            "category": "local",
            "register_entry": "Гос. список памятников г. Алматы, № 45",
        },
        "works": {
            "kinds": ["conservation", "restoration"],
            "description": "Реставрация фасада и кровли, консервация лепного декора.",
            "planned_start": "2026-05-01",
            "planned_end": "2026-10-31",
        },
        "project_documentation": {
            "title": "Проект научной реставрации фасада",
            "developer": "ТОО «Қалпына келтіру»",
            "date": "2026-02-10",
            "attachment": "project.pdf",
        },
        "contractor": {
            "name": "ТОО «Реставратор»",
            "bin": "150340000109",
            "licence": {"number": "ЛИЦ-0001234", "date": "2020-04-01", "attachment": "licence.pdf"},
        },
    }


def form_for(service_code: str) -> dict:
    return temporary_export_form() if service_code == "temporary-export" else restoration_form()


def pdf_bytes(text: str = "qyzmet test document", pad_to: int = 0) -> bytes:
    """A small well-formed one-page PDF (optionally padded with a comment to a given size)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    if pad_to:
        filler = max(0, pad_to - out.tell() - 200)
        out.write(b"%" + b"q" * filler + b"\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class LazyMultipart:
    """A multipart/form-data body with one file of ``size`` bytes (``head`` then zeros),
    made as it is read and counting what was read: an oversized upload without holding it
    in memory, to see how much of it the server reads. ``environ()`` is what a WSGI server
    passes (``client.generic("POST", url, **body.environ())``)."""

    BOUNDARY = "qyzmetLazyBoundary"

    def __init__(self, size: int, *, field="file", name="big.pdf", head=b"%PDF-1.4\n", fields=None):
        parts = [
            f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
            for key, value in (fields or {}).items()
        ]
        self._head = b"".join(parts) + (
            f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + head
        )
        self._tail = f"\r\n--{self.BOUNDARY}--\r\n".encode()
        self._zeros = size - len(head)
        self.length = len(self._head) + self._zeros + len(self._tail)
        self.bytes_read = 0

    def _slice(self, start: int, end: int) -> bytes:
        out = []
        head_end = len(self._head)
        zeros_end = head_end + self._zeros
        if start < head_end:
            out.append(self._head[start : min(end, head_end)])
        if end > head_end and start < zeros_end:
            out.append(b"\0" * (min(end, zeros_end) - max(start, head_end)))
        if end > zeros_end:
            out.append(self._tail[max(0, start - zeros_end) : end - zeros_end])
        return b"".join(out)

    def read(self, size: int = -1) -> bytes:
        end = self.length if size is None or size < 0 else min(self.length, self.bytes_read + size)
        chunk = self._slice(self.bytes_read, end)
        self.bytes_read = end
        return chunk

    def readline(self, size: int = -1) -> bytes:
        rest = self._slice(self.bytes_read, self.length if size < 0 else self.bytes_read + size)
        line = rest[: rest.find(b"\n") + 1 or len(rest)]
        self.bytes_read += len(line)
        return line

    def environ(self) -> dict:
        return {
            "CONTENT_TYPE": f"multipart/form-data; boundary={self.BOUNDARY}",
            "CONTENT_LENGTH": str(self.length),
            "wsgi.input": self,
        }


def documents_for(service_code: str, channel: str) -> list[str]:
    """The codes of every document the service's version in force asks for on ``channel``."""
    from django.utils import timezone

    from qyzmet.catalog.queries import version_in_force

    version = version_in_force(service_code, timezone.localdate())
    return [doc.code for doc in version.documents(channel) if doc.required]


# The files each service's portal route asks for: the documents to hand in besides the signed
# request (the application and the list of valuables are in the e-request itself, catalogue
# form "e_request"; ServiceVersion.documents_to_hand_in).
PORTAL_UPLOADS = {
    "temporary-export": ("photos", "purpose_document"),
    "restoration-approval": ("project_documentation", "contractor_licence"),
}


# --- simulators as separate processes (the registry and NCALayer simulators in the tests)

# Start-up imports Django and the project: about a second on an idle machine, ten when the two
# cores are shared by a dozen busy processes. The deadline is for a hung process, not for load.
START_DEADLINE = 120.0
START_ATTEMPTS = 3


class _Pipe:
    """Reads one of the process's pipes to its end in a thread, so the process never blocks
    on a full pipe, and keeps the last lines for the error message; signals the line that
    says where the process listens (it binds port 0 and prints the address it got)."""

    def __init__(self, stream, ready: str) -> None:
        import collections
        import threading

        self.lines: collections.deque[str] = collections.deque(maxlen=200)
        self.prefix = ready
        self.url: str | None = None
        self.ready = threading.Event()
        self.closed = threading.Event()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        try:
            for line in stream:
                self.lines.append(line)
                if self.url is None and line.startswith(self.prefix):
                    self.url = line.removeprefix(self.prefix).split()[0]
                    self.ready.set()
        finally:
            stream.close()
            self.closed.set()

    def text(self) -> str:
        return "".join(self.lines)


class ProcessDidNotStart(RuntimeError):
    pass


def _start_once(command: list[str], env: dict, ready: str):
    import subprocess
    import time

    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        errors="replace",  # a stray byte must not end the thread that drains the pipe
    )
    stdout, stderr = _Pipe(process.stdout, ready), _Pipe(process.stderr, ready)
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
            raise ProcessDidNotStart(f"{reason}:\n{stdout.text()}{stderr.text()}")
    if process.poll() is not None:  # said where it listens, then died
        raise ProcessDidNotStart(f"exited with {process.returncode}:\n{stderr.text()}")
    return process, stdout.url


def start_listening_process(command: list[str], ready: str):
    """Start ``command`` (a ``qyzmet`` command binding port 0) and wait for its line
    ``<ready><url> …``; returns ``(process, url)``. A start that fails (a process that exits
    or stays silent) is retried: what the tests need is a running process, and a cause that
    persists still fails every attempt, with each attempt's output."""
    import os

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qyzmet.settings", "PYTHONUNBUFFERED": "1"}
    failures = []
    for _ in range(START_ATTEMPTS):
        try:
            return _start_once(command, env, ready)
        except ProcessDidNotStart as failure:
            failures.append(str(failure))
    name = ready.removesuffix(" listening on ")
    raise RuntimeError(f"{name} did not start:\n" + "\n---\n".join(failures))


def stop_process(process) -> None:
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def version_replaced_by_current(service_code: str):
    """The version of a service that the one in force today replaced (for drafts begun
    before an amendment)."""
    from django.utils import timezone

    from qyzmet.catalog.models import ServiceVersion
    from qyzmet.catalog.queries import version_in_force

    current = version_in_force(service_code, timezone.localdate())
    earlier = (
        ServiceVersion.objects.filter(
            service_code=service_code, effective_until__lte=current.effective_from
        )
        .order_by("-effective_from")
        .first()
    )
    assert earlier is not None, f"the catalogue has no earlier version of {service_code}"
    return earlier


# --- the demo PKI's people signing, and cases made through the real actions ----------------


class DemoPki:
    """The demo PKI of a test session: people's key files and signing with them."""

    def __init__(self, directory: Path):
        self.directory = directory

    def person(self, key: str) -> dict:
        from qyzmet.demo.pki import load_demo_pki

        return load_demo_pki(self.directory).person(key)

    def p12_path(self, key: str, purpose: str = "sign") -> Path:
        return self.directory / self.person(key)[f"{purpose}_p12"]

    def p12(self, key: str, purpose: str = "sign") -> bytes:
        return self.p12_path(key, purpose).read_bytes()

    def sign(self, key: str, data: bytes, purpose: str = "sign") -> bytes:
        """A detached CAdES-BES by the person's key, GOST-2015/512 or RSA (legacy)."""
        from qyzmet.eds.signing import sign_detached

        return sign_detached(data, self.p12(key, purpose), self.person(key)["password"])

    def ca_pem(self, ca: str) -> bytes:
        """A CA certificate (PEM): ``"gost-root"``, ``"gost-intermediate"``, or the legacy
        RSA chain's ``"root"`` and ``"intermediate"``."""
        return (self.directory / "ca" / f"{ca}.pem").read_bytes()


# The steps a case can be built up to, in the order of the process (regulation p.5, p.10):
# registered (p.10 процесс 1–5), assigned (процесс 6), checked (процесс 7: the package is
# complete), prepared (процесс 8: a draft approval waits for the head), signed (процесс 9: on
# the paper route it now waits to be handed over, p.6), issued (signed, and on the paper route
# handed over) and refused (a motivated refusal on the grounds of p.10 условие 3, signed, and
# on the paper route handed over too).
TRAITS = ("registered", "assigned", "checked", "prepared", "signed", "issued", "refused")


# The clerk's reason when the builder enters a paper applicant by hand (p.10 процесс 5).
MANUAL_REASON = "test: entered by hand"


def session_pki() -> DemoPki:
    """The demo PKI the ``demo_pki`` fixture pointed the settings at."""
    from django.conf import settings

    return DemoPki(Path(settings.QYZMET_EDS_DEMO_PKI_DIR))


def reload(instance):
    """The row as the database has it now."""
    return type(instance).objects.get(pk=instance.pk)


def signed_challenge(pki, person: str, purpose: str = "sign_up", key: str = "auth"):
    """A fresh challenge of ``purpose`` ("sign_up" or "log_in") and its signature (base64) by
    the demo person's ``key`` ("auth" or "sign"), as the page sends them."""
    import base64

    from qyzmet.accounts import actions as accounts

    challenge = accounts.issue_challenge(purpose)
    signature = base64.b64encode(pki.sign(person, challenge.payload, key)).decode()
    return challenge, signature


def sign_up(pki, person: str, password: str | None = PORTAL_PASSWORD):
    """``CaseBuilder.account``: the demo person's portal account, signed up through the real
    actions, with the portal password (none when ``password`` is None)."""
    return CaseBuilder({}, pki).account(person, password=password)


def submit_on_portal(user, service: str = "temporary-export", **options):
    """``user``'s application of ``service`` signed and submitted on the portal."""
    return CaseBuilder({}, session_pki()).portal(service, user=user, **options)


def build_case(staff: dict, trait: str = "registered", **options):
    """``CaseBuilder(staff, the session's demo PKI).make(trait, **options)``: for tests that
    have the ``staff`` fixture (whose ``demo_pki`` set the settings) but no builder."""
    return CaseBuilder(staff, session_pki()).make(trait, **options)


@dataclass
class CaseBuilder:
    """Cases built the way the desk and the portal build them: every step is the real action,
    with the permission checks, audit records and tasks it writes. ``staff`` is the root
    conftest's staff (clerk, executor, head…), ``pki`` signs as the demo people do."""

    staff: dict
    pki: DemoPki

    def make(
        self,
        trait: str = "registered",
        *,
        service: str = "temporary-export",
        channel: str = "office",
        applicant: str = "individual",
        **registration,
    ):
        """A case of ``service`` brought in on ``channel`` ("office": paper at the desk,
        "portal": signed by the applicant) by an ``applicant`` ("individual" or
        "legal_entity") and taken up to ``trait``."""
        if trait not in TRAITS:
            raise ValueError(f"unknown trait {trait!r}; one of {TRAITS}")
        if channel == "office":
            application = self.paper(service, applicant=applicant, **registration)
        elif channel == "portal":
            application = self.portal(service, applicant=applicant, **registration)
        else:
            raise ValueError(f"unknown channel {channel!r}")
        return self.advance(application, trait)

    # --- registration --------------------------------------------------------------------

    def applicant_input(self, kind="individual"):
        """The paper applicant as the registry knows them: the demo person of the key (or
        ``kind`` itself when it is already a ``cases.ApplicantInput``)."""
        from qyzmet.cases import actions as cases

        if isinstance(kind, cases.ApplicantInput):
            return kind
        if kind == "individual":
            person = self.pki.person("abenova")
            return cases.ApplicantInput(
                kind="individual",
                name=_full_name(person),
                iin=person["iin"],
                manual=True,
                manual_reason=MANUAL_REASON,
            )
        if kind == "legal_entity":
            head = self.pki.person("serikbaev")
            return cases.ApplicantInput(
                kind="legal_entity",
                name=head["organization"],
                bin=head["bin"],
                representative_iin=head["iin"],
                manual=True,
                manual_reason=MANUAL_REASON,
            )
        raise ValueError(f"unknown applicant kind {kind!r}")

    def paper(
        self,
        service: str = "temporary-export",
        *,
        applicant: str = "individual",
        key: str | None = None,
        form: dict | None = None,
        attachments: list | None = None,
        actor=None,
        **overrides,
    ):
        """A paper application registered by the clerk (or ``actor``; p.10 процесс 1–5)."""
        import uuid

        from qyzmet.cases import actions as cases

        if attachments is None:
            attachments = [
                cases.AttachmentInput("application", upload("заявление.pdf", pdf_bytes()))
            ]
            if "photos" in documents_for(service, "office"):
                photo = upload("photo-1.png", png_bytes(), "image/png")
                attachments.append(cases.AttachmentInput("photos", photo))
        params = dict(
            service_code=service,
            applicant=self.applicant_input(applicant),
            form_data=form if form is not None else form_for(service),
            paper_documents=documents_for(service, "office"),
            attachments=attachments,
            idempotency_key=key or uuid.uuid4().hex,
        )
        params.update(overrides)
        return cases.register_paper_application(actor or self.staff["clerk"], **params)

    def account(self, person: str = "abenova", *, password: str | None = None):
        """The portal account of a demo person, opened through the real sign-up with their
        authentication key; with ``password``, the portal password set next (the sign-up's
        second step). The one sign-up helper of the tests (``sign_up`` calls it)."""
        from qyzmet.accounts import actions as accounts

        challenge, signature = signed_challenge(self.pki, person)
        user = accounts.sign_up_with_eds(challenge.public_id, signature)
        if password:
            user = accounts.set_portal_password(user, password)
        return user

    def portal(
        self,
        service: str = "temporary-export",
        *,
        applicant: str = "individual",
        user=None,
        signer: str | None = None,
        documents: list[str] | None = None,
        form: dict | None = None,
    ):
        """An application signed and submitted on the portal: draft, uploads, signature over
        the canonical e-request (p.10 процесс 1)."""
        from qyzmet.cases import actions as cases
        from qyzmet.cases.portal_requests import canonical_request

        signer = signer or ("abenova" if applicant == "individual" else "serikbaev")
        user = user or self.account(signer)
        draft = cases.save_draft(
            user, service_code=service, form_data=form if form is not None else form_for(service)
        )
        codes = documents if documents is not None else PORTAL_UPLOADS[service]
        for code in codes:
            file = (
                upload(f"{code}.png", png_bytes(), "image/png")
                if code == "photos"
                else upload(f"{code}.pdf", pdf_bytes(code))
            )
            cases.add_draft_attachment(user, draft, cases.AttachmentInput(code, file))
        draft.refresh_from_db()
        return cases.submit_draft(
            user, draft, signature=self.pki.sign(signer, canonical_request(draft))
        )

    # --- the process ---------------------------------------------------------------------

    def advance(self, application, trait: str):
        """Take a registered ``application`` through the real workflow actions to ``trait``."""
        from qyzmet.cases.models import Application, DecisionKind, Status
        from qyzmet.workflow import actions as flow

        staff = self.staff
        if trait == "registered":
            return Application.objects.get(pk=application.pk)
        flow.assign_executor(staff["head"], application, staff["executor"])
        if trait == "assigned":
            return Application.objects.get(pk=application.pk)
        flow.record_completeness_check(staff["executor"], application, complete=True)
        if trait == "checked":
            return Application.objects.get(pk=application.pk)
        if trait == "refused":
            reason = self.refusal_reason(application, "prepare")
            decision = flow.prepare_decision(
                staff["executor"],
                application,
                kind=DecisionKind.REFUSAL,
                reason_codes=[reason],
                explanation="Основание изложено в заключении исполнителя.",
            )
        else:
            decision = flow.prepare_decision(
                staff["executor"], application, kind=DecisionKind.APPROVAL
            )
        if trait == "prepared":
            return Application.objects.get(pk=application.pk)
        self.sign(application, decision)
        application = Application.objects.get(pk=application.pk)
        if trait != "signed" and application.status == Status.AWAITING_HANDOVER:
            flow.record_handover(
                staff["clerk"],
                application,
                handed_to=application.applicant_name,
                handed_to_document="удостоверение личности 012345678",
            )
            application = Application.objects.get(pk=application.pk)
        return application

    def sign(self, application, decision, key: str = "zhumabaev"):
        """The head signs the prepared decision over the exact bytes the server prepared for
        them (as the sign page has it prepared: their name, today's date)."""
        from qyzmet.workflow import actions as flow

        decision = flow.prepare_signing(self.staff["head"], application)
        content = bytes(decision.signed_content)
        return flow.sign_decision(
            self.staff["head"],
            application,
            signed_content=content,
            signature=self.pki.sign(key, content),
        )

    @staticmethod
    def refusal_reason(application, stage: str) -> str:
        """The first refusal reason the service's catalogue allows at ``stage``."""
        reasons = application.service_version.refusal_reasons
        return next(code for code, reason in reasons.items() if stage in reason.stages)


def _full_name(person: dict) -> str:
    """ "АБЕНОВА ДАНА ЕРЛАНОВНА" in the certificate → "Абенова Дана Ерлановна" on paper."""
    parts = (person["surname"], person["given_name"], person["patronymic"])
    return " ".join(part.title() for part in parts if part)


# --- processes that share the test's database (`qyzmet serve`, task workers in the tests)


def database_url() -> str:
    """The test database as a ``DATABASE_URL``, for a process started by a test: it sees what
    a ``transaction=True`` test commits."""
    from urllib.parse import quote

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


class Watched:
    """A process whose merged output is read in a thread (it never blocks on a full pipe);
    :meth:`wait_for` waits for a line matching a pattern, with a deadline meant for a hung
    process, not for load."""

    def __init__(self, command: list[str], env: dict) -> None:
        import subprocess
        import threading

        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
            errors="replace",
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, pattern: str, *, deadline: float = START_DEADLINE, start: int = 0):
        """The first ``re.search`` match of ``pattern`` in a line from index ``start`` on."""
        import re
        import time

        regex = re.compile(pattern)
        end = time.monotonic() + deadline
        index = start
        with self._changed:
            while True:
                while index < len(self.lines):
                    found = regex.search(self.lines[index])
                    if found:
                        return found
                    index += 1
                if self.process.poll() is not None and index >= len(self.lines):
                    raise AssertionError(f"exited without {pattern!r}:\n{self.tail()}")
                left = end - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {pattern!r} in {deadline:.0f} s:\n{self.tail()}")
                self._changed.wait(min(left, 1.0))

    def tail(self, count: int = 60) -> str:
        return "\n".join(self.lines[-count:])

    def stop(self) -> None:
        if self.process.poll() is None:
            stop_process(self.process)


def wait_until(condition, what: str, *, every=None, deadline: float = START_DEADLINE):
    """Poll ``condition()`` (after ``every()``, if given) until it is true; its value. The
    deadline is for something that never happens, not a measure of how fast it does."""
    import time

    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if every is not None:
            every()
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {deadline:.0f} s")


# --- Row locks on PostgreSQL: another connection holding a lock, and a transaction that
# gives up at once on one (workflow and results lock tests).


@contextmanager
def held(take):
    """``take()`` in a transaction of another connection (a thread), kept open (locks held)
    until the block ends."""
    taken, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold():
        try:
            with transaction.atomic():
                take()
                taken.set()
                release.wait(timeout=120)
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            taken.set()
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(timeout=120)
    try:
        assert errors == []
        yield
    finally:
        release.set()
        thread.join()
    assert errors == []


def without_waiting(action):
    """``action()`` in a transaction that gives up at once on a row lock held elsewhere."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '100ms'")
        return action()


def is_lock_timeout(error: OperationalError) -> bool:
    from psycopg.errors import LockNotAvailable

    return isinstance(error.__cause__, LockNotAvailable)
