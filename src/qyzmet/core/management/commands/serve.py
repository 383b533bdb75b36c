"""Start everything qyzmet needs on this machine and keep it running until SIGINT/SIGTERM:
the web server (gunicorn, threaded workers), the task worker, the periodic scheduler and, in
demo mode, the demo PKI services (OCSP, CRL, TSA on the port the demo certificates name,
8001 by default), the registry simulator (GBD FL/UL behind the e-gov gateway protocol) and
the NCALayer simulator (ws://127.0.0.1:13579/, signing as a demo person; the pages are
pointed at it).

The processes are supervised (``core/supervisor.py``): one that dies is restarted with
back-off while the others keep serving; only a signal stops them all. The web server's
listening socket belongs to this process (gunicorn gets it as ``fd://N``), so ``--port 0``
works (the ready line names the port) and a restarting gunicorn leaves connections waiting
in the backlog instead of refusing them. See docs/operations.md, "Process supervision".
"""

import json
import os
import socket
import sys
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qyzmet.core.supervisor import Child, Supervisor


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _local(host: str) -> str:
    """The address this machine's processes reach ``host`` at."""
    return "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104


class Command(BaseCommand):
    help = (
        "Run and supervise the web server, task worker, scheduler and (demo) simulators; "
        "stop on SIGINT/SIGTERM."
    )
    # The supervisor serves nothing itself; the children run the checks they need. (Its own
    # start must not depend on the database: a busy SQLite would fail the JSON check.)
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="0 = any free port")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.QYZMET_WEB_THREADS,
            help="threads per gunicorn worker (gthread)",
        )
        parser.add_argument("--simulator-port", type=int, default=8090, help="0 = any free port")
        parser.add_argument("--ncalayer-port", type=int, default=13579, help="0 = any free port")
        parser.add_argument("--ncalayer-person", default="abenova")
        parser.add_argument(
            "--demo-services-port",
            type=int,
            default=None,
            help="the demo PKI services' port (OCSP, CRL, TSA); default: the one the demo "
            "PKI's certificates name (QYZMET_DEMO_SERVICES_PORT when it was made); another "
            "one is refused (re-issue with `qyzmet demo setup --services-port N`)",
        )

    def handle(
        self,
        *args,
        host,
        port,
        workers,
        threads,
        simulator_port,
        ncalayer_port,
        ncalayer_person,
        demo_services_port,
        **options,
    ):
        qyzmet = str(Path(sys.executable).with_name("qyzmet"))
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        listener = socket.create_server((host, port), backlog=2048, reuse_port=False)
        listener.set_inheritable(True)
        port = listener.getsockname()[1]
        base = f"http://{_local(host)}:{port}"
        run_dir = Path(settings.VAR_DIR) / "run"
        run_dir.mkdir(parents=True, exist_ok=True)
        demo = settings.QYZMET_ENV != "production"
        children = [
            Child(
                "web",
                [
                    gunicorn,
                    "qyzmet.wsgi:application",
                    "--bind",
                    f"fd://{listener.fileno()}",
                    "--workers",
                    str(workers),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    str(threads),
                    "--graceful-timeout",
                    str(max(1, int(settings.QYZMET_SERVE_STOP_SECONDS) - 5)),
                    # One control socket per instance (gunicornc), so that two instances on
                    # one host do not take each other's.
                    "--control-socket",
                    str(run_dir / f"gunicorn-{port}.ctl"),
                    "--access-logfile",
                    "-",
                ],
                pass_fds=(listener.fileno(),),
            ),
            Child("worker", [qyzmet, "task-worker"]),
            Child("scheduler", [qyzmet, "scheduler"]),
        ]
        notes = []
        self.ready = {"web": f"{base}/"}
        if demo and find_spec("qyzmet.demo.registry_simulator"):
            simulator_port = simulator_port or _free_port("127.0.0.1")
            simulator_url = f"http://127.0.0.1:{simulator_port}/bip-sync/"
            children.append(
                Child(
                    "registry-simulator",
                    [qyzmet, "registry-simulator", "--host", "127.0.0.1", "--port"]
                    + [str(simulator_port)],
                )
            )
            # The gateway client follows the simulator, unless the environment names a gateway.
            env.setdefault("QYZMET_REGISTRY_URL", simulator_url)
            self.ready["registry-simulator"] = simulator_url
            notes.append(f"  registry simulator    {simulator_url}")
        services = None
        if demo and settings.QYZMET_EDS_DEMO_MODE and find_spec("qyzmet.demo.service_urls"):
            services = self._add_demo_services(children, env, qyzmet, demo_services_port)
            notes.append(self.demo_services_note)
        self.ncalayer_note = ""
        if demo and find_spec("qyzmet.demo.ncalayer"):
            self._add_ncalayer(children, env, qyzmet, ncalayer_port, ncalayer_person)
        supervisor = Supervisor(
            children,
            env=env,
            delay=settings.QYZMET_SERVE_RESTART_DELAY,
            delay_max=settings.QYZMET_SERVE_RESTART_DELAY_MAX,
            stable_seconds=settings.QYZMET_SERVE_STABLE_SECONDS,
            stop_seconds=settings.QYZMET_SERVE_STOP_SECONDS,
            log=lambda line: (self.stderr.write(line), self.stderr.flush()),
        )

        def started():
            self._banner(base, supervisor, notes)
            urls = " ".join(f"{name}={url}" for name, url in self.ready.items())
            pids = ",".join(f"{name}:{pid}" for name, pid in supervisor.pids().items())
            self.stdout.write(f"qyzmet serve: ready {urls} pids={pids}")
            self.stdout.flush()

        exit_code = supervisor.run(on_started=started)
        listener.close()
        if services is not None:
            services.close()
        sys.exit(exit_code)

    def _add_demo_services(self, children, env, qyzmet, requested):
        """The demo PKI services (CRLs, CA certificates, OCSP, TSA: ``qyzmet demo-services``)
        as a child of their own, on the port the demo PKI's certificates name (its
        ``index.json`` records the address it was made for), so the certificates, the
        services and the clients agree whatever ``--port`` is. The listening socket is ours,
        like the web server's: a restarting child leaves requests waiting in the backlog.
        Another ``--demo-services-port`` than the demo PKI's is refused: the demo PKI is
        re-issued for a port by ``qyzmet demo setup --services-port N`` only (new keys: the
        old key files and signatures stop verifying), never behind the user's back."""
        index_path = Path(settings.QYZMET_EDS_DEMO_PKI_DIR) / "index.json"
        try:
            recorded = urlsplit(json.loads(index_path.read_text(encoding="utf-8"))["base_url"])
        except (OSError, ValueError, KeyError):
            # Nothing to serve: the services answer from the demo PKI's files.
            self.demo_services_note = (
                f"  demo PKI services     not started: no demo PKI in {index_path.parent} "
                "(qyzmet demo setup)"
            )
            return None
        port = recorded.port or 80
        if requested is not None and requested != port:
            raise CommandError(
                f"the demo PKI in {index_path.parent} names its services at "
                f"{recorded.geturl()} (port {port}), not port {requested}: serve without "
                f"--demo-services-port, or re-issue it with `qyzmet demo setup "
                f"--services-port {requested}`"
            )
        try:
            listener = socket.create_server((recorded.hostname, port), backlog=256)
        except OSError as exc:
            self.demo_services_note = (
                f"  demo PKI services     not started: {recorded.hostname}:{port}, the address "
                f"the demo certificates name, is taken ({exc.strerror}); re-issue the demo PKI "
                "for a free port: qyzmet demo setup --services-port N"
            )
            return None
        listener.set_inheritable(True)
        url = f"{recorded.scheme}://{recorded.netloc}/eds/demo/"
        children.append(
            Child(
                "demo-services",
                [qyzmet, "demo-services", "--fd", str(listener.fileno())],
                pass_fds=(listener.fileno(),),
            )
        )
        # The time-stamps of a head's signature come from there too (the OCSP and CRL
        # addresses are the certificates' own).
        env.setdefault("QYZMET_TSA_URL", f"{url}tsa/")
        self.ready["demo-services"] = url
        self.demo_services_note = f"  demo PKI services     {url} (OCSP, CRL, TSA)"
        return listener

    def _add_ncalayer(self, children, env, qyzmet, port, person):
        """The NCALayer simulator on ``port`` and the pages pointed at it (unless the
        environment names another NCALayer address). A port already taken is most likely a
        real NCALayer: then it is left alone and the pages use the configured address."""
        if "QYZMET_NCALAYER_URL" in os.environ:
            self.ncalayer_note = (
                f"  NCALayer              {os.environ['QYZMET_NCALAYER_URL']} (set)"
            )
            return
        pki = Path(settings.QYZMET_EDS_DEMO_PKI_DIR)
        if not (pki / "index.json").exists():
            # It would only fail and be restarted for ever: it signs with the demo PKI's keys.
            self.ncalayer_note = (
                f"  NCALayer simulator    not started: no demo PKI in {pki} (qyzmet demo setup)"
            )
            return
        port = port or _free_port("127.0.0.1")
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                self.ncalayer_note = (
                    f"  NCALayer              port {port} is taken (a real NCALayer?): "
                    f"the pages use {settings.QYZMET_NCALAYER_URL}"
                )
                return
        url = f"ws://127.0.0.1:{port}/"
        children.append(
            Child(
                "ncalayer-simulator",
                [qyzmet, "ncalayer-simulator", "--port", str(port), "--person", person],
            )
        )
        env["QYZMET_NCALAYER_URL"] = url
        self.ready["ncalayer-simulator"] = url
        self.ncalayer_note = (
            f"  NCALayer simulator    {url} signing as '{person}'; another person: "
            f"qyzmet ncalayer-simulator control --url {url} --person zhumabaev"
        )

    def _banner(self, base, supervisor, notes):
        lines = [
            "",
            "qyzmet is running:",
            f"  portal (applicants)   {base}/",
            f"  office (staff desk)   {base}/office/",
            f"  API + docs            {base}/api/v1/docs/",
            f"  admin                 {base}/admin/",
            *notes,
            "  processes: " + ", ".join(f"{n} (pid {p})" for n, p in supervisor.pids().items()),
        ]
        if self.ncalayer_note:
            lines.append(self.ncalayer_note)
        summary = Path(settings.VAR_DIR) / "demo-logins.txt"
        if summary.exists():
            lines += ["", summary.read_text(encoding="utf-8")]
        lines.append("Stop with Ctrl-C (or SIGTERM): every process is stopped.")
        self.stdout.write("\n".join(lines))
