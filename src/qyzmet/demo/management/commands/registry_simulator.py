"""``qyzmet registry-simulator --port N``: run the GBD FL/UL registry simulator."""

from __future__ import annotations

import signal
import sys
import threading

from django.core.management.base import BaseCommand, CommandError

from qyzmet.demo.registry_simulator import (
    DEFAULT_PATH,
    Behaviour,
    RegistrySimulator,
    load_seed,
    make_server,
)
from qyzmet.registry import conf
from qyzmet.registry.keys import ensure_demo_keys, load_certificates, load_private_key


class Command(BaseCommand):
    help = "Run the e-gov gateway / GBD FL-UL registry simulator (signed SOAP) as its own process."
    # It serves no Django view: the project's checks (URLconf, every app's views) would only
    # double its start-up time, and tie its start to code it never runs.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8090, help="0 = any free port")
        parser.add_argument("--path", default=DEFAULT_PATH)
        parser.add_argument("--data", default=None, help="seed JSON (persons, organizations)")
        parser.add_argument("--delay-ms", type=int, default=0)
        parser.add_argument("--fail-rate", type=float, default=0.0)
        parser.add_argument("--seed", type=int, default=None, help="random seed for --fail-rate")
        parser.add_argument("--tamper-responses", action="store_true")
        parser.add_argument("--key", default=None, help="the simulator's signing key (PEM)")
        parser.add_argument("--cert", default=None, help="the simulator's certificate (PEM)")
        parser.add_argument(
            "--client-cert",
            action="append",
            default=None,
            help="a client certificate to accept (repeatable); default: the configured one",
        )
        parser.add_argument("--verbose", action="store_true", help="log every request")

    def handle(self, *args, **options) -> None:
        behaviour = Behaviour(
            delay_ms=options["delay_ms"],
            fail_rate=options["fail_rate"],
            tamper_responses=options["tamper_responses"],
        )
        if not conf.production() and not (options["key"] or options["cert"]):
            ensure_demo_keys(conf.keys_dir())
        try:
            behaviour.validate()
            simulator = RegistrySimulator(
                seed=load_seed(options["data"] or conf.simulator_data_path()),
                key=load_private_key(options["key"] or conf.simulator_key_path()),
                cert=load_certificates([options["cert"] or conf.simulator_cert_path()])[0],
                client_certs=load_certificates(self._client_certs(options)),
                behaviour=behaviour,
                random_seed=options["seed"],
            )
            server = make_server(
                simulator,
                options["host"],
                options["port"],
                path=options["path"],
                verbose=options["verbose"],
            )
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"registry simulator: {exc}") from exc

        def stop(signum, frame) -> None:
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        host, port = server.server_address[:2]
        self.stdout.write(f"registry simulator listening on http://{host}:{port}{options['path']}")
        sys.stdout.flush()
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()

    def _client_certs(self, options) -> list:
        if options["client_cert"]:
            return options["client_cert"]
        paths = conf.simulator_client_cert_paths()
        if not paths:
            raise CommandError("no client certificate to accept: set --client-cert")
        return paths
