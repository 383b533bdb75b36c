"""``qyzmet demo-pki DIR``: create the demo PKI (GOST-2015/512 and legacy RSA, NCA-like) in a
folder, or keep the one there, and print who holds which key (``qyzmet/demo/pki.py``)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from qyzmet.demo.pki import create_demo_pki


class Command(BaseCommand):
    help = "Create the demo PKI in a folder (demo and tests)."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        summary = create_demo_pki(directory)
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
