"""Schedule, lunch, night and day-off boundaries; deadlines (regulation p.8)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from qyzmet.calendar.working_time import CalendarInputError, Schedule, WorkingCalendar

ALMATY = ZoneInfo("Asia/Almaty")


def at(text: str) -> datetime:
    """A moment in Almaty local time."""
    return datetime.fromisoformat(text).replace(tzinfo=ALMATY)


# Wed 2026-03-18 is an ordinary working day; Fri 2026-03-20 is followed by Nauryz.
@pytest.mark.parametrize(
    ("moment", "working"),
    [
        ("2026-03-18T08:59:59", False),
        ("2026-03-18T09:00:00", True),
        ("2026-03-18T12:59:59.999999", True),
        ("2026-03-18T13:00:00", False),  # lunch
        ("2026-03-18T14:29:59", False),
        ("2026-03-18T14:30:00", True),
        ("2026-03-18T18:29:59", True),
        ("2026-03-18T18:30:00", False),  # after hours
        ("2026-03-18T23:00:00", False),
        ("2026-03-21T10:00:00", False),  # Saturday and Nauryz
        ("2026-03-24T10:00:00", False),  # observed Nauryz
        ("2013-12-28T10:00:00", True),  # a Saturday made working
        ("2014-01-03T10:00:00", False),  # its day off
    ],
)
def test_is_working_time(calendar, moment, working):
    assert calendar.is_working_time(at(moment)) is working


def test_moments_are_read_in_almaty_time_whatever_their_zone(calendar):
    # 2024-03-01 Almaty moved from UTC+6 to UTC+5: 03:00Z was 09:00 the day before, 08:00 after.
    assert calendar.is_working_time(datetime(2024, 2, 29, 3, 0, tzinfo=UTC))
    assert not calendar.is_working_time(datetime(2024, 3, 1, 3, 0, tzinfo=UTC))
    assert calendar.is_working_time(datetime(2024, 3, 1, 4, 0, tzinfo=UTC))
    assert calendar.next_working_moment(datetime(2024, 3, 1, 3, 0, tzinfo=UTC)) == datetime(
        2024, 3, 1, 4, 0, tzinfo=UTC
    )


def test_a_naive_moment_is_refused_with_a_code(calendar):
    with pytest.raises(CalendarInputError) as refused:
        calendar.is_working_time(datetime(2026, 3, 18, 10, 0))
    assert refused.value.code == "calendar_naive_datetime"
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_a_bad_count_is_refused_with_a_code(calendar, bad):
    with pytest.raises(CalendarInputError) as refused:
        calendar.add_working_days(date(2026, 3, 18), bad)
    assert refused.value.code == "calendar_negative_count"


def test_dates_outside_the_holiday_data_are_refused(calendar):
    with pytest.raises(CalendarInputError) as refused:
        calendar.is_working_day(date(2101, 1, 3))
    assert refused.value.code == "calendar_out_of_range"
    with pytest.raises(CalendarInputError):
        calendar.add_working_days(date(2100, 12, 1), 100)
    assert calendar.add_working_days(date(2100, 12, 1), 5) == date(2100, 12, 8)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-03-18T10:15:00", "2026-03-18T10:15:00"),  # already working time
        ("2026-03-18T07:00:00", "2026-03-18T09:00:00"),  # before hours
        ("2026-03-18T13:20:00", "2026-03-18T14:30:00"),  # lunch
        ("2026-03-18T18:30:00", "2026-03-19T09:00:00"),  # after hours
        ("2026-03-20T19:00:00", "2026-03-26T09:00:00"),  # Friday night before Nauryz
        ("2013-12-27T19:00:00", "2013-12-28T09:00:00"),  # to a working Saturday
    ],
)
def test_next_working_moment(calendar, moment, expected):
    assert calendar.next_working_moment(at(moment)) == at(expected)


@pytest.mark.parametrize(
    ("moment", "minutes", "expected"),
    [
        ("2026-03-18T12:00:00", 0, "2026-03-18T12:00:00"),
        ("2026-03-18T12:00:00", 60, "2026-03-18T13:00:00"),  # exhausts the morning exactly
        ("2026-03-18T12:00:00", 61, "2026-03-18T14:31:00"),  # skips lunch
        ("2026-03-18T13:30:00", 30, "2026-03-18T15:00:00"),  # starts in lunch
        ("2026-03-18T07:00:00", 10, "2026-03-18T09:10:00"),  # p.8.2: ten minutes
        ("2026-03-18T18:00:00", 30, "2026-03-18T18:30:00"),  # ends exactly at closing
        ("2026-03-18T18:00:00", 31, "2026-03-19T09:01:00"),  # night skipped
        ("2026-03-20T18:00:00", 60, "2026-03-26T09:30:00"),  # Nauryz skipped
        ("2026-03-18T09:00:00", 480, "2026-03-18T18:30:00"),  # one whole working day
        ("2026-03-18T09:00:00", 481, "2026-03-19T09:01:00"),
        ("2026-03-18T10:00:30", 1, "2026-03-18T10:01:30"),  # seconds are kept
    ],
)
def test_add_working_minutes(calendar, moment, minutes, expected):
    assert calendar.add_working_minutes(at(moment), minutes) == at(expected)


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        ("2026-03-18T09:00:00", "2026-03-18T18:30:00", 480),
        ("2026-03-18T12:00:00", "2026-03-18T15:00:00", 90),
        ("2026-03-18T13:10:00", "2026-03-18T14:20:00", 0),  # inside lunch
        ("2026-03-20T18:30:00", "2026-03-26T09:00:00", 0),  # across Nauryz
        ("2026-03-18T15:00:00", "2026-03-18T12:00:00", -90),
        ("2026-03-18T10:00:00", "2026-03-18T10:00:59", 0),  # whole minutes only
    ],
)
def test_working_minutes_between(calendar, start, end, minutes):
    assert calendar.working_minutes_between(at(start), at(end)) == minutes


@pytest.mark.parametrize(
    ("moment", "deadline"),
    [
        ("2026-03-18T07:30:00", "2026-03-18T18:30:00"),  # before hours: that same day
        ("2026-03-18T13:30:00", "2026-03-18T18:30:00"),  # lunch: that same day
        ("2026-03-18T18:29:00", "2026-03-18T18:30:00"),
        ("2026-03-18T18:30:00", "2026-03-19T18:30:00"),  # after hours: the next working day
        ("2026-03-21T11:00:00", "2026-03-26T18:30:00"),  # a holiday: the next working day
    ],
)
def test_same_working_day_deadline(calendar, moment, deadline):
    # p.8.1: registration "в день поступления".
    assert calendar.same_working_day_deadline(at(moment)) == at(deadline)


def test_ten_working_days_from_submission(calendar):
    # p.8.3: the answer within ten working days; the day of submission is not counted.
    assert calendar.working_day_deadline(at("2026-03-18T10:00"), 10) == at("2026-04-06T18:30")
    # After hours the application is registered, and counted, from the next working day.
    assert calendar.working_day_deadline(at("2026-03-18T19:00"), 10) == at("2026-04-07T18:30")
    assert calendar.working_day_deadline(at("2026-03-18T10:00"), 0) == at("2026-03-18T18:30")


def test_end_of_a_day_off_is_refused(calendar):
    assert calendar.end_of_working_day(date(2026, 3, 18)) == at("2026-03-18T18:30")
    with pytest.raises(CalendarInputError) as refused:
        calendar.end_of_working_day(date(2026, 3, 21))
    assert refused.value.code == "calendar_not_working_day"


def test_a_datetime_given_as_a_day_is_read_in_almaty():
    calendar = WorkingCalendar()
    # 2026-03-20T20:00Z is already Saturday 21 March (Nauryz) in Almaty.
    assert not calendar.is_working_day(datetime(2026, 3, 20, 20, 0, tzinfo=UTC))
    assert calendar.is_working_day(datetime(2026, 3, 20, 12, 0, tzinfo=UTC))


def test_a_schedule_without_lunch_and_a_registration_cutoff():
    schedule = Schedule(
        start=time(8), end=time(17), lunch_start=None, lunch_end=None, registration_cutoff=time(16)
    )
    calendar = WorkingCalendar(schedule)
    assert schedule.minutes_per_day == 9 * 60
    assert calendar.is_working_time(at("2026-03-18T13:30"))
    assert calendar.working_day_of(at("2026-03-18T15:59")) == date(2026, 3, 18)
    assert calendar.working_day_of(at("2026-03-18T16:00")) == date(2026, 3, 19)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": time(10), "end": time(9)},
        {"lunch_start": time(15), "lunch_end": time(14)},
        {"lunch_start": time(8), "lunch_end": time(10)},
        {"lunch_start": time(13), "lunch_end": None},
        {"working_weekdays": frozenset({7})},
    ],
)
def test_an_impossible_schedule_is_rejected(kwargs):
    with pytest.raises(ValueError):
        Schedule(**kwargs)


def test_schedules_are_values():
    assert Schedule() == Schedule()
    assert hash(Schedule()) == hash(Schedule(working_weekdays={0, 1, 2, 3, 4}))
    assert Schedule() != Schedule(end=time(18))


def test_unknown_override_kind_is_rejected():
    with pytest.raises(ValueError):
        WorkingCalendar(overrides={date(2026, 1, 3): "holiday"})


def test_a_day_off_override_makes_a_weekday_a_day_off():
    calendar = WorkingCalendar(overrides={date(2026, 3, 18): "day_off"})
    assert not calendar.is_working_day(date(2026, 3, 18))
    assert calendar.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 19)


def test_far_jumps_grow_the_calendar(calendar):
    start = date(2026, 1, 1)
    far = calendar.add_working_days(start, 2000)
    assert calendar.working_days_between(start, far) == 2000
    # And backwards growth: a date before everything built so far.
    assert calendar.add_working_days(date(1995, 6, 1), 1) == date(1995, 6, 2)
    assert calendar.working_days_between(date(1995, 6, 1), far) > 2000
    assert far - start > timedelta(days=2000)
