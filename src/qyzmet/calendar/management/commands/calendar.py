"""`qyzmet calendar …`: working-time arithmetic from the command line.

    qyzmet calendar add-working-days 2026-03-18 10        → 2026-04-06
    qyzmet calendar is-working-day 2013-12-28             → yes
    qyzmet calendar next-working-moment 2026-03-20T19:00  → 2026-03-26T09:00:00+05:00
    qyzmet calendar add-working-minutes 2026-03-18T12:00 90
    qyzmet calendar working-day-deadline 2026-03-18T19:00 10
    qyzmet calendar explain 2014-01-03

A moment without a UTC offset is read in the schedule's time zone (Asia/Almaty). Bad input:
a message with its refusal code on stderr and exit status 2.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from qyzmet.core.refusals import Refused

from ...working_time import CalendarInputError, WorkingCalendar, get_calendar

USAGE_ERROR = 2


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CalendarInputError("calendar_invalid_date", params={"value": value}) from None


def _parse_moment(value: str, calendar: WorkingCalendar) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CalendarInputError("calendar_invalid_datetime", params={"value": value}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=calendar.schedule.tzinfo)
    return moment


def _parse_count(value: str) -> int:
    try:
        count = int(value, 10)
    except ValueError:
        count = -1
    if count < 0:
        raise CalendarInputError("calendar_negative_count", params={"value": value})
    return count


def _iso(moment: datetime, calendar: WorkingCalendar) -> str:
    return moment.astimezone(calendar.schedule.tzinfo).isoformat()


class Command(BaseCommand):
    help = "Working-time calendar: holidays of Kazakhstan + transfers of days off + schedule."
    # A read-only calculator: it must keep answering while another app's models fail a check.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="operation", required=True, metavar="OPERATION")

        sub = commands.add_parser("add-working-days", help="the N-th working day after DATE")
        sub.add_argument("date", metavar="DATE")
        sub.add_argument("count", metavar="N")

        sub = commands.add_parser("is-working-day", help="yes or no")
        sub.add_argument("date", metavar="DATE")

        sub = commands.add_parser("explain", help="why DATE is or is not a working day")
        sub.add_argument("date", metavar="DATE")

        sub = commands.add_parser("next-working-moment", help="MOMENT, or the next working one")
        sub.add_argument("moment", metavar="ISO_DATETIME")

        sub = commands.add_parser("add-working-minutes", help="MOMENT plus N working minutes")
        sub.add_argument("moment", metavar="ISO_DATETIME")
        sub.add_argument("count", metavar="N")

        sub = commands.add_parser(
            "working-day-deadline",
            help="end of the N-th working day after the working day of MOMENT (p.8.3)",
        )
        sub.add_argument("moment", metavar="ISO_DATETIME")
        sub.add_argument("count", metavar="N")

    def handle(self, *args, operation: str, **options) -> None:
        calendar = get_calendar()
        try:
            result = self._run(calendar, operation, options)
        except Refused as refusal:
            raise CommandError(
                f"{refusal.code}: {refusal.message()}", returncode=USAGE_ERROR
            ) from None
        self.stdout.write(result)

    def _run(self, calendar: WorkingCalendar, operation: str, options: dict) -> str:
        if operation == "add-working-days":
            day = _parse_date(options["date"])
            return calendar.add_working_days(day, _parse_count(options["count"])).isoformat()
        if operation == "is-working-day":
            return "yes" if calendar.is_working_day(_parse_date(options["date"])) else "no"
        if operation == "explain":
            info = calendar.explain(_parse_date(options["date"]))
            verdict = "working day" if info.working else "day off"
            holiday = f" ({info.holiday})" if info.holiday else ""
            return f"{info.day.isoformat()} {info.day:%A}: {verdict}; {info.reason}{holiday}"
        moment = _parse_moment(options["moment"], calendar)
        if operation == "next-working-moment":
            return _iso(calendar.next_working_moment(moment), calendar)
        count = _parse_count(options["count"])
        if operation == "add-working-minutes":
            return _iso(calendar.add_working_minutes(moment, count), calendar)
        return _iso(calendar.working_day_deadline(moment, count), calendar)
