"""The example client in docs/ runs the whole portal route against a real HTTP server started
by the test (pytest-django's live server), signing with the demo PKI's key files on disk."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from qyzmet.cases.models import Application, Status

CLIENT = Path(__file__).resolve().parents[4] / "docs" / "api-client-example.py"


def run_client(live_server, pki, auth: str, sign: str, service: str):
    """The client logs in with ``auth``'s authentication key and signs with ``sign``'s
    signing key (demo people; every demo key file has the same password)."""
    return subprocess.run(
        [
            sys.executable,
            str(CLIENT),
            "--base-url",
            live_server.url,
            "--auth-key",
            str(pki.p12_path(auth, "auth")),
            "--sign-key",
            str(pki.p12_path(sign, "sign")),
            "--password",
            pki.person(sign)["password"],
            "--service",
            service,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_example_client_runs_the_portal_route(live_server, pki, catalog):
    result = run_client(live_server, pki, "abenova", "abenova", "temporary-export")
    assert result.returncode == 0, result.stdout + result.stderr
    application = Application.objects.get(registration_number__isnull=False)
    assert application.status == Status.REGISTERED
    assert f"REGISTERED {application.registration_number}" in result.stdout
    # Files for the documents handed in besides the request; the list of items is in the form.
    uploaded = set(application.attachments.values_list("document_code", flat=True))
    assert uploaded == {"photos", "purpose_document"}

    # Run again: the account exists, so it logs in with the EDS and applies once more.
    again = run_client(live_server, pki, "abenova", "abenova", "temporary-export")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "logged in with the EDS" in again.stdout
    assert Application.objects.filter(registration_number__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_example_client_reports_a_refusal(live_server, pki, catalog):
    # Signing with someone else's key: the API refuses (p.10 условие 2) and the client says so.
    result = run_client(live_server, pki, "abenova", "nurlanov", "temporary-export")
    assert result.returncode == 1
    assert "REFUSED iin_mismatch" in result.stderr
    assert not Application.objects.filter(registration_number__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_example_client_for_a_legal_entity(live_server, pki, catalog):
    result = run_client(live_server, pki, "serikbaev", "serikbaev", "restoration-approval")
    assert result.returncode == 0, result.stdout + result.stderr
    assert Application.objects.get(registration_number__isnull=False).applicant_bin


def test_example_client_signs_gost_key_files_with_the_external_signer(pki, tmp_path):
    """A GOST-2015/512 key file (the demo applicants' keys, like every NCA key since 2024):
    ``cryptography`` cannot open it, so ``--signer auto`` hands it to ``qyzmet eds sign-cms``;
    ``--signer cryptography`` says why it cannot."""
    assert pki.person("abenova")["algorithm"] == "gost2015-512"
    common = [sys.executable, str(CLIENT), "--base-url", "http://127.0.0.1:9"]
    keys = ["--auth-key", str(pki.p12_path("abenova", "auth"))]
    keys += ["--sign-key", str(pki.p12_path("abenova", "sign")), "--password", "Demo2026!"]
    refused = subprocess.run(
        [*common, *keys, "--signer", "cryptography"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode != 0 and "cryptography cannot open it" in refused.stderr
    # the external signer itself, as the client calls it
    spec = importlib.util.spec_from_file_location("api_client_example", CLIENT)
    example = importlib.util.module_from_spec(spec)
    sys.modules["api_client_example"] = example  # its dataclasses look their module up
    try:
        spec.loader.exec_module(example)
    finally:
        del sys.modules["api_client_example"]
    key = example.KeyFile.load(
        pki.p12_path("abenova", "sign"), "Demo2026!", "auto", example.qyzmet_command(None)
    )
    assert key.external is not None
    from datetime import UTC, datetime

    from qyzmet.eds.chain import TrustStore
    from qyzmet.eds.cms import verify_cms
    from qyzmet.eds.revocation import RevocationSources

    signature = key.sign_detached(b"canonical request")
    verdict = verify_cms(
        signature,
        b"canonical request",
        trust=TrustStore.from_directory(pki.directory / "ca"),
        at=datetime.now(UTC),
        revocation=RevocationSources(required=False),
        expect_iin=pki.person("abenova")["iin"],
    )
    assert verdict.valid and verdict.signer.algorithm == "gost2015-512"
