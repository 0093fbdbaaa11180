"""The procedures as profiles (deadlines.profiles): each counts its deadlines as its rules say,
against dates counted by hand across holidays, and a complaint keeps the procedure it was
received under. Holidays used: Good Friday 3 April 2026, Easter Monday 6 April 2026, Ascension
Day 14 May 2026, Christmas 25–26 December 2026, Koningsdag Tuesday 27 April 2027."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from complaints import services
from complaints.errors import ProcedureError
from complaints.models import Complaint
from deadlines.profiles import latest_extension, profile_for
from deadlines.rules import deadlines_for
from organisation.models import ClosureDay, Procedure
from organisation.selectors import get_organisation
from tests.conftest import ComplaintFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def resolve_due(received_on: date, procedure: Procedure, closure_days: frozenset[date] = frozenset()) -> date:
    organisation = get_organisation()
    return deadlines_for(
        received_on=received_on, organisation=organisation, closure_days=closure_days, procedure=procedure
    ).resolve


@pytest.mark.parametrize("procedure", [Procedure.WKKGZ, Procedure.AWB])
def test_six_weeks_end_on_the_same_weekday_or_the_next_working_day(procedure: Procedure) -> None:
    # Thursday 2 April 2026 (before Easter) + 6 weeks = Thursday 14 May, Ascension Day: Friday 15 May.
    assert resolve_due(date(2026, 4, 2), procedure) == date(2026, 5, 15)
    # Friday 13 November 2026 + 6 weeks = Christmas Day; 26 December and the Sunday after: Monday 28.
    assert resolve_due(date(2026, 11, 13), procedure) == date(2026, 12, 28)
    # Tuesday 16 March 2027 + 6 weeks = Koningsdag: Wednesday 28 April.
    assert resolve_due(date(2027, 3, 16), procedure) == date(2027, 4, 28)
    # An ordinary Monday stays a Monday.
    assert resolve_due(date(2026, 6, 1), procedure) == date(2026, 7, 13)


def test_the_laws_weeks_do_not_move_for_the_organisations_closure_days() -> None:
    closed = frozenset({date(2026, 5, 15)})
    assert resolve_due(date(2026, 4, 2), Procedure.WKKGZ, closed) == date(2026, 5, 15)
    # The organisation's own procedure counts its closure days: 2 April + 30 days = Saturday 2 May,
    # rolled to Monday 4 May; with 4 May closed, Tuesday 5 May is Bevrijdingsdag: Wednesday 6 May.
    assert get_organisation().resolution_days == 30
    assert resolve_due(date(2026, 4, 2), Procedure.OWN) == date(2026, 5, 4)
    assert resolve_due(date(2026, 4, 2), Procedure.OWN, frozenset({date(2026, 5, 4)})) == date(2026, 5, 6)


def test_the_periods_the_law_does_not_set_are_the_organisations() -> None:
    organisation = get_organisation()
    own = deadlines_for(
        received_on=date(2026, 4, 2), organisation=organisation, closure_days=frozenset(), procedure=Procedure.OWN
    )
    wkkgz = deadlines_for(
        received_on=date(2026, 4, 2), organisation=organisation, closure_days=frozenset(), procedure=Procedure.WKKGZ
    )
    # 5 working days after Thursday 2 April, past Good Friday and Easter Monday: Monday 13 April.
    assert own.acknowledge == wkkgz.acknowledge == date(2026, 4, 13)
    assert own.contact == wkkgz.contact


def test_one_extension_reaches_at_most_ten_weeks_from_receipt() -> None:
    # Friday 13 November 2026 + 10 weeks = Friday 22 January 2027.
    assert latest_extension(profile_for(Procedure.WKKGZ), date(2026, 11, 13)) == date(2027, 1, 22)
    assert latest_extension(profile_for(Procedure.OWN), date(2026, 11, 13)) is None


def received_under(
    procedure: Procedure, make_complaint: ComplaintFactory, at: datetime = datetime(2026, 11, 13, 10, tzinfo=AMS)
) -> Complaint:
    organisation = get_organisation()
    organisation.procedure = procedure
    organisation.save()
    return make_complaint(received_at=at)


def test_a_complaint_keeps_the_procedure_it_was_received_under(make_complaint: ComplaintFactory) -> None:
    ClosureDay.objects.create(day=date(2026, 12, 24), description="Kerstavond")
    under_the_law = received_under(Procedure.WKKGZ, make_complaint)
    assert (under_the_law.procedure, under_the_law.resolve_due) == (Procedure.WKKGZ, date(2026, 12, 28))
    # The organisation goes back to its own procedure: the complaint received before stays as it was.
    own = received_under(Procedure.OWN, make_complaint)
    under_the_law.refresh_from_db()
    assert (under_the_law.procedure, under_the_law.resolve_due) == (Procedure.WKKGZ, date(2026, 12, 28))
    # 13 November + 30 days = Sunday 13 December: Monday 14 December.
    assert (own.procedure, own.resolve_due) == (Procedure.OWN, date(2026, 12, 14))


def extend(complaint: Complaint, by: User, new_due: date, *, consent: str = "") -> None:
    reason = "Deskundige gevraagd."
    services.extend_resolution(complaint=complaint, by=by, new_due=new_due, reason=reason, consent=consent)


def test_a_statutory_extension_is_once_in_time_and_at_most_four_weeks(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = received_under(Procedure.WKKGZ, make_complaint)  # due Monday 28 December 2026
    with time_machine.travel(datetime(2026, 12, 21, 12, tzinfo=AMS)):
        # Past 22 January 2027 (10 weeks from receipt): too long.
        with pytest.raises(ProcedureError, match="hooguit 4 weken duren: de laatste datum is 22 januari 2027"):
            extend(complaint, quality_manager, date(2027, 1, 25))
        extend(complaint, quality_manager, date(2027, 1, 22))
        # A second one is refused, unless the complainant consents.
        with pytest.raises(ProcedureError, match="al een keer verlengd"):
            extend(complaint, quality_manager, date(2027, 2, 5))
        extend(complaint, quality_manager, date(2027, 2, 5), consent="Per e-mail van 20 december ingestemd.")
    complaint.refresh_from_db()
    assert complaint.resolve_due == date(2027, 2, 5)
    consented = complaint.events.filter(kind="resolution_extended").order_by("at", "pk").last()
    assert consented is not None and consented.data["consent"] == "Per e-mail van 20 december ingestemd."


def test_a_statutory_extension_after_the_deadline_is_refused(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = received_under(Procedure.AWB, make_complaint)  # due Monday 28 December 2026
    with time_machine.travel(datetime(2026, 12, 29, 9, tzinfo=AMS)):
        with pytest.raises(ProcedureError, match="Te laat om te verlengen"):
            extend(complaint, quality_manager, date(2027, 1, 15))
        complaint.refresh_from_db()
        assert complaint.resolve_due == date(2026, 12, 28)
        # With the complainant's consent the handling may go on longer.
        extend(complaint, quality_manager, date(2027, 1, 15), consent="Telefonisch op 29 december, genoteerd.")
    complaint.refresh_from_db()
    assert complaint.resolve_due == date(2027, 1, 15)


def test_the_organisations_own_procedure_sets_no_such_limits(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = received_under(Procedure.OWN, make_complaint)  # due Monday 14 December 2026
    with time_machine.travel(datetime(2026, 12, 20, 12, tzinfo=AMS)):
        extend(complaint, quality_manager, date(2027, 3, 1))
        extend(complaint, quality_manager, date(2027, 4, 1))
    complaint.refresh_from_db()
    assert complaint.resolve_due == date(2027, 4, 1)


def test_the_extension_form_asks_for_consent_only_where_the_procedure_needs_it(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    own = received_under(Procedure.OWN, make_complaint)
    statutory = received_under(Procedure.WKKGZ, make_complaint)  # due Monday 28 December 2026
    client = Client()
    client.force_login(quality_manager)

    def extend_url(complaint: Complaint) -> str:
        return reverse("complaints:extend", kwargs={"reference": complaint.reference})

    assert 'name="extend-consent"' not in client.get(extend_url(own)).content.decode()
    page = client.get(extend_url(statutory)).content.decode()
    assert 'name="extend-consent"' in page and "Behandeld volgens: Wkkgz (zorgaanbieder)" in page
    with time_machine.travel(datetime(2026, 12, 29, 9, tzinfo=AMS)):
        late = client.post(extend_url(statutory), {"extend-new_due": "2027-01-15", "extend-reason": "Deskundige."})
        assert late.status_code == 409  # what the procedure refuses
        assert "Te laat om te verlengen" in late.content.decode()
        agreed = {"extend-new_due": "2027-01-15", "extend-reason": "Deskundige.", "extend-consent": "Gebeld, akkoord."}
        assert client.post(extend_url(statutory), agreed).status_code == 302
    statutory.refresh_from_db()
    assert statutory.resolve_due == date(2027, 1, 15)
