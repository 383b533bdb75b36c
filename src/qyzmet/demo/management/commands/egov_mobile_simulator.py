"""``qyzmet egov-mobile-simulator --qr TEXT --key FILE --password P``: play the eGov mobile
app's side of a QR signing over HTTP (demo and tests; ``qyzmet.demo.egov_mobile``)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Phone simulator: scan an eGov mobile QR text, sign with a key file, PUT it back."
    requires_system_checks = []  # it serves nothing: an HTTP client of the running server

    def add_arguments(self, parser) -> None:
        from qyzmet.demo.egov_mobile import add_arguments

        add_arguments(parser)

    def handle(self, *args, **options) -> None:
        from qyzmet.demo.egov_mobile import run_with

        code = run_with(options)  # JSON lines on stdout
        if code:
            sys.exit(code)
