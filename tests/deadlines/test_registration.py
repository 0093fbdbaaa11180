"""Each complaint gets its three deadlines from its date of receipt, with the periods and
closure days in force when it is registered."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from complaints.errors import NotPermitted, ProcedureError
from deadlines import services
from organisation.models import ClosureDay
from organisation.selectors import get_organisation
from tests.complaints.procedure import at


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in their source language; the Dutch ones are checked in the pages."""
    with translation.override("en"):
        yield


def deadlines(complaint):
    return complaint.acknowledge_due, complaint.contact_due, complaint.resolve_due


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # A Monday in March: no holiday in sight.
        (at(2026, 3, 2), (date(2026, 3, 9), date(2026, 3, 16), date(2026, 4, 1))),
        # Good Friday 2026 (3 April): the acknowledgement skips Easter Monday; 3 May is a Sunday,
        # so the resolution rolls to Monday 4 May (5 May, Bevrijdingsdag, is the day after).
        (at(2026, 4, 3), (date(2026, 4, 13), date(2026, 4, 17), date(2026, 5, 4))),
        # The Thursday before Easter: the acknowledgement skips Good Friday and Easter Monday.
        (at(2026, 4, 2), (date(2026, 4, 13), date(2026, 4, 16), date(2026, 5, 4))),
        # Christmas Eve 2026, across the year end: Christmas, the weekend and New Year's Day skipped;
        # 23 January 2027 is a Saturday, so the resolution rolls to Monday 25 January.
        (at(2026, 12, 24), (date(2027, 1, 4), date(2027, 1, 7), date(2027, 1, 25))),
        # Received on a Saturday evening: the count starts as on the Saturday, never on the Monday;
        # 6 April is Easter Monday, so the resolution rolls to Tuesday 7 April.
        (at(2026, 3, 7, 22), (date(2026, 3, 13), date(2026, 3, 23), date(2026, 4, 7))),
    ],
)
def test_deadlines_count_from_the_date_of_receipt(received, expected, make_complaint):
    with time_machine.travel(at(2027, 2, 1), tick=False):
        # Registered long after receipt (a letter typed in later): receipt still counts.
        complaint = make_complaint(received_at=received)
    assert deadlines(complaint) == expected


def test_the_reference_has_the_year_of_receipt(make_complaint):
    with time_machine.travel(at(2027, 1, 4), tick=False):
        complaint = make_complaint(received_at=at(2026, 12, 31, 23, 30))
    assert complaint.reference.startswith("KL-2026-")


def test_changing_the_periods_affects_new_complaints_only(make_complaint, quality_manager):
    with time_machine.travel(at(2026, 3, 2, 12), tick=False):
        before = make_complaint(received_at=at(2026, 3, 2))
        services.update_periods(
            by=quality_manager, acknowledgement_working_days=3, first_contact_days=10, resolution_days=21
        )
        after = make_complaint(received_at=at(2026, 3, 2))
    before.refresh_from_db()
    assert deadlines(before) == (date(2026, 3, 9), date(2026, 3, 16), date(2026, 4, 1))
    assert deadlines(after) == (date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 23))
    assert get_organisation().resolution_days == 21


def test_a_closure_day_affects_new_complaints_only(make_complaint, quality_manager):
    with time_machine.travel(at(2026, 3, 2, 12), tick=False):
        before = make_complaint(received_at=at(2026, 3, 2))
        services.add_closure_day(day=date(2026, 3, 4), description="Studiedag", by=quality_manager)
        after = make_complaint(received_at=at(2026, 3, 2))
    before.refresh_from_db()
    assert before.acknowledge_due == date(2026, 3, 9)
    assert after.acknowledge_due == date(2026, 3, 10)


def test_the_day_after_ascension_as_a_closure_day_moves_a_rolled_deadline(make_complaint, quality_manager):
    # Ascension 2026 is Thursday 14 May; received 1 May, first contact would be Friday 15 May.
    ClosureDay.objects.create(day=date(2026, 5, 15), description="Dag na Hemelvaart")
    with time_machine.travel(at(2026, 5, 1, 12), tick=False):
        complaint = make_complaint(received_at=at(2026, 5, 1))
    assert complaint.contact_due == date(2026, 5, 18)


def test_it_refuses_periods_that_make_no_sense(quality_manager):
    with pytest.raises(ProcedureError):
        services.update_periods(
            by=quality_manager, acknowledgement_working_days=5, first_contact_days=40, resolution_days=30
        )
    with pytest.raises(ProcedureError):
        services.update_periods(
            by=quality_manager, acknowledgement_working_days=0, first_contact_days=14, resolution_days=30
        )


def test_only_the_quality_manager_changes_the_calendar(director):
    with pytest.raises(NotPermitted):
        services.update_periods(by=director, acknowledgement_working_days=5, first_contact_days=14, resolution_days=30)
    with pytest.raises(NotPermitted):
        services.add_closure_day(day=date(2026, 3, 4), description="x", by=director)


def test_a_holiday_or_a_day_already_closed_is_refused_as_closure_day(quality_manager):
    with pytest.raises(ProcedureError, match="Goede Vrijdag"):
        services.add_closure_day(day=date(2026, 4, 3), description="x", by=quality_manager)
    services.add_closure_day(day=date(2026, 5, 15), description="Dag na Hemelvaart", by=quality_manager)
    with pytest.raises(ProcedureError, match="already"):
        services.add_closure_day(day=date(2026, 5, 15), description="x", by=quality_manager)
