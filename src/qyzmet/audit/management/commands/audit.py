from django.core.management.base import BaseCommand, CommandError

from qyzmet.audit.queries import verify_chain


class Command(BaseCommand):
    help = (
        "Audit log tools: `audit verify` checks the hash chain and names the first broken record."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="verify the hash chain of the audit log")

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"audit chain OK: {report.checked} records")
            return
        raise CommandError(
            f"audit chain BROKEN at record #{report.broken_record_id}: {report.reason} "
            f"({report.checked} records verified before it)",
            returncode=1,
        )
