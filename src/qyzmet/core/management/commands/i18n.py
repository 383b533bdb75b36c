"""``qyzmet i18n compile|check`` — the interface texts' gettext catalogues (docs/i18n.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qyzmet.core.i18n import (
    DOMAINS,
    add_missing,
    catalogue_paths,
    catalogue_problems,
    compile_catalogues,
    missing_texts,
)


class Command(BaseCommand):
    help = "Compile the .po catalogues to .mo (Babel, no msgfmt needed) or check them."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        compile_ = sub.add_parser("compile", help="write each .mo older than its .po")
        compile_.add_argument("--force", action="store_true", help="rewrite every .mo")
        sub.add_parser(
            "update",
            help="add each text the code (django) and the JavaScript (djangojs) mark and a "
            "catalogue lacks, untranslated, to that catalogue (the source language's: plurals)",
        )
        sub.add_parser(
            "check",
            help="exit 1 if a language's catalogue is missing or has an entry untranslated or fuzzy",
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "compile":
            written = compile_catalogues(force=options["force"])
            self.stdout.write(f"{len(written)} of {len(catalogue_paths())} catalogues compiled")
            return
        if subcommand == "update":
            for code, _name in settings.LANGUAGES:
                for domain in DOMAINS:
                    self.stdout.write(f"{code} {domain}: {add_missing(code, domain)} texts added")
            return
        problems = catalogue_problems() + [
            f"{code}: {domain}: {msgid!r} ({where}) is not in the catalogue"
            for code, _name in settings.LANGUAGES
            for domain in DOMAINS
            for (_context, msgid), where in missing_texts(code, domain).items()
        ]
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} catalogue problems")
        self.stdout.write("catalogues complete")
