from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Demo data: `demo setup` creates staff of every role, the demo PKI and sample cases (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        setup = sub.add_parser("setup", help="create (or keep) the demo data")
        setup.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, subcommand, base_url, **options):
        from qyzmet.demo.data import setup_demo

        summary = setup_demo(base_url=base_url)
        self.stdout.write(summary)
