"""Reads of the calendar app."""

from __future__ import annotations

from datetime import date

from django.db import DatabaseError, connection, transaction

from .models import DayOverride


def load_overrides() -> dict[date, str] | None:
    """Every override as {date: kind}; None when the table does not exist (not migrated).

    The table holds a few rows a year, so reading it whole is also the cheapest way to tell
    whether it changed (edits by another process, or by SQL, send this process no signal).
    """
    try:
        # A savepoint, so that a missing table does not break the caller's transaction.
        with transaction.atomic():
            return dict(DayOverride.objects.values_list("date", "kind"))
    except DatabaseError:
        if DayOverride._meta.db_table in connection.introspection.table_names():
            raise  # the table is there: a real failure, not an unmigrated database
        return None


def overrides_in_year(year: int):
    return DayOverride.objects.filter(date__year=year).order_by("date")
