"""Working-day calendar for Dutch statutory deadlines (Algemene termijnenwet).

This is the single place where deadline date arithmetic happens, so every
rule about weekends, public holidays and organisation closure days lives here.
The module is deliberately pure (no Django, no clock, no settings) so it can
be used from models, reports and tasks alike and tested exhaustively.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

__all__ = [
    "add_days_rolled",
    "add_months",
    "add_working_days",
    "dutch_holidays",
    "holiday_name",
    "is_working_day",
    "next_working_day",
    "subtract_working_days",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@functools.lru_cache(maxsize=512)
def _holidays(year: int) -> Mapping[date, str]:
    # Read-only because the same cached object is shared by every caller;
    # a caller mutating it would silently change everyone's deadlines.
    easter_sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        # By law a Sunday Koningsdag moves to the Saturday before, not the Monday after.
        kings_day = date(year, 4, 26)

    named: list[tuple[date, str]] = [
        (date(year, 1, 1), "Nieuwjaarsdag"),
        (easter_sunday - timedelta(days=2), "Goede Vrijdag"),
        (easter_sunday + timedelta(days=1), "Tweede Paasdag"),
        (kings_day, "Koningsdag"),
        # The Algemene termijnenwet lists 5 May every year, unlike many
        # collective labour agreements that only observe it once per lustrum.
        (date(year, 5, 5), "Bevrijdingsdag"),
        (easter_sunday + timedelta(days=39), "Hemelvaartsdag"),
        (easter_sunday + timedelta(days=50), "Tweede Pinksterdag"),
        (date(year, 12, 25), "Eerste Kerstdag"),
        (date(year, 12, 26), "Tweede Kerstdag"),
    ]
    holidays: dict[date, str] = {}
    for day, name in sorted(named):
        # Ascension can fall on 5 May (e.g. 2016); keep both names so a
        # letter explaining the deadline does not hide either holiday.
        holidays[day] = f"{holidays[day]} en {name}" if day in holidays else name
    return MappingProxyType(holidays)


def _check_date(value: date, argument: str) -> None:
    # A datetime is a date subclass, but it never compares equal to a date,
    # so holiday and closure lookups would silently miss and the weekday
    # rules alone would decide the deadline.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{argument} must be a datetime.date, got {type(value).__name__}")


def _check_count(value: int, argument: str) -> int:
    # operator.index rejects floats and strings; a fractional count would
    # otherwise be truncated or loop in surprising ways.
    count = operator.index(value)
    if count < 0:
        raise ValueError(f"{argument} must be zero or positive, got {count}")
    return count


def _frozen(closure_days: Collection[date]) -> frozenset[date]:
    # Callers often pass a list or queryset values list; one conversion up
    # front keeps the per-day membership test O(1) inside the loops.
    closed = frozenset(closure_days)
    for day in closed:
        _check_date(day, "closure_days")
    return closed


def _is_working_day(day: date, closed: Collection[date]) -> bool:
    return day.weekday() < _SATURDAY and day not in _holidays(day.year) and day not in closed


def dutch_holidays(year: int) -> dict[date, str]:
    """Return the public holidays of ``year`` that stop a statutory term, by date."""
    # A copy, so the caller may freely mutate the result without touching the cache.
    return dict(_holidays(operator.index(year)))


def holiday_name(day: date) -> str | None:
    """Return the Dutch name of the holiday on ``day``, or None if it is none."""
    _check_date(day, "day")
    return _holidays(day.year).get(day)


def is_working_day(day: date, *, closure_days: Collection[date] = ()) -> bool:
    """Tell whether ``day`` counts as a working day for a statutory term."""
    _check_date(day, "day")
    # No conversion of closure_days here: this is the hot-loop entry point and
    # callers that care about speed pass a set they built once.
    return _is_working_day(day, closure_days)


def next_working_day(day: date, *, closure_days: Collection[date] = ()) -> date:
    """Return ``day`` itself when it is a working day, otherwise the first one after it."""
    _check_date(day, "day")
    closed = _frozen(closure_days)
    while not _is_working_day(day, closed):
        # Terminates: at most a few holidays and weekend days follow each other,
        # and an absurd closure set still ends at date.max with OverflowError.
        day += _ONE_DAY
    return day


def add_working_days(start: date, count: int, *, closure_days: Collection[date] = ()) -> date:
    """Return the ``count``-th working day after ``start``; ``start`` itself never counts.

    A receipt on a Saturday or a holiday therefore starts the term on the next
    working day, exactly as the receipt on a working day does.
    """
    _check_date(start, "start")
    remaining = _check_count(count, "count")
    closed = _frozen(closure_days)
    day = start
    while remaining:
        day += _ONE_DAY
        if _is_working_day(day, closed):
            remaining -= 1
    return day


def subtract_working_days(day: date, count: int, *, closure_days: Collection[date] = ()) -> date:
    """Return the ``count``-th working day before ``day``; ``day`` itself never counts."""
    _check_date(day, "day")
    remaining = _check_count(count, "count")
    closed = _frozen(closure_days)
    while remaining:
        day -= _ONE_DAY
        if _is_working_day(day, closed):
            remaining -= 1
    return day


def add_days_rolled(start: date, days: int, *, closure_days: Collection[date] = ()) -> date:
    """Return ``start`` plus ``days`` calendar days, moved to the next working day if needed.

    This is the Algemene termijnenwet rule for terms expressed in calendar
    days or weeks: the term runs in calendar time, only its last day rolls.
    """
    _check_date(start, "start")
    offset = _check_count(days, "days")
    return next_working_day(start + timedelta(days=offset), closure_days=closure_days)


def add_months(start: date, months: int) -> date:
    """Return ``start`` plus ``months`` calendar months, clipped to the month's last day.

    For terms in months that do not roll over non-working days: the one-month answer to a
    data subject's request (GDPR art. 12(3)) and the retention period. 31 January plus one
    month is 28 (or 29) February; a negative count goes back in time.
    """
    _check_date(start, "start")
    later: date = start + relativedelta(months=months)
    return later


def _weekdays_through(day: date) -> int:
    # date(1, 1, 1) has ordinal 1 and is a Monday, so every block of seven
    # ordinals starts on a Monday and holds exactly five weekdays.
    full_weeks, rest = divmod(day.toordinal(), 7)
    return full_weeks * 5 + min(rest, 5)


def working_days_between(start: date, end: date, *, closure_days: Collection[date] = ()) -> int:
    """Count the working days ``d`` with ``start < d <= end``; 0 when ``end <= start``.

    ``working_days_between(s, add_working_days(s, n)) == n`` for every ``s`` and ``n``.
    """
    _check_date(start, "start")
    _check_date(end, "end")
    closed = _frozen(closure_days)
    if end <= start:
        return 0
    # Counted arithmetically instead of day by day because reports call this
    # for every row, and a bad end date decades away must not stall them.
    count = _weekdays_through(end) - _weekdays_through(start)
    for year in range(start.year, end.year + 1):
        count -= sum(1 for day in _holidays(year) if start < day <= end and day.weekday() < _SATURDAY)
    count -= sum(
        1 for day in closed if start < day <= end and day.weekday() < _SATURDAY and day not in _holidays(day.year)
    )
    return count
