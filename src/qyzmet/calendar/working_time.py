"""Working time on the Kazakhstan calendar: holidays + the Government's transfers + a schedule.

A day is a working day when the provider's week has it (Mon–Fri) and it is not a public
holiday (``holidays.KZ``, which already moves a national holiday that falls on a weekend to the
next working day, and knows the weekdays that decrees made days off) — unless an override says
otherwise: ``working`` (a Saturday/Sunday worked in exchange for a day off) beats everything,
``day_off`` makes a weekday a day off.

Inside a working day, working time is the schedule's periods, half-open: 09:00–13:00 and
14:30–18:30 by default (SERVICES.md, "Terms, schedule"). All moments are aware datetimes; they
are read in the schedule's time zone (Asia/Almaty, which has no DST but did change its offset
from +06 to +05 on 2024-03-01 — zoneinfo handles that).

How the arithmetic works, and why it is fast: every calendar keeps, per range of years, the
sorted ordinals of its working days. Every working day has the same length W, so the number of
working microseconds from the start of the range to a moment is
``(working days before its date) * W + (worked so far that day)`` — one bisect. Adding working
days or minutes, and counting them between two moments, are a subtraction or a division on that
number. No database access happens here; :func:`get_calendar` loads the overrides once.
"""

from __future__ import annotations

import bisect
import logging
import operator
import threading
import time as monotonic_clock
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext_lazy

from qyzmet.core.refusals import Refused, register

from .kinds import OVERRIDE_KINDS, WORKING

logger = logging.getLogger(__name__)


COUNTRY = "KZ"
# The years `holidays` has data for; outside them a weekday would silently count as working.
MIN_YEAR = holidays.country_holidays(COUNTRY).start_year
MAX_YEAR = holidays.country_holidays(COUNTRY).end_year

MICROS_PER_MINUTE = 60 * 1_000_000
MICROS_PER_DAY = 24 * 60 * MICROS_PER_MINUTE
# When a calendar has to grow to reach a far date it adds at least this many years at once.
_GROWTH_YEARS = 2
# Working days in a year are never fewer than this (Kazakhstan: ~245); used to size growth.
_MIN_WORKING_DAYS_PER_YEAR = 200


register(
    "calendar_naive_datetime", gettext_lazy("Момент времени указан без часового пояса: {value}.")
)
register(
    "calendar_out_of_range",
    gettext_lazy("Год {value} вне поддерживаемого календаря ({min_year}–{max_year})."),
)
register(
    "calendar_negative_count",
    gettext_lazy("Количество должно быть целым неотрицательным числом, получено: {value}."),
)
register("calendar_not_working_day", gettext_lazy("{value} — не рабочий день."))
register(
    "calendar_invalid_date", gettext_lazy("Дата указана неверно (ожидается ГГГГ-ММ-ДД): {value}.")
)
register(
    "calendar_invalid_datetime",
    gettext_lazy(
        "Момент времени указан неверно (ожидается ISO 8601, например 2026-03-18T10:00+05:00): {value}."
    ),
)


class CalendarInputError(Refused, ValueError):
    """Bad input to the calendar: a refusal with a stable code that is also a ValueError."""


# --- Schedule -----------------------------------------------------------------------------


def _micros(moment: time | datetime) -> int:
    return (
        (moment.hour * 60 + moment.minute) * 60 + moment.second
    ) * 1_000_000 + moment.microsecond


def _time_of(micros: int) -> time:
    seconds, micro = divmod(micros, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, micro)


@dataclass(frozen=True)
class Schedule:
    """The provider's working hours. Defaults: SERVICES.md (Standard No. 140 item 8, assumed).

    ``registration_cutoff``: a moment at or after it belongs to the next working day (an
    application received after hours is registered the next working day); ``None`` = ``end``.
    """

    start: time = time(9, 0)
    end: time = time(18, 30)
    lunch_start: time | None = time(13, 0)
    lunch_end: time | None = time(14, 30)
    timezone: str = "Asia/Almaty"
    working_weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    registration_cutoff: time | None = None
    # Derived, computed once in __post_init__ (not part of equality or hashing).
    periods: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    day_micros: int = field(init=False, repr=False, compare=False)
    cutoff_micros: int = field(init=False, repr=False, compare=False)
    tzinfo: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "working_weekdays", frozenset(self.working_weekdays))
        if not self.working_weekdays or not self.working_weekdays <= set(range(7)):
            raise ValueError("working_weekdays must be a non-empty subset of 0..6 (Monday=0)")
        if (self.lunch_start is None) != (self.lunch_end is None):
            raise ValueError("lunch_start and lunch_end go together")
        if self.lunch_start is None:
            bounds = [(self.start, self.end)]
        else:
            bounds = [(self.start, self.lunch_start), (self.lunch_end, self.end)]
        periods = tuple((_micros(a), _micros(b)) for a, b in bounds)
        if any(a >= b for a, b in periods) or any(
            periods[i][1] > periods[i + 1][0] for i in range(len(periods) - 1)
        ):
            raise ValueError("schedule must satisfy start < lunch_start < lunch_end < end")
        cutoff = self.end if self.registration_cutoff is None else self.registration_cutoff
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "day_micros", sum(b - a for a, b in periods))
        object.__setattr__(self, "cutoff_micros", _micros(cutoff))
        object.__setattr__(self, "tzinfo", ZoneInfo(self.timezone))

    @property
    def minutes_per_day(self) -> int:
        return self.day_micros // MICROS_PER_MINUTE

    def worked_micros(self, micros_of_day: int) -> int:
        """Working microseconds of a working day elapsed by this time of day."""
        worked = 0
        for start, end in self.periods:
            if micros_of_day <= start:
                break
            worked += min(micros_of_day, end) - start
        return worked

    def time_after_worked(self, worked: int) -> int:
        """The earliest time of day by which ``worked`` (0 < worked <= day) micros have elapsed."""
        for start, end in self.periods:
            if worked <= end - start:
                return start + worked
            worked -= end - start
        raise AssertionError("worked exceeds the length of a working day")


# --- Holidays -----------------------------------------------------------------------------


@lru_cache(maxsize=512)
def holiday_ordinals(year: int, country: str = COUNTRY) -> frozenset[int]:
    """Public holidays (with statutory and decreed moves) of a year, as date ordinals."""
    return frozenset(d.toordinal() for d in holidays.country_holidays(country, years=year))


@lru_cache(maxsize=512)
def _holiday_names(year: int, country: str = COUNTRY) -> dict[date, str]:
    return dict(holidays.country_holidays(country, years=year, language="en_US"))


# --- The calendar -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    """Working days of the whole years first_year..last_year (immutable snapshot)."""

    first_year: int
    last_year: int
    ordinals: list[int]
    ordinal_set: frozenset[int]

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def days_before(self, ordinal: int) -> int:
        return bisect.bisect_left(self.ordinals, ordinal)


@dataclass(frozen=True)
class DayInfo:
    """Why a day is or is not a working day (for the CLI and the admin)."""

    day: date
    working: bool
    reason: str  # "weekday" | "weekend" | "holiday" | "override_working" | "override_day_off"
    holiday: str = ""


class WorkingCalendar:
    """Working-time arithmetic for one schedule and one set of overrides. Thread-safe."""

    def __init__(
        self,
        schedule: Schedule | None = None,
        overrides: Mapping[date, str] | None = None,
        *,
        country: str = COUNTRY,
    ) -> None:
        self.schedule = schedule or Schedule()
        self.country = country
        overrides = dict(overrides or {})
        unknown = {kind for kind in overrides.values() if kind not in OVERRIDE_KINDS}
        if unknown:
            raise ValueError(f"unknown override kinds: {sorted(unknown)}")
        self._overrides: dict[int, str] = {d.toordinal(): k for d, k in overrides.items()}
        self._index = _Index(0, -1, [], frozenset())
        self._lock = threading.Lock()

    # -- the index of working days

    def _build_year(self, year: int) -> list[int]:
        weekdays = self.schedule.working_weekdays
        holiday = holiday_ordinals(year, self.country)
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        working = []
        for ordinal in range(first, last + 1):
            override = self._overrides.get(ordinal)
            if override == WORKING or (
                override is None
                and (ordinal - 1) % 7 in weekdays  # date.fromordinal(1) is a Monday
                and ordinal not in holiday
            ):
                working.append(ordinal)
        return working

    def _grow(self, first_year: int, last_year: int) -> _Index:
        """Return an index covering at least first_year..last_year (building what is missing)."""
        for year in (first_year, last_year):
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise CalendarInputError(
                    "calendar_out_of_range",
                    params={"value": year, "min_year": MIN_YEAR, "max_year": MAX_YEAR},
                )
        with self._lock:
            index = self._index
            if index.covers(first_year) and index.covers(last_year):
                return index
            if index.last_year < index.first_year:  # empty: start around the requested years
                lo, hi = max(MIN_YEAR, first_year - 1), min(MAX_YEAR, last_year + 1)
                existing: list[int] = []
                start_year, end_year = lo, hi
            else:
                lo = min(index.first_year, max(MIN_YEAR, first_year - 1))
                hi = max(index.last_year, min(MAX_YEAR, last_year + 1))
                existing = index.ordinals
                start_year, end_year = index.first_year, index.last_year
            before = [o for y in range(lo, start_year) for o in self._build_year(y)]
            after = [o for y in range(end_year + 1, hi + 1) for o in self._build_year(y)]
            if existing:
                ordinals = before + existing + after
            else:
                ordinals = [o for y in range(lo, hi + 1) for o in self._build_year(y)]
            self._index = _Index(lo, hi, ordinals, frozenset(ordinals))
            return self._index

    def _grow_forward(self, index: _Index, position: int) -> _Index:
        """Extend the index far enough ahead to hold working day number ``position``."""
        if index.last_year >= MAX_YEAR:
            raise CalendarInputError(
                "calendar_out_of_range",
                params={"value": MAX_YEAR + 1, "min_year": MIN_YEAR, "max_year": MAX_YEAR},
            )
        missing_years = (position - len(index.ordinals)) // _MIN_WORKING_DAYS_PER_YEAR + 1
        last_year = min(MAX_YEAR, index.last_year + max(_GROWTH_YEARS, missing_years))
        return self._grow(index.first_year, last_year)

    def _index_for(self, year: int) -> _Index:
        index = self._index
        return index if index.covers(year) else self._grow(year, year)

    # -- conversions

    def _local(self, moment: datetime) -> datetime:
        if not isinstance(moment, datetime):
            raise TypeError(f"expected a datetime, got {type(moment).__name__}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise CalendarInputError("calendar_naive_datetime", params={"value": moment})
        return moment.astimezone(self.schedule.tzinfo)

    def _at(self, day: date, micros_of_day: int) -> datetime:
        return datetime.combine(day, _time_of(micros_of_day), tzinfo=self.schedule.tzinfo)

    def _as_day(self, day: date) -> date:
        # A datetime is a date too; read it in the schedule's zone rather than its own.
        return self._local(day).date() if isinstance(day, datetime) else day

    @staticmethod
    def _count(value: int) -> int:
        try:
            count = operator.index(value)
        except TypeError:
            raise CalendarInputError("calendar_negative_count", params={"value": value}) from None
        if count < 0 or isinstance(value, bool):
            raise CalendarInputError("calendar_negative_count", params={"value": value})
        return count

    def _position(self, index: _Index, local: datetime) -> int:
        """Working microseconds from the start of the index to this (local) moment."""
        day = local.toordinal()
        before = index.days_before(day)
        if day in index.ordinal_set:
            return before * self.schedule.day_micros + self.schedule.worked_micros(_micros(local))
        return before * self.schedule.day_micros

    # -- days

    def is_working_day(self, day: date) -> bool:
        day = self._as_day(day)
        return day.toordinal() in self._index_for(day.year).ordinal_set

    def explain(self, day: date) -> DayInfo:
        day = self._as_day(day)
        working = self.is_working_day(day)
        override = self._overrides.get(day.toordinal())
        holiday = _holiday_names(day.year, self.country).get(day, "")
        if override is not None:
            reason = "override_working" if override == WORKING else "override_day_off"
        elif holiday:
            reason = "holiday"
        elif day.weekday() not in self.schedule.working_weekdays:
            reason = "weekend"
        else:
            reason = "weekday"
        return DayInfo(day, working, reason, holiday)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself when n == 0).

        ``add_working_days(date(2026, 3, 18), 10) == date(2026, 4, 6)`` (Nauryz 21–25 March).
        """
        start = self._as_day(start)
        n = self._count(n)
        if n == 0:
            return start
        index = self._index_for(start.year)
        while True:
            position = bisect.bisect_right(index.ordinals, start.toordinal()) + n - 1
            if position < len(index.ordinals):
                return date.fromordinal(index.ordinals[position])
            index = self._grow_forward(index, position)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end < start."""
        start, end = self._as_day(start), self._as_day(end)
        if end < start:
            return -self.working_days_between(end, start)
        index = self._grow(start.year, end.year)
        return bisect.bisect_right(index.ordinals, end.toordinal()) - bisect.bisect_right(
            index.ordinals, start.toordinal()
        )

    def end_of_working_day(self, day: date) -> datetime:
        day = self._as_day(day)
        if not self.is_working_day(day):
            raise CalendarInputError("calendar_not_working_day", params={"value": day})
        return self._at(day, self.schedule.periods[-1][1])

    def start_of_working_day(self, day: date) -> datetime:
        day = self._as_day(day)
        if not self.is_working_day(day):
            raise CalendarInputError("calendar_not_working_day", params={"value": day})
        return self._at(day, self.schedule.periods[0][0])

    # -- moments

    def is_working_time(self, moment: datetime) -> bool:
        local = self._local(moment)
        if not self.is_working_day(local.date()):
            return False
        micros = _micros(local)
        return any(start <= micros < end for start, end in self.schedule.periods)

    def next_working_moment(self, moment: datetime) -> datetime:
        """``moment`` itself if it is working time, else the start of the next working period."""
        local = self._local(moment)
        day = local.date()
        if self.is_working_day(day):
            micros = _micros(local)
            for start, end in self.schedule.periods:
                if micros < start:
                    return self._at(day, start)
                if micros < end:
                    return moment
        return self._at(self.add_working_days(day, 1), self.schedule.periods[0][0])

    def working_day_of(self, moment: datetime) -> date:
        """The working day a moment counts on: its own date if that is a working day and the
        moment is before the registration cut-off, else the next working day (SERVICES.md:
        an application after hours, on a weekend or holiday is registered the next working
        day)."""
        local = self._local(moment)
        day = local.date()
        if self.is_working_day(day) and _micros(local) < self.schedule.cutoff_micros:
            return day
        return self.add_working_days(day, 1)

    def same_working_day_deadline(self, moment: datetime) -> datetime:
        """End of the working day the moment belongs to ("in the day of receipt", p.8.1)."""
        return self.end_of_working_day(self.working_day_of(moment))

    def working_day_deadline(self, moment: datetime, n_days: int) -> datetime:
        """End of the n-th working day after the working day of ``moment`` (p.8.3: "within ten
        working days"; the day of submission is not counted, an after-hours submission counts
        from the next working day)."""
        return self.end_of_working_day(self.add_working_days(self.working_day_of(moment), n_days))

    def add_working_minutes(self, moment: datetime, minutes: int) -> datetime:
        """The earliest moment by which ``minutes`` working minutes have passed since ``moment``.

        Lunch, nights and days off do not count. A result that exhausts a period exactly is the
        period's end (13:00, 18:30), not the start of the next one. ``minutes == 0`` → ``moment``.
        """
        minutes = self._count(minutes)
        if minutes == 0:
            return moment
        local = self._local(moment)
        index = self._index_for(local.year)
        day_micros = self.schedule.day_micros
        while True:
            target = self._position(index, local) + minutes * MICROS_PER_MINUTE
            day_number, worked = divmod(target, day_micros)
            if worked == 0:  # exactly a whole number of days: the end of the previous one
                day_number, worked = day_number - 1, day_micros
            if day_number < len(index.ordinals):
                day = date.fromordinal(index.ordinals[day_number])
                return self._at(day, self.schedule.time_after_worked(worked))
            index = self._grow_forward(index, day_number)

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole working minutes from ``start`` to ``end`` (negative when end < start)."""
        local_start, local_end = self._local(start), self._local(end)
        index = self._grow(
            min(local_start.year, local_end.year), max(local_start.year, local_end.year)
        )
        delta = self._position(index, local_end) - self._position(index, local_start)
        minutes = abs(delta) // MICROS_PER_MINUTE
        return minutes if delta >= 0 else -minutes

    def working_timedelta_between(self, start: datetime, end: datetime) -> timedelta:
        """Exact working time from ``start`` to ``end`` (negative when end < start)."""
        local_start, local_end = self._local(start), self._local(end)
        index = self._grow(
            min(local_start.year, local_end.year), max(local_start.year, local_end.year)
        )
        delta = self._position(index, local_end) - self._position(index, local_start)
        return timedelta(microseconds=delta)


# --- The shared calendar, with overrides from the database ------------------------------------


@dataclass
class _Cache:
    overrides: dict[date, str] | None  # None: the table does not exist, seed.py is used
    checked_at: float
    calendars: dict[Schedule, WorkingCalendar] = field(default_factory=dict)


_cache: _Cache | None = None
_cache_lock = threading.Lock()


def invalidate_calendar_cache() -> None:
    """Forget the loaded overrides and the default schedule; the next get_calendar() reads
    them again."""
    global _cache, _default_schedule
    _cache = None
    _default_schedule = None


_default_schedule: Schedule | None = None


def default_schedule() -> Schedule:
    """The provider's schedule of the settings (``conf.py``)."""
    global _default_schedule
    if _default_schedule is None:
        from . import conf

        _default_schedule = Schedule(**conf.schedule_fields())
    return _default_schedule


def _refreshed_cache(previous: _Cache | None) -> _Cache:
    from . import queries  # the database part is imported only when it is needed

    global _cache
    with _cache_lock:
        current = _cache
        if current is not None and current is not previous:
            return current  # another thread refreshed it meanwhile
        now = monotonic_clock.monotonic()
        overrides = queries.load_overrides()
        if current is not None and overrides == current.overrides:
            current.checked_at = now  # unchanged: keep the calendars already built
            return current
        if overrides is None:
            logger.warning(
                "calendar: the DayOverride table does not exist (database not migrated); "
                "using the built-in transfer table of seed.py"
            )
        _cache = _Cache(overrides, now)
        return _cache


def get_calendar(schedule: Schedule | None = None) -> WorkingCalendar:
    """The working calendar for a schedule (default: from settings) with the overrides of the
    database. Loaded once and cached; saving or deleting a DayOverride in this process
    invalidates the cache at once, other processes notice within
    ``QYZMET_CALENDAR_RELOAD_SECONDS`` (one query of a few dozen rows per period)."""
    from . import conf

    if schedule is None:
        schedule = default_schedule()
    cache = _cache
    if cache is None or monotonic_clock.monotonic() - cache.checked_at >= conf.reload_seconds():
        cache = _refreshed_cache(cache)
    calendar = cache.calendars.get(schedule)
    if calendar is None:
        overrides = conf.seed_overrides() if cache.overrides is None else cache.overrides
        calendar = cache.calendars.setdefault(
            schedule, WorkingCalendar(schedule, overrides, country=conf.country())
        )
    return calendar
