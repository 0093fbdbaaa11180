"""How a deadline shows: on time, due soon (two working days or fewer), overdue, met, met late."""

from datetime import date

import pytest

from deadlines.status import CSS_CLASSES, LABELS, State, deadline_status, soon_limit, was_on_time
from tests.complaints.procedure import at


def status(due: date, today: date, met_at=None, active=True, closure_days=()):
    return deadline_status(due=due, met_at=met_at, today=today, closure_days=closure_days, active=active)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 3, 2), State.ON_TIME),  # Monday, deadline Thursday: three working days left
        (date(2026, 3, 3), State.DUE_SOON),  # two left
        (date(2026, 3, 5), State.DUE_SOON),  # the day itself
        (date(2026, 3, 6), State.OVERDUE),
    ],
)
def test_it_tells_on_time_due_soon_and_overdue(today, state):
    assert status(date(2026, 3, 5), today).state == state


def test_due_soon_counts_working_days_across_easter():
    # From Thursday 2 April 2026, Good Friday and Easter Monday do not count: two working
    # days later is Wednesday 8 April.
    assert soon_limit(date(2026, 4, 2), closure_days=()) == date(2026, 4, 8)
    assert status(date(2026, 4, 8), date(2026, 4, 2)).state == State.DUE_SOON
    assert status(date(2026, 4, 9), date(2026, 4, 2)).state == State.ON_TIME


def test_a_closure_day_makes_a_deadline_due_soon_earlier():
    closure = {date(2026, 3, 4)}
    assert status(date(2026, 3, 6), date(2026, 3, 3)).state == State.ON_TIME
    assert status(date(2026, 3, 6), date(2026, 3, 3), closure_days=closure).state == State.DUE_SOON


def test_a_met_deadline_keeps_the_day_it_was_met():
    met = status(date(2026, 3, 5), date(2026, 3, 20), met_at=at(2026, 3, 5, 23, 59))
    assert (met.state, met.met_on) == (State.MET, date(2026, 3, 5))
    late = status(date(2026, 3, 5), date(2026, 3, 20), met_at=at(2026, 3, 6, 0, 1))
    assert (late.state, late.met_on) == (State.MET_LATE, date(2026, 3, 6))


def test_on_time_is_judged_on_the_local_date():
    # 23:30 in Amsterdam on the 5th is 22:30 UTC: on time; 00:30 on the 6th is 23:30 UTC on the 5th: late.
    assert was_on_time(due=date(2026, 3, 5), met_at=at(2026, 3, 5, 23, 30))
    assert not was_on_time(due=date(2026, 3, 5), met_at=at(2026, 3, 6, 0, 30))


def test_an_unmet_deadline_of_a_closed_complaint_is_no_longer_needed():
    assert status(date(2026, 3, 5), date(2026, 3, 20), active=False).state == State.NOT_NEEDED


def test_every_state_has_a_label_and_a_colour():
    assert set(LABELS) == set(State) == set(CSS_CLASSES)
    assert status(date(2026, 3, 5), date(2026, 3, 6)).css == "late"
    assert status(date(2026, 3, 5), date(2026, 3, 4)).css == "soon"


def test_the_labels_are_dutch_by_default():
    assert status(date(2026, 3, 5), date(2026, 3, 6)).label == "verlopen"
