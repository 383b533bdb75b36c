"""``qyzmet demo-services``: the demo PKI's CRLs, CA certificates, OCSP responder and TSA
(``qyzmet.demo.views`` under ``/eds/demo/``, URLconf ``qyzmet.demo.service_urls``) in a
process and on a port of their own. ``qyzmet serve`` runs it in demo mode as a supervised
child on the port the demo PKI's certificates name (docs/operations.md, "The demo PKI
services"): the site's web workers ask it over HTTP for the OCSP answers and time-stamps a
head's signature needs, so they never wait for one of themselves.

A small threaded WSGI server (Django's, as ``runserver`` uses); ``--fd`` serves a listening
socket the supervisor opened (it stays open across restarts), ``--port`` binds its own."""

from __future__ import annotations

import socket

from django.conf import settings
from django.core.management.base import BaseCommand

URLCONF = "qyzmet.demo.service_urls"


def make_server(*, fd: int | None = None, host: str = "127.0.0.1", port: int = 0):
    """The WSGI server of the demo services (``serve_forever`` to run)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    from qyzmet.demo import service_urls

    # This process serves the demo services only, without the site's middleware.
    settings.ROOT_URLCONF = URLCONF
    settings.MIDDLEWARE = service_urls.MIDDLEWARE
    if fd is None:
        server = ThreadedWSGIServer((host, port), QuietHandler)
    else:
        listener = socket.socket(fileno=fd)
        server = ThreadedWSGIServer(
            listener.getsockname()[:2], QuietHandler, bind_and_activate=False
        )
        server.socket.close()
        server.socket = listener
        server.server_address = listener.getsockname()[:2]
        server.server_name, server.server_port = "127.0.0.1", server.server_address[1]
        server.setup_environ()
    server.daemon_threads = True
    server.set_app(WSGIHandler())
    return server


class Command(BaseCommand):
    help = (
        "Serve the demo PKI's CRLs, CA certificates, OCSP responder and TSA on a port of their own."
    )
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.QYZMET_DEMO_SERVICES_PORT)
        parser.add_argument("--fd", type=int, help="serve this listening socket (qyzmet serve)")

    def handle(self, *args, host, port, fd, **options):
        server = make_server(fd=fd, host=host, port=port)
        address = server.socket.getsockname()
        self.stdout.write(
            f"demo PKI services listening on http://{address[0]}:{address[1]}/eds/demo/"
        )
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
