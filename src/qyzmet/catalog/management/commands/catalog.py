"""``qyzmet catalog check|load|list|show|schema`` — the service catalogue on the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qyzmet.catalog import bpmn, conf
from qyzmet.catalog.handbook import render_handbook
from qyzmet.catalog.loader import CatalogError, load_catalog
from qyzmet.catalog.metaschema import SERVICE_VERSION_SCHEMA
from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.queries import all_versions, find_version, version_in_force, versions_of
from qyzmet.catalog.validation import check_directory
from qyzmet.core.refusals import Refused


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--on: {value!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Service catalogue: check or load the regulation files, list or show versions."
    # Its output is about catalogue files; other apps' system-check warnings would only
    # bury it (``qyzmet check`` runs them).
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser(
            "check", help="validate every catalogue file (exit 1 if any is invalid)"
        )
        check.add_argument("directory", nargs="?", help="catalogue folder (default: the setting)")
        load = sub.add_parser("load", help="validate and load the catalogue into the database")
        load.add_argument("directory", nargs="?", help="catalogue folder (default: the setting)")
        sub.add_parser("list", help="list the loaded versions")
        show = sub.add_parser("show", help="show the version of a service in force on a date")
        show.add_argument("service", help="service code, e.g. temporary-export")
        show.add_argument("--on", help="date YYYY-MM-DD (default: today)")
        show.add_argument("--json", action="store_true", help="print the whole definition")
        sub.add_parser("schema", help="print the JSON Schema of a catalogue file")
        bpmn = sub.add_parser(
            "bpmn", help="write the process of a version and channel as BPMN 2.0 XML"
        )
        bpmn.add_argument("service", help="service code, e.g. temporary-export")
        bpmn.add_argument(
            "--version", dest="service_version", help="version (default: in force today)"
        )
        bpmn.add_argument("--channel", help="portal or office (default: the version's first)")
        bpmn.add_argument("--out", help="file to write (default: standard output)")
        handbook = sub.add_parser(
            "handbook", help="write the business-process handbook (p.13) of a version as PDF"
        )
        handbook.add_argument("service", help="service code, e.g. temporary-export")
        handbook.add_argument(
            "--version", dest="service_version", help="version (default: in force today)"
        )
        handbook.add_argument("--out", required=True, help="the PDF file to write")

    def handle(self, *args, **options):
        return getattr(self, f"_{options['subcommand']}")(options)

    def _directory(self, options) -> Path:
        return Path(options["directory"]) if options.get("directory") else conf.catalog_dir()

    def _check(self, options) -> None:
        result = check_directory(self._directory(options))
        for file in result.files:
            if file.ok and file.parsed is not None:
                parsed = file.parsed
                until = parsed.effective_until or "…"
                demo = " [demo]" if parsed.is_demo else ""
                self.stdout.write(
                    f"OK      {file.display}  {parsed.service_code} {parsed.version} "
                    f"{parsed.effective_from} .. {until}{demo}"
                )
            else:
                self.stdout.write(f"INVALID {file.display}")
        for issue in result.issues:
            self.stderr.write(str(issue))
        if not result.ok:
            raise CommandError(f"{len(result.issues)} problem(s) in the catalogue", returncode=1)

    def _load(self, options) -> None:
        try:
            report = load_catalog(self._directory(options))
        except CatalogError as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError("catalogue not loaded; nothing was changed", returncode=1) from exc
        self.stdout.write(f"catalogue loaded: {report}")

    def _list(self, options) -> None:
        for version in all_versions():
            until = version.effective_until or "…"
            demo = " [demo]" if version.is_demo else ""
            self.stdout.write(
                f"{version.service_code:24} {version.version:10} {version.effective_from} .. "
                f"{until!s:10} {version.title('ru')}{demo}"
            )

    def _show(self, options) -> None:
        day = _date(options["on"]) if options.get("on") else timezone.localdate()
        try:
            version = version_in_force(options["service"], day)
        except Refused as exc:
            raise CommandError(exc.message("en"), returncode=1) from exc
        if options["json"]:
            self.stdout.write(json.dumps(version.definition, ensure_ascii=False, indent=2))
            return
        write = self.stdout.write
        write(f"{version.service_code} {version.version} (in force on {day})")
        write(f"  source:     {version.source_path} sha256={version.source_sha256[:16]}…")
        write(f"  in force:   {version.effective_from} .. {version.effective_until or '…'}")
        for language in ("ru", "kk", "en"):
            write(f"  title {language}:   {version.title(language)}")
        write(f"  channels:   {', '.join(version.channels)}")
        write(f"  result:     {version.result_kind} / refusal: {version.refusal_kind}")
        write("  steps:")
        for step in version.steps:
            value = f" {step.norm_value}" if step.norm_value is not None else ""
            write(
                f"    {step.code:9} {step.role:9} {step.norm_kind}{value} from {step.norm_from}"
                f"  [{', '.join(step.channels)}]  ({step.basis})"
            )
        write("  refusal reasons:")
        for reason in version.refusal_reasons.values():
            write(f"    {reason.code:24} at {', '.join(reason.stages):14} {reason.text('ru')}")

    def _version(self, options) -> ServiceVersion:
        """The loaded version the options name; exit code 2 when there is none."""
        service, wanted = options["service"], options.get("service_version")
        version = find_version(service, wanted)
        if version is not None:
            return version
        known = ", ".join(v.version for v in versions_of(service))
        if not known:
            raise CommandError(
                f"unknown service {service!r} (not in the loaded catalogue)", returncode=2
            )
        if wanted:
            raise CommandError(
                f"service {service!r} has no version {wanted!r} (loaded: {known})", returncode=2
            )
        raise CommandError(
            f"no version of {service!r} is in force today; name one with --version ({known})",
            returncode=2,
        )

    def _channel(self, version: ServiceVersion, options) -> str:
        channel = options.get("channel") or version.channels[0]
        if channel not in version.channels:
            raise CommandError(
                f"{version.service_code} {version.version} has no channel {channel!r} "
                f"({', '.join(version.channels)})",
                returncode=2,
            )
        return channel

    def _write(self, data: bytes, options) -> None:
        if options.get("out"):
            Path(options["out"]).write_bytes(data)
        else:
            self.stdout.write(data.decode("utf-8"), ending="")

    def _bpmn(self, options) -> None:
        version = self._version(options)
        channel = self._channel(version, options)
        self._write(bpmn.export(version.definition, channel), options)

    def _handbook(self, options) -> None:
        version = self._version(options)
        Path(options["out"]).write_bytes(render_handbook(version.definition))
        self.stdout.write(f"{options['out']}: {version.service_code} {version.version}")

    def _schema(self, options) -> None:
        self.stdout.write(json.dumps(SERVICE_VERSION_SCHEMA, ensure_ascii=False, indent=2))
