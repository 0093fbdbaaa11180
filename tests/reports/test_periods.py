from datetime import date

from reports import periods


def test_the_default_is_the_last_twelve_months_compared_with_the_twelve_before() -> None:
    period = periods.last_twelve_months(date(2026, 11, 24))
    assert (period.start, period.end) == (date(2025, 12, 1), date(2026, 11, 24))
    previous = period.previous()
    assert (previous.start, previous.end) == (date(2024, 12, 1), date(2025, 11, 24))


def test_a_quarter_is_compared_with_the_quarter_before_it() -> None:
    previous = periods.quarter(2026, 2).previous()
    assert (previous.start, previous.end) == (date(2026, 1, 1), date(2026, 3, 31))
    previous = periods.quarter(2026, 1).previous()
    assert (previous.start, previous.end) == (date(2025, 10, 1), date(2025, 12, 31))


def test_a_year_is_compared_with_the_year_before() -> None:
    previous = periods.year(2025).previous()
    assert (previous.start, previous.end) == (date(2024, 1, 1), date(2024, 12, 31))


def test_a_custom_range_is_compared_with_as_many_days_before_it() -> None:
    previous = periods.custom(date(2026, 3, 10), date(2026, 3, 19)).previous()
    assert (previous.start, previous.end) == (date(2026, 2, 28), date(2026, 3, 9))


def test_quick_pick_keys_are_read_and_nonsense_is_refused() -> None:
    today = date(2026, 11, 24)
    assert periods.from_key("2026-Q3", today=today).start == date(2026, 7, 1)  # type: ignore[union-attr]
    assert periods.from_key("2025", today=today).end == date(2025, 12, 31)  # type: ignore[union-attr]
    for nonsense in ("", "2026-Q5", "1900", "abc", "2026-Q1; DROP TABLE"):
        assert periods.from_key(nonsense, today=today) is None


def test_a_custom_range_must_be_in_order_and_at_most_three_years() -> None:
    for start, end in ((date(2026, 3, 2), date(2026, 3, 1)), (date(2020, 1, 1), date(2026, 1, 1))):
        try:
            periods.custom(start, end)
        except ValueError:
            continue
        raise AssertionError(f"{start}–{end} was accepted")
