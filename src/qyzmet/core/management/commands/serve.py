"""Start everything qyzmet needs on this machine and keep it running until Ctrl-C:
the web server (gunicorn), the task worker, the periodic scheduler and, in demo mode, the
registry simulator (GBD FL/UL behind the e-gov gateway protocol)."""

import os
import signal
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

    def handle(self, *args, host, port, workers, simulator_port, **options):
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
        summary = Path(settings.VAR_DIR) / "demo-logins.txt"
        if summary.exists():
            lines += ["", summary.read_text(encoding="utf-8")]
        lines.append("Stop with Ctrl-C.")
        self.stdout.write("\n".join(lines))
