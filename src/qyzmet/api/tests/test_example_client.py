"""The example client in docs/ runs the whole portal route against a real HTTP server started
by the test (pytest-django's live server), signing with the demo PKI's key files on disk."""

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
