from datetime import date

import pytest

from qyzmet.calendar.seed import ALL_SEEDS
from qyzmet.calendar.working_time import Schedule, WorkingCalendar, invalidate_calendar_cache

SEEDED = {date.fromisoformat(row.date): row.kind for row in ALL_SEEDS}


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Test transactions roll back without signals: never let one test see another's rows.
    invalidate_calendar_cache()
    yield
    invalidate_calendar_cache()


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    """The default schedule with the seeded transfers, without the database."""
    return WorkingCalendar(Schedule(), SEEDED)
