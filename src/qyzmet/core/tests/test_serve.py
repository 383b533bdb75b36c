"""`qyzmet serve` supervises its processes (issue 12, item 4): a task worker killed with
SIGKILL is restarted while the web server keeps answering (no refused connection), and only
SIGTERM stops everything, with exit code 0. The test starts the real command on the test's
database (SQLite or PostgreSQL) with ports it chooses itself (``--port 0``: read from the
ready line)."""

from __future__ import annotations

import http.client
import os
import signal
import sys
import threading
from pathlib import Path

import pytest

from qyzmet.core.models import WorkerHeartbeat
from qyzmet.testing import START_DEADLINE, Watched, database_url, wait_until

QYZMET = str(Path(sys.executable).with_name("qyzmet"))


def serve_env(var_dir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qyzmet.settings",
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": database_url(),
        "QYZMET_VAR_DIR": str(var_dir),
        "QYZMET_SERVE_RESTART_DELAY": "0.5",
        "QYZMET_TASKS_HEARTBEAT_SECONDS": "1",
        "QYZMET_OVERDUE_SWEEP_SECONDS": "3600",
    }


class Load:
    """Two clients asking for a page over fresh connections until stopped; counts outcomes."""

    def __init__(self, host: str, port: int, path: str = "/") -> None:
        self.address, self.path = (host, port), path
        self.ok = self.refused = self.other = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(2)]
        for thread in self._threads:
            thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            connection = http.client.HTTPConnection(*self.address, timeout=60)
            try:
                connection.request("GET", self.path)
                status = connection.getresponse().status
                outcome = "ok" if status == 200 else f"HTTP {status}"
            except ConnectionRefusedError:
                outcome = "refused"
            except OSError as exc:
                outcome = f"{type(exc).__name__}: {exc}"
            finally:
                connection.close()
            with self._lock:
                if outcome == "ok":
                    self.ok += 1
                elif outcome == "refused":
                    self.refused += 1
                else:
                    self.other += 1
                    self.errors.append(outcome)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=90)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))


def desk_lookup(host: str, port: int, session: str, iin: str) -> str:
    """A clerk's registry lookup on the served desk (the intake form's "look up" step)."""
    import re

    path = "/office/register/restoration-approval/"
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
        page = connection.getresponse().read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = f"csrfmiddlewaretoken={token}&applicant_kind=individual&identifier={iin}"
        connection.request(
            "POST",
            path,
            body=body + "&_action=lookup",
            headers={
                "Cookie": f"sessionid={session}; csrftoken={token}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{host}:{port}{path}",
            },
        )
        return connection.getresponse().read().decode()
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_killed_task_worker_is_restarted_while_the_site_keeps_serving(
    tmp_path, settings, catalog
):
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from qyzmet.workflow.tasks import sweep_overdue_tasks

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    var = tmp_path / "var"
    serve = Watched(
        [QYZMET, "serve", "--port", "0", "--simulator-port", "0", "--ncalayer-port", "0"]
        + ["--workers", "1", "--threads", "4"],
        serve_env(var),
    )
    try:
        ready = serve.wait_for(r"qyzmet serve: ready web=http://([\d.]+):(\d+)/ .*pids=(\S+)")
        host, port = ready.group(1), int(ready.group(2))
        pids = dict(item.split(":") for item in ready.group(3).split(","))
        worker_pid, web_pid = int(pids["worker"]), int(pids["web"])
        # gunicorn's control socket is this instance's own, under var/run.
        wait_until(lambda: (var / "run" / f"gunicorn-{port}.ctl").exists(), "control socket")

        def page_answers():
            connection = http.client.HTTPConnection(host, port, timeout=60)
            try:
                connection.request("GET", "/")
                return connection.getresponse().status == 200
            except OSError:
                return False
            finally:
                connection.close()

        wait_until(page_answers, "the portal answers")
        # The gateway client follows --simulator-port (0 here: a port chosen by serve).
        from django.test import Client

        from qyzmet.accounts.models import Role, User

        clerk = User.objects.create_user("serve-clerk", password="x", role=Role.CLERK)
        browser = Client()
        browser.force_login(clerk)
        answer = desk_lookup(host, port, browser.cookies["sessionid"].value, "850715450105")
        assert "Нұрланов" in answer  # the demo key holder of that IIN (qyzmet.demo.people)
        wait_until(
            lambda: WorkerHeartbeat.objects.filter(pid=worker_pid).exists(), "worker heartbeat"
        )

        load = Load(host, port)
        try:
            wait_until(lambda: load.ok >= 5, "requests before the kill")
            mark = len(serve.lines)
            os.kill(worker_pid, signal.SIGKILL)
            serve.wait_for(rf"worker \(pid {worker_pid}\) exited with signal SIGKILL", start=mark)
            restarted = serve.wait_for(r"worker restarted \(pid (\d+)", start=mark)
            new_worker = int(restarted.group(1))
            assert new_worker != worker_pid and alive(new_worker)
            # The new worker works: it runs a task queued now.
            queued = sweep_overdue_tasks.enqueue()
            wait_until(
                lambda: (
                    DBTaskResult.objects.get(id=queued.id).status == TaskResultStatus.SUCCESSFUL
                ),
                "a task run by the restarted worker",
            )
            served_during = load.ok
            wait_until(lambda: load.ok >= served_during + 5, "requests after the restart")
        finally:
            load.stop()
        assert (load.refused, load.other) == (0, 0), load.errors[:5]
        assert alive(web_pid), "the web server was not touched"

        mark = len(serve.lines)
        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(timeout=START_DEADLINE) == 0, serve.tail()
        serve.wait_for(r"SIGTERM received; stopping every process", start=mark)
        serve.wait_for(r"every process stopped", start=mark)
        for pid in (web_pid, new_worker, *(int(p) for p in pids.values() if p != str(worker_pid))):
            wait_until(lambda pid=pid: not alive(pid), f"process {pid} ended", deadline=30)
    finally:
        if serve.process.poll() is None:
            serve.process.send_signal(signal.SIGTERM)
            serve.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _verify_over_the_certificates_addresses(pki_dir: Path, person_id: str) -> str | None:
    """Sign as ``person_id`` and verify with the revocation status asked live from the OCSP
    address inside the certificate (as the site's verifier does): the verdict's code."""
    from datetime import UTC, datetime

    from qyzmet.demo.pki import person
    from qyzmet.eds.chain import TrustStore
    from qyzmet.eds.cms import verify_cms
    from qyzmet.eds.revocation import HttpFetcher, RevocationSources
    from qyzmet.eds.signing import sign_detached

    entry = person(pki_dir, person_id)
    data = f"{person_id} signs".encode()
    fetcher = HttpFetcher(timeout=60)
    verdict = verify_cms(
        sign_detached(data, (pki_dir / entry["sign_p12"]).read_bytes(), entry["password"]),
        data,
        trust=TrustStore.from_directory(pki_dir / "ca"),
        at=datetime.now(UTC),
        revocation=RevocationSources(
            ocsp_fetcher=fetcher.ocsp, crl_fetcher=None, live_order=("ocsp",)
        ),
        expect_iin=entry["iin"],
    )
    return verdict.code


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_pki_services_run_as_their_own_supervised_process_on_the_certificates_port(
    tmp_path, settings
):
    """In demo mode `serve` runs the demo PKI's OCSP, CRL and TSA as a child of their own on
    the port the demo certificates name (recorded by the demo PKI, whatever --port is); the
    web server is pointed at it and no longer serves them; a kill -9 of it is restarted."""
    from cryptography import x509
    from cryptography.x509.oid import AuthorityInformationAccessOID

    from qyzmet.demo.pki import create_demo_pki, person
    from qyzmet.eds.tests.demo_pki import certificate_of
    from qyzmet.eds.tsa import timestamp

    var = tmp_path / "var"
    pki_dir = var / "pki"
    services_port = _free_port()
    create_demo_pki(pki_dir, base_url=f"http://127.0.0.1:{services_port}")
    certificate = certificate_of(pki_dir, person(pki_dir, "ivanova")["sign_p12"])
    aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    (ocsp_url,) = [
        d.access_location.value
        for d in aia
        if d.access_method == AuthorityInformationAccessOID.OCSP
    ]
    settings.QYZMET_TSA_TRUST_ANCHORS_DIR = str(pki_dir / "ca")

    serve = Watched(
        [QYZMET, "serve", "--port", "0", "--simulator-port", "0", "--ncalayer-port", "0"]
        + ["--workers", "1", "--threads", "2"],
        {**serve_env(var), "QYZMET_EDS_DEMO_MODE": "1"},
    )
    try:
        ready = serve.wait_for(
            r"qyzmet serve: ready web=http://([\d.]+):(\d+)/ .*"
            r"demo-services=(http://[\d.]+:(\d+)/eds/demo/) .*pids=(\S+)"
        )
        web_port, services, port = int(ready.group(2)), ready.group(3), int(ready.group(4))
        pids = dict(item.split(":") for item in ready.group(5).split(","))
        # The certificates' OCSP address is the demo services' port in use, not the site's.
        assert port == services_port != web_port
        assert ocsp_url == f"{services}ocsp/"
        # The web server's workers are pointed at the services' TSA.
        web_environ = Path(f"/proc/{pids['web']}/environ").read_bytes().split(b"\0")
        assert f"QYZMET_TSA_URL={services}tsa/".encode() in web_environ
        # The services answer OCSP (good, revoked) and time-stamp.
        assert _verify_over_the_certificates_addresses(pki_dir, "ivanova") is None
        assert _verify_over_the_certificates_addresses(pki_dir, "tolegenova") == "revoked"
        assert timestamp(b"a result", url=f"{services}tsa/").signer_certificate is not None
        # The site itself no longer serves them.
        connection = http.client.HTTPConnection("127.0.0.1", web_port, timeout=60)
        try:
            connection.request("GET", "/eds/demo/crl/intermediate.crl")
            assert connection.getresponse().status == 404
        finally:
            connection.close()

        services_pid = int(pids["demo-services"])
        mark = len(serve.lines)
        os.kill(services_pid, signal.SIGKILL)
        serve.wait_for(
            rf"demo-services \(pid {services_pid}\) exited with signal SIGKILL", start=mark
        )
        restarted = int(serve.wait_for(r"demo-services restarted \(pid (\d+)", start=mark)[1])
        assert restarted != services_pid and alive(restarted)
        assert _verify_over_the_certificates_addresses(pki_dir, "ivanova") is None
        assert timestamp(b"another result", url=f"{services}tsa/").signer_certificate is not None

        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(timeout=START_DEADLINE) == 0, serve.tail()
        wait_until(lambda: not alive(restarted), "the demo services stopped", deadline=30)
    finally:
        if serve.process.poll() is None:
            serve.process.send_signal(signal.SIGTERM)
            serve.stop()


@pytest.mark.django_db(transaction=True)
def test_another_demo_services_port_than_the_certificates_name_is_refused(tmp_path, demo_pki_dir):
    """Re-issuing the demo PKI is never a side effect of `serve` (new keys: downloaded key
    files and signed results would stop verifying): a port that disagrees with the
    certificates is refused with what to do instead."""
    import json
    import subprocess
    from urllib.parse import urlsplit

    recorded = urlsplit(json.loads((demo_pki_dir / "index.json").read_text())["base_url"]).port
    other = recorded + 1
    env = {
        **serve_env(tmp_path / "var"),
        "QYZMET_EDS_DEMO_MODE": "1",
        "QYZMET_EDS_DEMO_PKI_DIR": str(demo_pki_dir),
    }
    finished = subprocess.run(  # noqa: S603 - our own command
        [QYZMET, "serve", "--port", "0", "--demo-services-port", str(other)],
        env=env,
        capture_output=True,
        text=True,
        timeout=START_DEADLINE,
    )
    assert finished.returncode != 0
    assert f"port {recorded}), not port {other}" in finished.stderr
    assert f"qyzmet demo setup --services-port {other}" in finished.stderr
    assert "ready" not in finished.stdout
