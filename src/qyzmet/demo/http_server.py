"""One demo PKI responder (TSA or OCSP) on a small HTTP server of its own, in a thread of the
caller, for the tests, the benchmarks and ``demo setup`` (which signs sample results before
``qyzmet serve`` runs). What ``qyzmet serve`` runs is ``qyzmet demo-services``: every endpoint
of ``views.py`` (CRLs, CA certificates, OCSP, TSA) as a process of its own."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_REQUEST_BYTES = 16 * 1024
TSA_TYPES = ("application/timestamp-query", "application/timestamp-reply")
OCSP_TYPES = ("application/ocsp-request", "application/ocsp-response")


def http_server(
    responder, types: tuple[str, str] = TSA_TYPES, host: str = "127.0.0.1", port: int = 0
):
    """``responder.respond(request) -> answer`` behind POST with the request and reply
    content types ``types``. ``server.server_address`` says where; the caller runs
    ``serve_forever`` (in a thread) and ``shutdown``."""
    request_type, reply_type = types

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802  (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Content-Type") != request_type:
                self.send_error(415)
                return
            if length > MAX_REQUEST_BYTES:
                self.send_error(413)
                return
            answer = responder.respond(self.rfile.read(length))
            self.send_response(200)
            self.send_header("Content-Type", reply_type)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
