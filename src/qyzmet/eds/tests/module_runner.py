"""The browser's signing module (``eds-sign.js``) run under Node with a key file of the
eds tests' demo PKI, and its signature verified by the Python verifier: shared by the module's
RSA and GOST tests and the results' signing tests."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qyzmet.eds.chain import TrustStore
from qyzmet.eds.cms import verify_cms
from qyzmet.eds.revocation import RevocationSources

from .demo_pki import shared_demo_pki

TESTS = Path(__file__).resolve().parent
MODULE = TESTS.parent / "static" / "qyzmet" / "eds" / "eds-sign.js"
RUNNER = TESTS / "test_browser_module_runner.mjs"
PASSWORD = "Demo2026!"


def run_module(
    p12: Path, password: str, data: bytes | None, tmp_path: Path, options: dict | None = None
) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the browser module")
    command = [
        node,
        "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON",
        str(RUNNER),
        str(MODULE),
        str(p12),
        password,
    ]
    out = tmp_path / "signature.p7s"
    if data is not None:
        (tmp_path / "data.bin").write_bytes(data)
        command += [str(tmp_path / "data.bin"), str(out)]
        if options is not None:
            command.append(json.dumps(options))
    finished = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr.decode()
    result = json.loads(finished.stdout)
    if "error" not in result and data is not None:
        result["signature"] = out.read_bytes()
    return result


def person_p12(person_id: str, purpose: str = "sign") -> Path:
    return shared_demo_pki() / "people" / f"{person_id}-{purpose}.p12"


def verify(signature: bytes, data: bytes, **options):
    directory = shared_demo_pki()
    return verify_cms(
        signature,
        data,
        trust=TrustStore.from_directory(directory / "ca"),
        at=datetime.now(UTC),
        revocation=RevocationSources(
            crls=[path.read_bytes() for path in sorted((directory / "crl").glob("*.crl"))]
        ),
        **options,
    )
