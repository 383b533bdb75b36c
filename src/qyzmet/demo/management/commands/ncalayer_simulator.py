"""``qyzmet ncalayer-simulator``: NCALayer's WebSocket protocol on 127.0.0.1, signing with a
demo key (see ``qyzmet/demo/ncalayer.py``).

    qyzmet ncalayer-simulator [--port 13579] [--person abenova | --key F --password P ...]
                              [--tls-cert C --tls-key K] [--answer sign|cancel|error]
    qyzmet ncalayer-simulator control [--url ws://127.0.0.1:13579/] [--person ID]
                              [--answer sign|cancel|error] [--greeting on|off]
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qyzmet.demo import ncalayer

DEFAULT_PERSON = "abenova"


class Command(BaseCommand):
    help = "Run the NCALayer simulator (demo and tests), or change a running one (control)."
    requires_system_checks = []  # it serves no Django view

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=ncalayer.DEFAULT_PORT, help="0 = any")
        parser.add_argument("--pki", default=None, help="demo PKI folder (default: the setting)")
        parser.add_argument(
            "--person", default=None, help=f"demo person (default {DEFAULT_PERSON})"
        )
        parser.add_argument("--key", action="append", default=[], help="a key file (repeatable)")
        parser.add_argument("--password", action="append", default=[], help="its password")
        parser.add_argument("--tls-cert", default=None, help="serve wss:// with this certificate")
        parser.add_argument("--tls-key", default=None, help="… and this key (PEM)")
        parser.add_argument("--answer", choices=ncalayer.ANSWERS, default="sign")
        sub = parser.add_subparsers(dest="subcommand")
        control = sub.add_parser("control", help="change a running simulator")
        control.add_argument("--url", default=f"ws://127.0.0.1:{ncalayer.DEFAULT_PORT}/")
        control.add_argument("--person", dest="control_person", default=None)
        control.add_argument("--answer", dest="control_answer", choices=ncalayer.ANSWERS)
        control.add_argument("--greeting", choices=("on", "off"), default=None)

    def handle(self, *args, **options) -> None:
        if options["subcommand"] == "control":
            self._control(options)
            return
        pki_dir = options["pki"] or getattr(settings, "QYZMET_EDS_DEMO_PKI_DIR", None)
        try:
            simulator = self._simulator(options, pki_dir)
            tls = None
            if options["tls_cert"] or options["tls_key"]:
                if not (options["tls_cert"] and options["tls_key"]):
                    raise ValueError("--tls-cert and --tls-key go together")
                tls = ncalayer.tls_context(options["tls_cert"], options["tls_key"])
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"ncalayer simulator: {exc}") from exc
        except Exception as exc:  # an unreadable key file (EdsError): say so, do not trace
            raise CommandError(f"ncalayer simulator: {type(exc).__name__}: {exc}") from exc

        def ready(url: str) -> None:
            who = ", ".join(f"{key.common_name} ({key.key_type.lower()})" for key in simulator.keys)
            self.stdout.write(f"ncalayer simulator listening on {url} (keys: {who or 'none'})")
            sys.stdout.flush()

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
            await ncalayer.run(
                simulator, options["host"], options["port"], tls=tls, ready=ready, stop=stop
            )

        try:
            asyncio.run(main())
        except OSError as exc:  # the port is taken (a real NCALayer?)
            raise CommandError(f"ncalayer simulator: {exc}") from exc

    def _simulator(self, options, pki_dir) -> ncalayer.NCALayerSimulator:
        behaviour = ncalayer.Behaviour(answer=options["answer"])
        if options["key"]:
            if len(options["password"]) != len(options["key"]):
                raise ValueError("give one --password for every --key")
            keys = [
                ncalayer.load_key_file(path, password)
                for path, password in zip(options["key"], options["password"], strict=True)
            ]
            return ncalayer.NCALayerSimulator(keys, behaviour=behaviour, pki_dir=pki_dir)
        if pki_dir is None:
            raise ValueError("no key: give --key/--password or --person with --pki")
        person = options["person"] or DEFAULT_PERSON
        keys = ncalayer.person_keys(pki_dir, person)
        return ncalayer.NCALayerSimulator(keys, behaviour=behaviour, pki_dir=pki_dir, person=person)

    def _control(self, options) -> None:
        changes = {}
        if options["control_person"]:
            changes["person"] = options["control_person"]
        if options["control_answer"]:
            changes["answer"] = options["control_answer"]
        if options["greeting"]:
            changes["greeting"] = options["greeting"] == "on"
        try:
            state = ncalayer.control(options["url"], **changes)
        except (OSError, ValueError) as exc:
            raise CommandError(f"ncalayer simulator at {options['url']}: {exc}") from exc
        self.stdout.write(json.dumps(state, ensure_ascii=False, indent=2))
