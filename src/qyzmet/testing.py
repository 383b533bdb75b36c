"""Builders of realistic inputs shared by the tests, the demo data and the benchmarks.

Nothing here is used by the running system's own logic; it only makes valid (or deliberately
broken) inputs the way an applicant or a clerk would.
"""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

DEMO_STAFF_PASSWORD = "demo-Qyzmet-2026"  # noqa: S105  (demo accounts only, printed by make run)


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


# --- processes that share the test's database (`qyzmet serve`, task workers in the tests)


def database_url() -> str:
    """The test database as a ``DATABASE_URL``, for a process started by a test: it sees what
    a ``transaction=True`` test commits."""
    from urllib.parse import quote

    from django.db import connection

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
