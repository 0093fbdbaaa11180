"""The calendar day of a moment is the day in Amsterdam."""

from datetime import UTC, date, datetime

from lib.dates import local_date


def test_late_evening_utc_is_already_the_next_day_in_amsterdam() -> None:
    assert local_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2027, 1, 1)
    assert local_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)  # summer time
    assert local_date(datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == date(2026, 12, 31)
