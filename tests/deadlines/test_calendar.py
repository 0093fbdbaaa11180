"""Tests for the Dutch working-day calendar.

Expected dates are written out by hand on purpose: deriving them with the
same rules as the implementation would only prove the code agrees with itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from deadlines.calendar import (
    add_days_rolled,
    add_working_days,
    dutch_holidays,
    holiday_name,
    is_working_day,
    next_working_day,
    subtract_working_days,
    working_days_between,
)

D = date

HOLIDAYS_BY_YEAR: dict[int, dict[date, str]] = {
    # Easter Sunday 2025-04-20; 2025-04-27 is a Sunday, so Koningsdag moves to 26 April.
    2025: {
        D(2025, 1, 1): "Nieuwjaarsdag",
        D(2025, 4, 18): "Goede Vrijdag",
        D(2025, 4, 21): "Tweede Paasdag",
        D(2025, 4, 26): "Koningsdag",
        D(2025, 5, 5): "Bevrijdingsdag",
        D(2025, 5, 29): "Hemelvaartsdag",
        D(2025, 6, 9): "Tweede Pinksterdag",
        D(2025, 12, 25): "Eerste Kerstdag",
        D(2025, 12, 26): "Tweede Kerstdag",
    },
    # Easter Sunday 2026-04-05.
    2026: {
        D(2026, 1, 1): "Nieuwjaarsdag",
        D(2026, 4, 3): "Goede Vrijdag",
        D(2026, 4, 6): "Tweede Paasdag",
        D(2026, 4, 27): "Koningsdag",
        D(2026, 5, 5): "Bevrijdingsdag",
        D(2026, 5, 14): "Hemelvaartsdag",
        D(2026, 5, 25): "Tweede Pinksterdag",
        D(2026, 12, 25): "Eerste Kerstdag",
        D(2026, 12, 26): "Tweede Kerstdag",
    },
    # Easter Sunday 2027-03-28.
    2027: {
        D(2027, 1, 1): "Nieuwjaarsdag",
        D(2027, 3, 26): "Goede Vrijdag",
        D(2027, 3, 29): "Tweede Paasdag",
        D(2027, 4, 27): "Koningsdag",
        D(2027, 5, 5): "Bevrijdingsdag",
        D(2027, 5, 6): "Hemelvaartsdag",
        D(2027, 5, 17): "Tweede Pinksterdag",
        D(2027, 12, 25): "Eerste Kerstdag",
        D(2027, 12, 26): "Tweede Kerstdag",
    },
    # Easter Sunday 2028-04-16.
    2028: {
        D(2028, 1, 1): "Nieuwjaarsdag",
        D(2028, 4, 14): "Goede Vrijdag",
        D(2028, 4, 17): "Tweede Paasdag",
        D(2028, 4, 27): "Koningsdag",
        D(2028, 5, 5): "Bevrijdingsdag",
        D(2028, 5, 25): "Hemelvaartsdag",
        D(2028, 6, 5): "Tweede Pinksterdag",
        D(2028, 12, 25): "Eerste Kerstdag",
        D(2028, 12, 26): "Tweede Kerstdag",
    },
    # Easter Sunday 2029-04-01.
    2029: {
        D(2029, 1, 1): "Nieuwjaarsdag",
        D(2029, 3, 30): "Goede Vrijdag",
        D(2029, 4, 2): "Tweede Paasdag",
        D(2029, 4, 27): "Koningsdag",
        D(2029, 5, 5): "Bevrijdingsdag",
        D(2029, 5, 10): "Hemelvaartsdag",
        D(2029, 5, 21): "Tweede Pinksterdag",
        D(2029, 12, 25): "Eerste Kerstdag",
        D(2029, 12, 26): "Tweede Kerstdag",
    },
    # Easter Sunday 2030-04-21; 2030-04-27 is a Saturday, so Koningsdag stays on the 27th.
    2030: {
        D(2030, 1, 1): "Nieuwjaarsdag",
        D(2030, 4, 19): "Goede Vrijdag",
        D(2030, 4, 22): "Tweede Paasdag",
        D(2030, 4, 27): "Koningsdag",
        D(2030, 5, 5): "Bevrijdingsdag",
        D(2030, 5, 30): "Hemelvaartsdag",
        D(2030, 6, 10): "Tweede Pinksterdag",
        D(2030, 12, 25): "Eerste Kerstdag",
        D(2030, 12, 26): "Tweede Kerstdag",
    },
}

ALL_DAYS_2025_2030 = [D(2025, 1, 1) + timedelta(days=n) for n in range((D(2031, 1, 1) - D(2025, 1, 1)).days)]
ALL_HOLIDAYS_2025_2030 = {day for holidays in HOLIDAYS_BY_YEAR.values() for day in holidays}

# The Friday after Ascension, a typical "brugdag" on which an organisation closes.
BRIDGE_DAY_2026 = D(2026, 5, 15)


# --- Holidays ---------------------------------------------------------------


@pytest.mark.parametrize("year", sorted(HOLIDAYS_BY_YEAR))
def test_it_knows_every_holiday_of_the_year_exactly(year):
    assert dutch_holidays(year) == HOLIDAYS_BY_YEAR[year]


def test_it_moves_kings_day_to_saturday_when_27_april_is_a_sunday():
    assert holiday_name(D(2031, 4, 26)) == "Koningsdag"
    assert holiday_name(D(2031, 4, 27)) is None


def test_it_keeps_kings_day_on_27_april_when_that_is_a_saturday():
    assert holiday_name(D(2030, 4, 27)) == "Koningsdag"
    assert holiday_name(D(2030, 4, 26)) is None


def test_it_treats_liberation_day_as_a_holiday_in_every_year_not_only_lustrum_years():
    for year in range(2025, 2031):
        assert holiday_name(D(year, 5, 5)) == "Bevrijdingsdag"
    assert not is_working_day(D(2027, 5, 5))  # a Wednesday in a non-lustrum year


def test_it_keeps_both_names_when_ascension_falls_on_liberation_day():
    # Easter 2016 was 27 March, so Ascension was 5 May.
    holidays = dutch_holidays(2016)
    assert holidays[D(2016, 5, 5)] == "Bevrijdingsdag en Hemelvaartsdag"
    assert len(holidays) == 8


def test_it_names_a_holiday_and_returns_none_for_an_ordinary_day():
    assert holiday_name(D(2026, 4, 27)) == "Koningsdag"
    assert holiday_name(D(2025, 4, 18)) == "Goede Vrijdag"
    assert holiday_name(D(2026, 4, 28)) is None
    assert holiday_name(D(2025, 4, 20)) is None  # Easter Sunday itself is not listed


def test_holiday_name_agrees_with_the_table_for_every_day_2025_to_2030():
    for day in ALL_DAYS_2025_2030:
        assert holiday_name(day) == HOLIDAYS_BY_YEAR[day.year].get(day), day


def test_mutating_the_returned_holidays_does_not_change_later_answers():
    holidays = dutch_holidays(2026)
    holidays.clear()
    holidays[D(2026, 3, 3)] = "Made up"
    assert dutch_holidays(2026) == HOLIDAYS_BY_YEAR[2026]
    assert holiday_name(D(2026, 3, 3)) is None


# --- is_working_day / next_working_day ---------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 3, 7), True),  # Friday
        (D(2025, 3, 8), False),  # Saturday
        (D(2025, 3, 9), False),  # Sunday
        (D(2025, 3, 10), True),  # Monday
        (D(2026, 4, 27), False),  # Koningsdag on a Monday
        (D(2025, 4, 26), False),  # Koningsdag moved to Saturday
        (D(2025, 4, 28), True),  # Monday after Koningsdag 2025 is a normal day
        (D(2026, 12, 24), True),  # Christmas Eve is not a holiday
        (D(2026, 12, 31), True),  # New Year's Eve is not a holiday
    ],
)
def test_it_tells_working_days_from_weekends_and_holidays(day, expected):
    assert is_working_day(day) is expected


def test_every_day_2025_to_2030_is_a_working_day_exactly_when_it_is_a_weekday_and_no_holiday():
    for day in ALL_DAYS_2025_2030:
        expected = day.weekday() < 5 and day not in ALL_HOLIDAYS_2025_2030
        assert is_working_day(day) is expected, day


@pytest.mark.parametrize(
    "closure_days",
    [
        [BRIDGE_DAY_2026],
        (BRIDGE_DAY_2026,),
        {BRIDGE_DAY_2026},
        frozenset({BRIDGE_DAY_2026}),
    ],
)
def test_it_treats_a_closure_day_as_a_non_working_day_whatever_collection_it_comes_in(
    closure_days,
):
    assert is_working_day(BRIDGE_DAY_2026)
    assert not is_working_day(BRIDGE_DAY_2026, closure_days=closure_days)
    assert next_working_day(BRIDGE_DAY_2026, closure_days=closure_days) == D(2026, 5, 18)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 3, 7), D(2025, 3, 7)),  # a working day is its own next working day
        (D(2025, 3, 8), D(2025, 3, 10)),  # Saturday -> Monday
        (D(2025, 3, 9), D(2025, 3, 10)),  # Sunday -> Monday
        # Goede Vrijdag, weekend, Tweede Paasdag -> Tuesday
        (D(2025, 4, 18), D(2025, 4, 22)),
        (D(2025, 12, 25), D(2025, 12, 29)),  # Christmas, weekend -> Monday
        (D(2027, 5, 5), D(2027, 5, 7)),  # Bevrijdingsdag then Hemelvaartsdag -> Friday
        (D(2027, 12, 25), D(2027, 12, 27)),  # Christmas on a weekend -> Monday
    ],
)
def test_it_finds_the_next_working_day(day, expected):
    assert next_working_day(day) == expected


# --- add_working_days -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "closure_days", "expected"),
    [
        pytest.param(D(2025, 3, 5), 2, (), D(2025, 3, 7), id="plain-weekdays"),
        pytest.param(D(2025, 3, 7), 1, (), D(2025, 3, 10), id="over-a-weekend"),
        pytest.param(D(2025, 3, 7), 5, (), D(2025, 3, 14), id="a-working-week-from-friday"),
        pytest.param(D(2025, 1, 1), 1, (), D(2025, 1, 2), id="receipt-on-new-years-day"),
        pytest.param(D(2026, 12, 31), 1, (), D(2027, 1, 4), id="new-years-day-then-weekend"),
        pytest.param(D(2025, 4, 17), 1, (), D(2025, 4, 22), id="good-friday-and-easter-monday"),
        pytest.param(D(2026, 4, 2), 2, (), D(2026, 4, 8), id="good-friday-and-easter-monday-2026"),
        pytest.param(D(2026, 4, 24), 1, (), D(2026, 4, 28), id="kings-day-on-monday"),
        pytest.param(
            D(2025, 4, 25),
            1,
            (),
            D(2025, 4, 28),
            id="kings-day-moved-to-saturday-costs-nothing",
        ),
        pytest.param(D(2026, 5, 4), 1, (), D(2026, 5, 6), id="liberation-day"),
        pytest.param(D(2027, 5, 4), 1, (), D(2027, 5, 7), id="liberation-day-then-ascension"),
        pytest.param(D(2026, 5, 13), 1, (), D(2026, 5, 15), id="ascension"),
        pytest.param(D(2026, 5, 22), 1, (), D(2026, 5, 26), id="whit-monday"),
        pytest.param(D(2025, 12, 24), 5, (), D(2026, 1, 5), id="christmas-and-new-year"),
        pytest.param(
            D(2026, 12, 23),
            3,
            (),
            D(2026, 12, 29),
            id="christmas-on-friday-and-saturday",
        ),
        pytest.param(
            D(2026, 5, 13),
            1,
            [BRIDGE_DAY_2026],
            D(2026, 5, 18),
            id="closure-day-after-ascension",
        ),
        pytest.param(
            D(2026, 5, 13),
            5,
            [BRIDGE_DAY_2026],
            D(2026, 5, 22),
            id="closure-day-inside-a-longer-term",
        ),
        pytest.param(
            D(2026, 5, 13),
            1,
            [D(2026, 5, 16)],
            D(2026, 5, 15),
            id="closure-on-saturday-changes-nothing",
        ),
        pytest.param(D(2025, 3, 8), 1, (), D(2025, 3, 10), id="receipt-on-saturday"),
        pytest.param(D(2025, 3, 8), 5, (), D(2025, 3, 14), id="receipt-on-saturday-five-days"),
        pytest.param(D(2025, 3, 9), 5, (), D(2025, 3, 14), id="receipt-on-sunday-five-days"),
        pytest.param(D(2026, 4, 27), 1, (), D(2026, 4, 28), id="receipt-on-kings-day"),
        pytest.param(D(2025, 12, 25), 1, (), D(2025, 12, 29), id="receipt-on-christmas"),
        pytest.param(D(2025, 3, 7), 0, (), D(2025, 3, 7), id="count-zero-on-working-day"),
        pytest.param(
            D(2025, 3, 8),
            0,
            (),
            D(2025, 3, 8),
            id="count-zero-on-saturday-returns-start",
        ),
        pytest.param(
            D(2026, 4, 27),
            0,
            (),
            D(2026, 4, 27),
            id="count-zero-on-holiday-returns-start",
        ),
        pytest.param(D(2025, 1, 1), 10, (), D(2025, 1, 15), id="ten-days-into-january"),
    ],
)
def test_it_adds_working_days_across_weekends_holidays_and_closures(start, count, closure_days, expected):
    assert add_working_days(start, count, closure_days=closure_days) == expected


def test_it_rolls_a_deadline_on_kings_day_to_the_next_working_day():
    # Received Thursday 23 April 2026: the second working day would be Monday 27 April.
    assert add_working_days(D(2026, 4, 23), 2) == D(2026, 4, 28)


def test_it_counts_the_same_from_a_saturday_as_from_the_friday_before():
    for n in range(1, 11):
        assert add_working_days(D(2025, 3, 8), n) == add_working_days(D(2025, 3, 7), n)


def test_it_ends_an_add_on_a_working_day_whenever_count_is_positive():
    for start in ALL_DAYS_2025_2030[::7]:
        for n in (1, 5, 10):
            assert is_working_day(add_working_days(start, n)), (start, n)


# --- subtract_working_days -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "count", "closure_days", "expected"),
    [
        pytest.param(D(2025, 3, 14), 2, (), D(2025, 3, 12), id="plain-weekdays"),
        pytest.param(D(2025, 3, 10), 1, (), D(2025, 3, 7), id="over-a-weekend"),
        pytest.param(D(2025, 4, 22), 2, (), D(2025, 4, 16), id="back-over-easter"),
        pytest.param(D(2026, 4, 28), 1, (), D(2026, 4, 24), id="back-over-kings-day"),
        pytest.param(
            D(2027, 5, 7),
            1,
            (),
            D(2027, 5, 4),
            id="back-over-ascension-and-liberation-day",
        ),
        pytest.param(D(2026, 5, 26), 1, (), D(2026, 5, 22), id="back-over-whit-monday"),
        pytest.param(D(2026, 1, 5), 2, (), D(2025, 12, 31), id="back-over-new-year"),
        pytest.param(D(2025, 12, 29), 1, (), D(2025, 12, 24), id="back-over-christmas"),
        pytest.param(
            D(2026, 5, 18),
            1,
            [BRIDGE_DAY_2026],
            D(2026, 5, 13),
            id="back-over-closure-day",
        ),
        pytest.param(D(2025, 3, 8), 1, (), D(2025, 3, 7), id="deadline-on-saturday"),
        pytest.param(D(2025, 3, 8), 0, (), D(2025, 3, 8), id="count-zero-returns-day"),
    ],
)
def test_it_subtracts_working_days_for_reminders_before_a_deadline(day, count, closure_days, expected):
    assert subtract_working_days(day, count, closure_days=closure_days) == expected


def test_subtracting_undoes_adding_from_every_working_day_2025_to_2030():
    closure_days = frozenset({BRIDGE_DAY_2026, D(2027, 12, 27)})
    for start in ALL_DAYS_2025_2030:
        if not is_working_day(start, closure_days=closure_days):
            continue
        for n in range(11):
            deadline = add_working_days(start, n, closure_days=closure_days)
            assert subtract_working_days(deadline, n, closure_days=closure_days) == start, (start, n)


# --- add_days_rolled -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "closure_days", "expected"),
    [
        pytest.param(D(2025, 3, 3), 4, (), D(2025, 3, 7), id="lands-on-a-working-day"),
        pytest.param(D(2025, 3, 3), 5, (), D(2025, 3, 10), id="lands-on-saturday"),
        pytest.param(D(2025, 3, 3), 6, (), D(2025, 3, 10), id="lands-on-sunday"),
        pytest.param(D(2026, 3, 16), 42, (), D(2026, 4, 28), id="six-weeks-landing-on-kings-day"),
        pytest.param(D(2025, 3, 7), 42, (), D(2025, 4, 22), id="six-weeks-landing-on-good-friday"),
        pytest.param(D(2025, 12, 11), 14, (), D(2025, 12, 29), id="lands-on-christmas"),
        pytest.param(D(2025, 12, 18), 14, (), D(2026, 1, 2), id="lands-on-new-years-day"),
        pytest.param(
            D(2026, 5, 1),
            14,
            [BRIDGE_DAY_2026],
            D(2026, 5, 18),
            id="lands-on-closure-day",
        ),
        pytest.param(D(2026, 5, 1), 14, (), D(2026, 5, 15), id="same-day-without-closure"),
        pytest.param(D(2025, 3, 8), 0, (), D(2025, 3, 10), id="zero-days-on-saturday-still-rolls"),
        pytest.param(D(2025, 3, 7), 0, (), D(2025, 3, 7), id="zero-days-on-working-day"),
        pytest.param(
            D(2025, 3, 5),
            3,
            (),
            D(2025, 3, 10),
            id="weekend-in-between-does-not-extend-a-calendar-term",
        ),
    ],
)
def test_it_adds_calendar_days_and_rolls_a_non_working_last_day(start, days, closure_days, expected):
    assert add_days_rolled(start, days, closure_days=closure_days) == expected


def test_add_days_rolled_does_not_skip_holidays_in_the_middle_of_the_term():
    # Easter 2025 lies inside the term but the term still ends exactly 14 days later.
    assert add_days_rolled(D(2025, 4, 15), 14) == D(2025, 4, 29)


# --- working_days_between ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "closure_days", "expected"),
    [
        pytest.param(D(2025, 3, 7), D(2025, 3, 7), (), 0, id="same-day"),
        pytest.param(D(2025, 3, 10), D(2025, 3, 7), (), 0, id="end-before-start"),
        pytest.param(D(2025, 3, 7), D(2025, 3, 10), (), 1, id="over-a-weekend"),
        pytest.param(D(2025, 3, 7), D(2025, 3, 9), (), 0, id="end-on-sunday"),
        pytest.param(D(2025, 3, 8), D(2025, 3, 14), (), 5, id="start-on-saturday"),
        pytest.param(D(2025, 3, 7), D(2025, 3, 14), (), 5, id="start-day-never-counts"),
        pytest.param(D(2025, 12, 24), D(2026, 1, 5), (), 5, id="christmas-and-new-year"),
        pytest.param(D(2025, 4, 17), D(2025, 4, 22), (), 1, id="easter"),
        pytest.param(D(2027, 5, 4), D(2027, 5, 7), (), 1, id="liberation-day-and-ascension"),
        pytest.param(D(2026, 5, 13), D(2026, 5, 18), [BRIDGE_DAY_2026], 1, id="closure-day"),
        pytest.param(
            D(2026, 5, 13),
            D(2026, 5, 18),
            [BRIDGE_DAY_2026, BRIDGE_DAY_2026],
            1,
            id="duplicate-closure-day",
        ),
        pytest.param(
            D(2026, 4, 20),
            D(2026, 4, 28),
            [D(2026, 4, 27)],
            5,
            id="closure-on-a-holiday-counts-once",
        ),
        pytest.param(
            D(2026, 5, 13),
            D(2026, 5, 18),
            [D(2026, 5, 16)],
            2,
            id="closure-on-a-saturday",
        ),
        pytest.param(D(2025, 1, 1), D(2026, 1, 1), (), 253, id="a-whole-year"),
    ],
)
def test_it_counts_working_days_between_two_dates(start, end, closure_days, expected):
    assert working_days_between(start, end, closure_days=closure_days) == expected


def test_working_days_between_inverts_add_working_days_for_every_day_2025_to_2030():
    for start in ALL_DAYS_2025_2030:
        for n in range(11):
            assert working_days_between(start, add_working_days(start, n)) == n, (
                start,
                n,
            )


def test_working_days_between_inverts_add_working_days_with_closure_days():
    closure_days = [BRIDGE_DAY_2026, D(2027, 12, 27), D(2028, 4, 28), D(2029, 12, 31)]
    for start in ALL_DAYS_2025_2030:
        for n in (0, 1, 2, 5, 10):
            deadline = add_working_days(start, n, closure_days=closure_days)
            assert working_days_between(start, deadline, closure_days=closure_days) == n, (start, n)


def test_working_days_between_matches_counting_day_by_day():
    closure_days = frozenset({BRIDGE_DAY_2026, D(2026, 4, 27), D(2026, 5, 16), D(2026, 12, 28)})
    for start in ALL_DAYS_2025_2030[::3]:
        expected = 0
        day = start
        for span in range(40):
            if span:
                day += timedelta(days=1)
                expected += is_working_day(day, closure_days=closure_days)
            assert working_days_between(start, day, closure_days=closure_days) == expected, (start, day)


def test_it_judges_an_acknowledgement_within_five_working_days():
    received = D(2025, 12, 24)
    assert working_days_between(received, D(2026, 1, 5)) <= 5
    assert working_days_between(received, D(2026, 1, 6)) > 5


def test_working_days_between_stays_fast_for_a_far_away_end_date():
    assert working_days_between(D(2025, 1, 1), D(9999, 12, 31)) > 2_000_000


# --- Guards ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [-1, -10])
def test_it_refuses_negative_working_day_counts(count):
    with pytest.raises(ValueError):
        add_working_days(D(2025, 3, 7), count)
    with pytest.raises(ValueError):
        subtract_working_days(D(2025, 3, 7), count)


def test_it_refuses_a_negative_number_of_calendar_days():
    with pytest.raises(ValueError):
        add_days_rolled(D(2025, 3, 7), -1)


@pytest.mark.parametrize("count", [1.5, "2"])
def test_it_refuses_a_count_that_is_not_a_whole_number(count):
    with pytest.raises(TypeError):
        add_working_days(D(2025, 3, 7), count)
    with pytest.raises(TypeError):
        subtract_working_days(D(2025, 3, 7), count)
    with pytest.raises(TypeError):
        add_days_rolled(D(2025, 3, 7), count)


def test_it_refuses_a_datetime_because_holiday_lookups_would_silently_miss():
    moment = datetime(2026, 4, 27, 9, 0)
    with pytest.raises(TypeError):
        is_working_day(moment)
    with pytest.raises(TypeError):
        add_working_days(moment, 1)
    with pytest.raises(TypeError):
        working_days_between(D(2026, 4, 24), moment)
    with pytest.raises(TypeError):
        next_working_day(D(2026, 4, 24), closure_days=[moment])


def test_it_terminates_even_when_every_day_is_a_closure_day():
    last_days = [date.max - timedelta(days=n) for n in range(10)]
    with pytest.raises(OverflowError):
        next_working_day(last_days[-1], closure_days=last_days)
