"""Start everything qyzmet needs on this machine and keep it running until Ctrl-C:
the web server (gunicorn), the task worker, the periodic scheduler and, in demo mode, the
registry simulator (GBD FL/UL behind the e-gov gateway protocol) and the NCALayer simulator
(ws://127.0.0.1:13579/, signing as a demo person; the pages are pointed at it)."""

import os
import signal
import socket
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server, task worker, scheduler and (demo) registry simulator."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--simulator-port", type=int, default=8090)
        parser.add_argument("--ncalayer-port", type=int, default=13579)
        parser.add_argument("--ncalayer-person", default="abenova")

    def handle(
        self, *args, host, port, workers, simulator_port, ncalayer_port, ncalayer_person, **options
    ):
        qyzmet = str(Path(sys.executable).with_name("qyzmet"))
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        commands = {
            "web": [
                gunicorn,
                "qyzmet.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ],
            "worker": [qyzmet, "db_worker"],
            "scheduler": [qyzmet, "scheduler"],
        }
        if settings.QYZMET_ENV != "production" and find_spec("qyzmet.registry.simulator"):
            commands["registry-simulator"] = [
                qyzmet,
                "registry-simulator",
                "--host",
                "127.0.0.1",
                "--port",
                str(simulator_port),
            ]
        self.ncalayer_note = ""
        if settings.QYZMET_ENV != "production" and find_spec("qyzmet.demo.ncalayer"):
            self._add_ncalayer(commands, env, qyzmet, ncalayer_port, ncalayer_person)
        processes = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
        self._banner(host, port, processes)
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"{name} exited with {process.returncode}; stopping")
                    exit_code, stopping = 1, True
            time.sleep(0.5)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(exit_code)

    def _add_ncalayer(self, commands, env, qyzmet, port, person):
        """The NCALayer simulator on ``port`` and the pages pointed at it (unless the
        environment names another NCALayer address). A port already taken is most likely a
        real NCALayer: then it is left alone and the pages use the configured address."""
        if "QYZMET_NCALAYER_URL" in os.environ:
            self.ncalayer_note = (
                f"  NCALayer              {os.environ['QYZMET_NCALAYER_URL']} (set)"
            )
            return
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
        commands["ncalayer-simulator"] = [
            qyzmet,
            "ncalayer-simulator",
            "--port",
            str(port),
            "--person",
            person,
        ]
        env["QYZMET_NCALAYER_URL"] = url
        self.ncalayer_note = (
            f"  NCALayer simulator    {url} signing as '{person}'; another person: "
            f"qyzmet ncalayer-simulator control --url {url} --person zhumabaev"
        )

    def _banner(self, host, port, processes):
        base = f"http://{host}:{port}"
        lines = [
            "",
            "qyzmet is running:",
            f"  portal (applicants)   {base}/",
            f"  office (staff desk)   {base}/office/",
            f"  API + docs            {base}/api/v1/docs/",
            f"  admin                 {base}/admin/",
            "  processes: " + ", ".join(f"{n} (pid {p.pid})" for n, p in processes.items()),
        ]
        if self.ncalayer_note:
            lines.append(self.ncalayer_note)
        summary = Path(settings.VAR_DIR) / "demo-logins.txt"
        if summary.exists():
            lines += ["", summary.read_text(encoding="utf-8")]
        lines.append("Stop with Ctrl-C.")
        self.stdout.write("\n".join(lines))
