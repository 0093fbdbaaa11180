"""The period a report covers, and the one it is compared with.

Periods are whole local (Europe/Amsterdam) days; the database is asked for
`start <= received_at < end` with aware datetimes, so an index on received_at serves it."""

import calendar as month_calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

# A longer period makes the per-month chart unreadable and the queries needlessly large.
MAX_DAYS = 3 * 366


def _shift_months(day: date, months: int, *, month_end: bool = False) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, last if month_end else min(day.day, last))


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str
    key: str = ""  # the quick pick it came from ("12m", "2026", "2026-Q2"), for links and file names

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_whole_months(self) -> bool:
        return self.start.day == 1

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(self.start, time.min), tz)
        end = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz)
        return start, end

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        months, cursor = [], self.start.replace(day=1)
        while cursor <= self.end:
            months.append(cursor)
            cursor = _shift_months(cursor, 1)
        return months

    def previous(self) -> "Period":
        """The period before: the same months one span earlier for month-aligned periods
        (a year, a quarter, the last twelve months), else the same number of days."""
        year_or_quarter = QUICK_PICK.match(self.key)
        if year_or_quarter and year_or_quarter["year"]:
            # Named like the period itself: 2024 before 2025, 2025 Q4 before 2026 Q1.
            value, number = int(year_or_quarter["year"]), year_or_quarter["quarter"]
            if not number:
                return year(value - 1)
            return quarter(value - 1, 4) if number == "1" else quarter(value, int(number) - 1)
        if self.is_whole_months:
            span = len(self.months())
            start = _shift_months(self.start, -span)
            end = _shift_months(self.end, -span, month_end=_is_month_end(self.end))
        else:
            start, end = self.start - timedelta(days=self.days), self.start - timedelta(days=1)
        return Period(start=start, end=end, label=_label(start, end))

    @property
    def slug(self) -> str:
        return self.key or f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def _label(start: date, end: date) -> str:
    return f"{start:%d-%m-%Y} – {end:%d-%m-%Y}"


def last_twelve_months(today: date) -> Period:
    start = _shift_months(today.replace(day=1), -11)
    return Period(start=start, end=today, label=_("last 12 months"), key="12m")


def year(value: int) -> Period:
    return Period(start=date(value, 1, 1), end=date(value, 12, 31), label=str(value), key=str(value))


def quarter(value: int, number: int) -> Period:
    start = date(value, 3 * number - 2, 1)
    return Period(
        start=start,
        end=_shift_months(start, 2, month_end=True),
        label=f"{value} Q{number}",
        key=f"{value}-Q{number}",
    )


QUICK_PICK = re.compile(r"^(?:(?P<last>12m)|(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?)$")


def from_key(key: str, *, today: date) -> Period | None:
    match = QUICK_PICK.match(key or "")
    if not match:
        return None
    if match["last"]:
        return last_twelve_months(today)
    value = int(match["year"])
    if not 2000 <= value <= today.year + 1:
        return None
    return quarter(value, int(match["quarter"])) if match["quarter"] else year(value)


def custom(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(_("The end date is before the start date."))
    if (end - start).days + 1 > MAX_DAYS:
        raise ValueError(_("Choose a period of at most three years."))
    return Period(start=start, end=end, label=_label(start, end))


def quick_picks(today: date) -> list[Period]:
    """Offered as links: the last twelve months, this and last year, the last four quarters."""
    picks = [last_twelve_months(today), year(today.year), year(today.year - 1)]
    current = (today.month - 1) // 3 + 1
    index = today.year * 4 + current - 1
    for back in range(4):
        y, q = divmod(index - back, 4)
        picks.append(quarter(y, q + 1))
    return picks
