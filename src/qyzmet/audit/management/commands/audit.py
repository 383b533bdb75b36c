from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qyzmet.audit.queries import verify_chain


class Command(BaseCommand):
    help = (
        "Audit log tools: `audit verify [--checkpoint FILE]` checks the hash chain (and the "
        "log against a signed checkpoint); `audit checkpoint [--out FILE]` writes the chain's "
        "head, signed by the system key and time-stamped, outside the database."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="verify the hash chain of the audit log")
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="also check the log against this checkpoint file (repeatable): a re-chained "
            "or truncated log no longer matches it",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="write the chain's head, signed and time-stamped, to a file"
        )
        checkpoint.add_argument(
            "--out", metavar="FILE", help="the file (default: QYZMET_AUDIT_CHECKPOINT_DIR)"
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "checkpoint":
            return self._checkpoint(options["out"])
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at record #{report.broken_record_id}: {report.reason} "
                f"({report.checked} records verified before it)",
                returncode=1,
            )
        self.stdout.write(f"audit chain OK: {report.checked} records")
        for name in options["checkpoint"]:
            self._against(Path(name))

    def _against(self, path: Path) -> None:
        from qyzmet.audit.checkpoint import verify_against_checkpoint

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}", returncode=2) from exc
        report = verify_against_checkpoint(data)
        if not report.ok:
            raise CommandError(f"checkpoint {path}: MISMATCH: {report.reason}", returncode=1)
        stamped = (
            f", time-stamped {report.timestamped_at.isoformat()}"
            if report.timestamped_at
            else ", no time-stamp"
        )
        self.stdout.write(
            f"checkpoint {path}: OK (record #{report.sequence} of {report.at}{stamped})"
        )

    def _checkpoint(self, out) -> None:
        from qyzmet.audit.checkpoint import CheckpointError, make_checkpoint

        try:
            made = make_checkpoint(Path(out) if out else None)
        except CheckpointError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        stamped = made.timestamped_at.isoformat() if made.timestamped_at else "no time-stamp"
        self.stdout.write(
            f"audit checkpoint: record #{made.sequence} ({made.hash[:16]}…), "
            f"{made.count} records, {stamped} → {made.path}"
        )
