"""Settings of the calendar app. Every setting has a default; override in Django settings.

- ``QYZMET_CALENDAR_WORK_START`` / ``_WORK_END`` ("09:00" / "18:30"),
  ``QYZMET_CALENDAR_LUNCH_START`` / ``_LUNCH_END`` ("13:00" / "14:30"; both "" = no lunch),
  ``QYZMET_CALENDAR_TIME_ZONE`` ("Asia/Almaty"), ``QYZMET_CALENDAR_WORKING_WEEKDAYS``
  ("0,1,2,3,4", Monday = 0), ``QYZMET_CALENDAR_REGISTRATION_CUTOFF`` ("" = end of the day):
  the provider's schedule (SERVICES.md "Terms, schedule", assumed).
- ``QYZMET_CALENDAR_RELOAD_SECONDS`` (30): how often a process checks whether the overrides
  changed in the database (saves in the same process take effect at once).
- ``QYZMET_CALENDAR_COUNTRY`` ("KZ"): the `holidays` country code.
"""

from __future__ import annotations

from datetime import date, time

from django.conf import settings

DEFAULTS = {
    "WORK_START": "09:00",
    "WORK_END": "18:30",
    "LUNCH_START": "13:00",
    "LUNCH_END": "14:30",
    "TIME_ZONE": "Asia/Almaty",
    "WORKING_WEEKDAYS": "0,1,2,3,4",
    "REGISTRATION_CUTOFF": "",
    "RELOAD_SECONDS": 30,
    "COUNTRY": "KZ",
}


def setting(name: str):
    return getattr(settings, f"QYZMET_CALENDAR_{name}", DEFAULTS[name])


def _time_or_none(value) -> time | None:
    if value in ("", None):
        return None
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def _weekdays(value) -> frozenset[int]:
    if isinstance(value, str):
        return frozenset(int(part) for part in value.split(",") if part.strip())
    return frozenset(int(part) for part in value)


def _read_schedule_fields() -> dict:
    return {
        "start": _time_or_none(setting("WORK_START")),
        "end": _time_or_none(setting("WORK_END")),
        "lunch_start": _time_or_none(setting("LUNCH_START")),
        "lunch_end": _time_or_none(setting("LUNCH_END")),
        "timezone": str(setting("TIME_ZONE")),
        "working_weekdays": _weekdays(setting("WORKING_WEEKDAYS")),
        "registration_cutoff": _time_or_none(setting("REGISTRATION_CUTOFF") or None),
    }


# Settings are read once: get_calendar() is on hot paths, and a missing attribute of Django's
# lazy settings costs microseconds. Tests that override a setting clear this (setting_changed,
# signals.py).
_memo: dict[str, object] = {}


def schedule_fields() -> dict:
    """The provider's schedule from the settings, as the fields of a working_time.Schedule."""
    fields = _memo.get("schedule")
    if fields is None:
        fields = _memo["schedule"] = _read_schedule_fields()
    return fields


def reload_seconds() -> float:
    seconds = _memo.get("reload_seconds")
    if seconds is None:
        seconds = _memo["reload_seconds"] = float(setting("RELOAD_SECONDS"))
    return seconds


def country() -> str:
    return str(setting("COUNTRY"))


def forget() -> None:
    """Read the settings again (after a test changed one)."""
    _memo.clear()


def seed_overrides() -> dict[date, str]:
    from .seed import ALL_SEEDS

    return {date.fromisoformat(row.date): row.kind for row in ALL_SEEDS}
