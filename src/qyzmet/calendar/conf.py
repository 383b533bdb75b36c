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
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .working_time import Schedule

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


@lru_cache(maxsize=16)
def _schedule_of(raw: tuple) -> Schedule:
    start, end, lunch_start, lunch_end, zone, weekdays, cutoff = raw
    return Schedule(
        start=_time_or_none(start),
        end=_time_or_none(end),
        lunch_start=_time_or_none(lunch_start),
        lunch_end=_time_or_none(lunch_end),
        timezone=str(zone),
        working_weekdays=_weekdays(weekdays),
        registration_cutoff=_time_or_none(cutoff),
    )


def _read_default_schedule() -> Schedule:
    names = ("WORK_START", "WORK_END", "LUNCH_START", "LUNCH_END", "TIME_ZONE")
    raw = tuple(str(setting(name)) for name in names)
    weekdays = setting("WORKING_WEEKDAYS")
    weekdays = weekdays if isinstance(weekdays, str) else tuple(weekdays)
    return _schedule_of((*raw, weekdays, str(setting("REGISTRATION_CUTOFF") or "")))


# Settings are read once: get_calendar() is on hot paths, and a missing attribute of Django's
# lazy settings costs microseconds. Tests that override a setting clear this (setting_changed).
_memo: dict[str, object] = {}


def default_schedule() -> Schedule:
    """The schedule of the settings."""
    schedule = _memo.get("schedule")
    if schedule is None:
        schedule = _memo["schedule"] = _read_default_schedule()
    return schedule


def reload_seconds() -> float:
    seconds = _memo.get("reload_seconds")
    if seconds is None:
        seconds = _memo["reload_seconds"] = float(setting("RELOAD_SECONDS"))
    return seconds


def country() -> str:
    return str(setting("COUNTRY"))


@receiver(setting_changed, dispatch_uid="calendar_settings_changed")
def _forget_settings(*, setting: str, **kwargs) -> None:
    if setting.startswith("QYZMET_CALENDAR_"):
        _memo.clear()
        from .working_time import invalidate_calendar_cache

        invalidate_calendar_cache()


def seed_overrides() -> dict[date, str]:
    from .seed import ALL_SEEDS

    return {date.fromisoformat(row.date): row.kind for row in ALL_SEEDS}
