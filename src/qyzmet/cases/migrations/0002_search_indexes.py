"""Indexes for the register's search (``cases.queries.search``), so that it reads a few index
entries instead of the whole table (bench/inbox_page.py: 330 ms → a few ms at 1M cases).

The search matches the registration number and the applicant's name by case-insensitive
prefix, which Django writes on PostgreSQL as ``UPPER(column::text) LIKE UPPER('text%')``. Only
an index on that same expression with ``text_pattern_ops`` answers it in any collation (a
plain index serves LIKE only under the C collation), and that exists on PostgreSQL alone; on
SQLite, the embedded single-office database, the search scans as before.
"""

from django.db import migrations, models
from django.db.models import Q

from qyzmet.core.migration_sql import run_by_vendor

POSTGRES_UP = [
    """CREATE INDEX IF NOT EXISTS app_number_upper_prefix_idx
       ON cases_application (UPPER(registration_number::text) text_pattern_ops)""",
    """CREATE INDEX IF NOT EXISTS app_name_upper_prefix_idx
       ON cases_application (UPPER(applicant_name::text) text_pattern_ops)""",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS app_number_upper_prefix_idx",
    "DROP INDEX IF EXISTS app_name_upper_prefix_idx",
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=~Q(representative_iin=""),
                fields=["representative_iin"],
                name="app_representative_iin_idx",
            ),
        ),
        run_by_vendor({"postgresql": POSTGRES_UP}, {"postgresql": POSTGRES_DOWN}),
    ]
