from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Demo data: `demo setup` creates staff of every role, the demo PKI and sample cases (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        setup = sub.add_parser("setup", help="create (or keep) the demo data")
        setup.add_argument(
            "--services-port",
            type=int,
            default=settings.QYZMET_DEMO_SERVICES_PORT,
            help="the demo PKI services' port the demo certificates name (`qyzmet serve` starts "
            "the services there); another port than the existing demo PKI's re-issues it",
        )

    def handle(self, *args, subcommand, services_port, **options):
        from qyzmet.demo.data import setup_demo

        summary = setup_demo(base_url=f"http://127.0.0.1:{services_port}")
        self.stdout.write(summary)
