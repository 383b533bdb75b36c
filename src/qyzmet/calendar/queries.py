"""Reads of the calendar app."""

from __future__ import annotations

from datetime import date

from django.db import DatabaseError, transaction
from django.db.models import Count, Max

from .models import DayOverride


def load_overrides() -> dict[date, str]:
    return dict(DayOverride.objects.values_list("date", "kind"))


def overrides_fingerprint() -> tuple | None:
    """Changes whenever a row is added, edited or deleted; None if the table does not exist."""
    try:
        # A savepoint, so that a missing table does not break the caller's transaction.
        with transaction.atomic():
            stats = DayOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    except DatabaseError:
        return None
    return (stats["n"], stats["last"])


def overrides_in_year(year: int):
    return DayOverride.objects.filter(date__year=year).order_by("date")
