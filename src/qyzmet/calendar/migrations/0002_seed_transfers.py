"""Seed the Government's transfers of days off that `holidays` lacks (see seed.py)."""

from datetime import date

from django.db import migrations

from qyzmet.calendar.seed import TRANSFERS_2012_2025


def seed(apps, schema_editor):
    DayOverride = apps.get_model("calendar", "DayOverride")
    for row in TRANSFERS_2012_2025:
        DayOverride.objects.update_or_create(
            date=date.fromisoformat(row.date),
            defaults={
                "kind": row.kind,
                "basis": row.basis,
                "assumed": row.assumed,
                "note": row.note,
            },
        )


def unseed(apps, schema_editor):
    DayOverride = apps.get_model("calendar", "DayOverride")
    dates = [date.fromisoformat(row.date) for row in TRANSFERS_2012_2025]
    DayOverride.objects.filter(date__in=dates).delete()


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
