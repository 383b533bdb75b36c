"""Calendar facts of domain/SERVICES.md ("Working-day calendar", confirmed) and the seed data."""

from datetime import date, timedelta

import holidays
import pytest

from qyzmet.calendar.seed import ALL_SEEDS
from qyzmet.calendar.working_time import WorkingCalendar, get_calendar


def d(text: str) -> date:
    return date.fromisoformat(text)


# SERVICES.md: "2014: Sat 28.12.2013 worked → 03.01.2014 off; Sun 04.05.2014 worked → 02.05
# off; Sun 11.05.2014 worked → 08.05 off."
FACTS_2014 = [
    ("2013-12-28", True),  # Saturday worked
    ("2014-01-03", False),  # Friday off in exchange
    ("2014-05-04", True),  # Sunday worked
    ("2014-05-02", False),  # Friday off in exchange
    ("2014-05-11", True),  # Sunday worked
    ("2014-05-08", False),  # Thursday off in exchange
]


@pytest.mark.parametrize(("day", "working"), FACTS_2014)
def test_the_2014_transfers(calendar, day, working):
    assert calendar.is_working_day(d(day)) is working


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "working"), FACTS_2014)
def test_the_2014_transfers_come_from_the_seeded_table(day, working):
    # get_calendar() reads the DayOverride rows that migration 0002 seeded.
    assert get_calendar().is_working_day(d(day)) is working


def test_without_the_transfer_table_the_working_weekends_are_lost():
    # Why the table exists: holidays.KZ alone has the Fridays off but not the worked weekends.
    bare = WorkingCalendar()
    assert not bare.is_working_day(d("2013-12-28"))
    assert not bare.is_working_day(d("2014-05-04"))
    assert not bare.is_working_day(d("2014-01-03"))


def test_may_2014_has_19_working_days(calendar):
    # 31 days − 9 weekend days + 2 worked Sundays − 5 days off (1, 2, 7, 8, 9 May) = 19.
    assert calendar.working_days_between(d("2014-04-30"), d("2014-05-31")) == 19


def test_january_2026_has_19_working_days(calendar):
    # egov.kz calendar for 2026: "Итого за январь: 12 выходных, 19 рабочих дней".
    assert calendar.working_days_between(d("2025-12-31"), d("2026-01-31")) == 19


def test_ten_working_days_after_18_march_2026_is_6_april(calendar):
    # SERVICES.md: Nauryz 21–23 March plus observed 24–25 March; not 2026-04-01.
    assert calendar.add_working_days(d("2026-03-18"), 10) == d("2026-04-06")
    for day in ("2026-03-23", "2026-03-24", "2026-03-25"):
        assert not calendar.is_working_day(d(day))


# SERVICES.md, fixed holidays (Law «О праздниках»), by year.
def fixed_holidays(year: int) -> list[date]:
    days = [(1, 1), (1, 2), (1, 7), (3, 8), (3, 21), (3, 22), (3, 23)]
    days += [(5, 1), (5, 7), (5, 9), (7, 6), (12, 16)]
    if year <= 2025:
        days.append((8, 30))
    if year >= 2027:
        days.append((3, 15))
    if year >= 2022:
        days.append((10, 25))
    if 2012 <= year <= 2021:
        days.append((12, 1))
    if year <= 2021:
        days.append((12, 17))
    return [date(year, month, day) for month, day in days]


@pytest.mark.parametrize("year", [2013, 2014, 2015, 2019, 2024, 2025, 2026, 2027])
def test_every_fixed_holiday_is_a_day_off(calendar, year):
    working = [day for day in fixed_holidays(year) if calendar.is_working_day(day)]
    assert working == []


@pytest.mark.parametrize(
    ("holiday", "moved_to"),
    [
        ("2014-03-08", "2014-03-10"),  # Sat → Mon
        ("2014-08-30", "2014-09-01"),  # Constitution Day, Sat → Mon
        ("2015-05-09", "2015-05-11"),  # Victory Day, Sat → Mon
        ("2025-10-25", "2025-10-27"),  # Republic Day, Sat → Mon
        ("2026-03-08", "2026-03-09"),  # Sun → Mon
        ("2026-03-22", "2026-03-25"),  # Nauryz 21, 22 on the weekend, 23 Mon → Tue 24, Wed 25
    ],
)
def test_a_holiday_on_a_weekend_moves_to_the_next_working_day(calendar, holiday, moved_to):
    assert not calendar.is_working_day(d(holiday))
    assert not calendar.is_working_day(d(moved_to))
    assert calendar.add_working_days(d(holiday), 1) == d(moved_to) + timedelta(days=1)


@pytest.mark.parametrize(
    ("holiday", "next_day"),
    [
        ("2014-10-04", "2014-10-06"),  # Kurban Ait on a Saturday: Monday is a working day
        ("2018-01-07", "2018-01-08"),  # Orthodox Christmas on a Sunday: not moved either
    ],
)
def test_religious_holidays_are_not_moved(calendar, holiday, next_day):
    assert not calendar.is_working_day(d(holiday))
    assert calendar.is_working_day(d(next_day))


@pytest.mark.parametrize(
    ("worked", "off"),
    [("2024-05-04", "2024-05-08"), ("2025-01-05", "2025-01-03"), ("2013-10-12", "2013-10-14")],
)
def test_other_seeded_transfers(calendar, worked, off):
    assert calendar.is_working_day(d(worked))
    assert not calendar.is_working_day(d(off))


def test_every_seed_row_changes_what_holidays_says():
    """Only store what `holidays` lacks: each 'working' row is a weekend or holiday there,
    and every decree's other half (a day off) is already in `holidays`."""
    bare = WorkingCalendar()
    for row in ALL_SEEDS:
        day = d(row.date)
        assert row.kind == "working", row
        assert not bare.is_working_day(day), f"{row.date} is already a working day"
        assert row.basis and "Постановление" in row.basis


def test_seed_rows_are_unique_and_sorted():
    dates = [row.date for row in ALL_SEEDS]
    assert dates == sorted(set(dates))


def test_the_weekday_holidays_come_from_the_holidays_package(calendar):
    # A cross-check with the package itself for a few whole years: any difference must be an
    # override of ours.
    overrides = {d(row.date) for row in ALL_SEEDS}
    for year in (2013, 2014, 2024, 2025, 2026):
        kz = holidays.country_holidays("KZ", years=year)
        day = date(year, 1, 1)
        while day.year == year:
            expected = day.weekday() < 5 and day not in kz
            if day not in overrides:
                assert calendar.is_working_day(day) is expected, day
            day += timedelta(days=1)
