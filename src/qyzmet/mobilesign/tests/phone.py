"""The phone simulator (``qyzmet egov-mobile-simulator``) run as its own process, as a person
runs it beside ``make run``: the tests hand it the QR text and a demo key file and read its
JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

QYZMET = Path(sys.executable).with_name("qyzmet")


@dataclass
class PhoneRun:
    returncode: int
    exchanges: list[dict]
    stderr: str

    @property
    def last(self) -> dict:
        return self.exchanges[-1]

    def steps(self) -> list[tuple[str, int]]:
        return [(e["step"], e["status"]) for e in self.exchanges]


def command(qr: str, pki, person: str, *extra: str, key: str = "sign") -> list[str]:
    return [
        str(QYZMET),
        "egov-mobile-simulator",
        "--qr",
        qr,
        "--key",
        str(pki.p12_path(person, key)),
        "--password",
        pki.person(person)["password"],
        *extra,
    ]


def environment() -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "qyzmet.settings", "PYTHONUNBUFFERED": "1"}


def finished(process: subprocess.Popen, timeout: float = 120) -> PhoneRun:
    stdout, stderr = process.communicate(timeout=timeout)
    lines = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    return PhoneRun(process.returncode, lines, stderr)


def start_phone(qr: str, pki, person: str, *extra: str, key: str = "sign") -> subprocess.Popen:
    return subprocess.Popen(
        command(qr, pki, person, *extra, key=key),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
        text=True,
    )


def run_phone(qr: str, pki, person: str, *extra: str, key: str = "sign") -> PhoneRun:
    """Scan ``qr`` with ``person``'s demo ``key`` (SIGN, or AUTH for a sign-up / log-in) and
    wait for the phone to finish."""
    return finished(start_phone(qr, pki, person, *extra, key=key))
