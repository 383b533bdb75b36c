"""The example client in docs/ runs the whole portal route against a real HTTP server started
by the test (pytest-django's live server), signing with key files on disk."""

import subprocess
import sys
from pathlib import Path

import pytest

from qyzmet.cases.models import Application, Status
from qyzmet.portal.tests.pki import KEY_PASSWORD

CLIENT = Path(__file__).resolve().parents[4] / "docs" / "api-client-example.py"


def run_client(live_server, pki, tmp_path, auth: str, sign: str, service: str):
    return subprocess.run(
        [
            sys.executable,
            str(CLIENT),
            "--base-url",
            live_server.url,
            "--auth-key",
            str(pki[auth].save(tmp_path)),
            "--sign-key",
            str(pki[sign].save(tmp_path)),
            "--password",
            KEY_PASSWORD,
            "--service",
            service,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_example_client_runs_the_portal_route(live_server, pki, catalog, tmp_path):
    result = run_client(
        live_server, pki, tmp_path, "individual_auth", "individual_sign", "temporary-export"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    application = Application.objects.get(registration_number__isnull=False)
    assert application.status == Status.REGISTERED
    assert f"REGISTERED {application.registration_number}" in result.stdout
    assert application.attachments.count() == 3

    # Run again: the account exists, so it logs in with the EDS and applies once more.
    again = run_client(
        live_server, pki, tmp_path, "individual_auth", "individual_sign", "temporary-export"
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "logged in with the EDS" in again.stdout
    assert Application.objects.filter(registration_number__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_example_client_reports_a_refusal(live_server, pki, catalog, tmp_path):
    # Signing with someone else's key: the API refuses (p.10 условие 2) and the client says so.
    result = run_client(
        live_server, pki, tmp_path, "individual_auth", "other_sign", "temporary-export"
    )
    assert result.returncode == 1
    assert "REFUSED iin_mismatch" in result.stderr
    assert not Application.objects.filter(registration_number__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_example_client_for_a_legal_entity(live_server, pki, catalog, tmp_path):
    result = run_client(
        live_server, pki, tmp_path, "company_auth", "company_sign", "restoration-approval"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert Application.objects.get(registration_number__isnull=False).applicant_bin
