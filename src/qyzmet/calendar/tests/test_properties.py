"""Property tests (hypothesis) of the working-time arithmetic, including a slow, obviously
correct reference implementation that walks the calendar day by day."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from qyzmet.calendar.working_time import Schedule, WorkingCalendar

from .conftest import SEEDED

# Every test runs with deadline=None: the first call touching a year builds that year, and
# speed is not what these tests assert (see bench.py).
ALMATY = ZoneInfo("Asia/Almaty")
CALENDAR = WorkingCalendar(Schedule(), SEEDED)
SCHEDULE = CALENDAR.schedule

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
counts = st.integers(min_value=0, max_value=600)
minute_counts = st.integers(min_value=0, max_value=5 * 480)
zones = st.sampled_from([ALMATY, UTC, ZoneInfo("Europe/Moscow")])


@st.composite
def moments(draw):
    day = draw(days)
    # Seconds-resolution moments, often exactly on a boundary of the schedule.
    boundary = draw(st.sampled_from(["09:00", "13:00", "14:30", "18:30", "00:00", None]))
    if boundary is None:
        seconds = draw(st.integers(min_value=0, max_value=24 * 3600 - 1))
        local = datetime.combine(day, datetime.min.time(), tzinfo=ALMATY) + timedelta(
            seconds=seconds
        )
    else:
        local = datetime.fromisoformat(f"{day.isoformat()}T{boundary}").replace(tzinfo=ALMATY)
    return local.astimezone(draw(zones))


# --- Reference implementations: slow, simple, independent of the index.


def reference_is_working_day(day: date) -> bool:
    if day in SEEDED:
        return SEEDED[day] == "working"
    return day.weekday() < 5 and day not in holidays.country_holidays("KZ", years=day.year)


def reference_add_working_days(start: date, n: int) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if reference_is_working_day(day):
            n -= 1
    return day


def reference_add_working_minutes(moment: datetime, minutes: int) -> datetime:
    """Step through working periods one at a time."""
    local = moment.astimezone(ALMATY)
    remaining = timedelta(minutes=minutes)
    day = local.date()
    cursor = local
    while True:
        if reference_is_working_day(day):
            for start, end in (("09:00", "13:00"), ("14:30", "18:30")):
                period_start = datetime.fromisoformat(f"{day}T{start}").replace(tzinfo=ALMATY)
                period_end = datetime.fromisoformat(f"{day}T{end}").replace(tzinfo=ALMATY)
                begin = max(cursor, period_start)
                if begin >= period_end:
                    continue
                if remaining <= period_end - begin:
                    return begin + remaining
                remaining -= period_end - begin
        day += timedelta(days=1)
        cursor = datetime.combine(day, datetime.min.time(), tzinfo=ALMATY)


# --- Agreement with the references.


@settings(deadline=None)
@given(days)
def test_is_working_day_agrees_with_holidays_plus_overrides(day):
    assert CALENDAR.is_working_day(day) is reference_is_working_day(day)


@settings(deadline=None)
@given(days, st.integers(min_value=0, max_value=60))
def test_add_working_days_agrees_with_walking_the_calendar(start, n):
    assert CALENDAR.add_working_days(start, n) == reference_add_working_days(start, n)


@settings(max_examples=60, deadline=None)
@given(moments(), st.integers(min_value=1, max_value=3 * 480))
def test_add_working_minutes_agrees_with_walking_the_periods(moment, minutes):
    assert CALENDAR.add_working_minutes(moment, minutes) == reference_add_working_minutes(
        moment, minutes
    )


# --- Algebra of working days.


@settings(deadline=None)
@given(days, counts, counts)
def test_adding_days_is_associative(start, a, b):
    assert CALENDAR.add_working_days(start, a + b) == CALENDAR.add_working_days(
        CALENDAR.add_working_days(start, a), b
    )


@settings(deadline=None)
@given(days, st.integers(min_value=1, max_value=600))
def test_the_result_is_a_later_working_day_exactly_n_working_days_away(start, n):
    result = CALENDAR.add_working_days(start, n)
    assert result > start
    assert CALENDAR.is_working_day(result)
    assert CALENDAR.working_days_between(start, result) == n
    assert CALENDAR.working_days_between(result, start) == -n


@settings(deadline=None)
@given(days, days, counts)
def test_adding_days_is_monotonic_in_the_start(first, second, n):
    first, second = min(first, second), max(first, second)
    assert CALENDAR.add_working_days(first, n) <= CALENDAR.add_working_days(second, n)


@settings(deadline=None)
@given(days, counts, counts)
def test_adding_days_is_strictly_monotonic_in_n(start, a, b):
    if a != b:
        low, high = min(a, b), max(a, b)
        assert CALENDAR.add_working_days(start, low) < CALENDAR.add_working_days(start, high)


# --- Algebra of working minutes.


@settings(deadline=None)
@given(moments(), minute_counts)
def test_add_then_count_minutes_round_trips(moment, minutes):
    later = CALENDAR.add_working_minutes(moment, minutes)
    assert later >= moment
    assert CALENDAR.working_minutes_between(moment, later) == minutes
    assert CALENDAR.working_minutes_between(later, moment) == -minutes


@settings(deadline=None)
@given(moments(), minute_counts, minute_counts)
def test_adding_minutes_is_associative(moment, a, b):
    assert CALENDAR.add_working_minutes(moment, a + b) == CALENDAR.add_working_minutes(
        CALENDAR.add_working_minutes(moment, a), b
    )


@settings(deadline=None)
@given(moments(), minute_counts, minute_counts)
def test_adding_minutes_is_monotonic(moment, a, b):
    low, high = min(a, b), max(a, b)
    assert CALENDAR.add_working_minutes(moment, low) <= CALENDAR.add_working_minutes(moment, high)


@settings(deadline=None)
@given(moments(), moments())
def test_minutes_between_is_antisymmetric_and_additive(a, b):
    middle = CALENDAR.add_working_minutes(min(a, b), 17)
    total = CALENDAR.working_timedelta_between(a, b)
    assert CALENDAR.working_timedelta_between(b, a) == -total
    assert total == CALENDAR.working_timedelta_between(
        a, middle
    ) + CALENDAR.working_timedelta_between(middle, b)


@settings(deadline=None)
@given(moments())
def test_next_working_moment_is_idempotent_and_working(moment):
    following = CALENDAR.next_working_moment(moment)
    assert following >= moment
    assert CALENDAR.is_working_time(following)
    assert CALENDAR.next_working_moment(following) == following
    # Nothing of working time was skipped on the way.
    assert CALENDAR.working_timedelta_between(moment, following) == timedelta(0)
    assert (following == moment) is CALENDAR.is_working_time(moment)


@settings(deadline=None)
@given(moments(), st.integers(min_value=0, max_value=30))
def test_deadlines_are_ends_of_working_days_after_the_moment(moment, n):
    deadline = CALENDAR.working_day_deadline(moment, n)
    assert deadline > moment
    local = deadline.astimezone(ALMATY)
    assert CALENDAR.is_working_day(local.date())
    assert local.time() == SCHEDULE.end
    same_day = CALENDAR.same_working_day_deadline(moment)
    assert CALENDAR.working_day_deadline(moment, 0) == same_day
    assert CALENDAR.working_days_between(same_day.date(), local.date()) == n


# Whole periods from a boundary land exactly on a period's end: the corner case of "earliest".
period_multiples = st.builds(
    lambda count, unit: count * unit,
    st.integers(min_value=1, max_value=12),
    st.sampled_from([240, 480, 30, 90]),
)


@settings(deadline=None)
@given(moments(), st.one_of(period_multiples, st.integers(min_value=1, max_value=2000)))
def test_add_working_minutes_gives_the_earliest_such_moment(moment, minutes):
    result = CALENDAR.add_working_minutes(moment, minutes)
    assert CALENDAR.working_timedelta_between(moment, result) == timedelta(minutes=minutes)
    just_before = result - timedelta(microseconds=1)
    assert CALENDAR.working_timedelta_between(moment, just_before) < timedelta(minutes=minutes)
