"""Micro-benchmark of the calendar's hot paths: ``python -m qyzmet.calendar.bench [N]``.

Prints microseconds per call. Needs no database rows beyond the seeded ones (an unmigrated
database works too: the calendar then uses seed.py). Not a test: speed lives here, not in
assertions.
"""

from __future__ import annotations

import os
import sys
import timeit
from datetime import date, datetime


def main(repeat: int = 200_000) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qyzmet.settings")
    import django

    django.setup()
    from qyzmet.calendar.working_time import get_calendar

    calendar = get_calendar()
    zone = calendar.schedule.tzinfo
    moment = datetime(2026, 3, 18, 12, 0, tzinfo=zone)
    month_later = datetime(2026, 4, 18, 12, 0, tzinfo=zone)
    cases = {
        "get_calendar()": get_calendar,
        "is_working_day": lambda: calendar.is_working_day(date(2026, 3, 18)),
        "add_working_days(d, 10)": lambda: calendar.add_working_days(date(2026, 3, 18), 10),
        "get_calendar().add_working_days(d, 10)": lambda: get_calendar().add_working_days(
            date(2026, 3, 18), 10
        ),
        "add_working_minutes(m, 600)": lambda: calendar.add_working_minutes(moment, 600),
        "working_day_deadline(m, 10)": lambda: calendar.working_day_deadline(moment, 10),
        "working_minutes_between(m, m+1 month)": lambda: calendar.working_minutes_between(
            moment, month_later
        ),
    }
    for name, call in cases.items():
        seconds = timeit.timeit(call, number=repeat)
        print(f"{name:42s} {seconds / repeat * 1e6:8.2f} µs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
