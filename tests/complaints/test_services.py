"""The procedure's steps: what each allows, what it refuses, and what it records."""

from datetime import UTC, date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from complaints import services
from complaints.errors import NotPermitted, ProcedureError
from complaints.models import Complaint, ContactKind, ContactStatus, Outcome, Status, TimelineEvent, Visibility
from intake import registration
from tests.complaints.procedure import at, classify, steps_done
from tests.conftest import make_user

# Received Monday 2 March 2026: acknowledgement due 9 March, contact 16 March, resolution 1 April.
RECEIVED = at(2026, 3, 2, 9)


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in their source language; the Dutch ones are checked in the pages."""
    with translation.override("en"):
        yield


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 3, 3, 11), tick=False) as traveller:
        yield traveller


@pytest.fixture
def complaint(clock, make_complaint, quality_manager) -> Complaint:
    complaint = make_complaint(received_at=RECEIVED)
    classify(complaint, quality_manager)
    return complaint


@pytest.fixture
def assigned(complaint, quality_manager, director) -> Complaint:
    return services.assign(complaint=complaint, to=director, by=quality_manager)


def kinds(complaint: Complaint) -> list[str]:
    return list(TimelineEvent.objects.filter(complaint=complaint).values_list("kind", flat=True))


def test_the_deadlines_come_from_the_date_of_receipt(complaint):
    assert (complaint.acknowledge_due, complaint.contact_due, complaint.resolve_due) == (
        date(2026, 3, 9),
        date(2026, 3, 16),
        date(2026, 4, 1),
    )


# Acknowledge


def test_it_records_the_acknowledgement_on_the_timeline(complaint, quality_manager):
    services.acknowledge(complaint=complaint, by=quality_manager)
    complaint.refresh_from_db()
    assert complaint.acknowledged_at == at(2026, 3, 3, 11)
    event = complaint.events.get(kind="acknowledged")
    assert event.actor == quality_manager
    assert event.visibility == Visibility.PUBLIC


def test_it_refuses_to_acknowledge_twice(complaint, quality_manager):
    services.acknowledge(complaint=complaint, by=quality_manager)
    with pytest.raises(ProcedureError, match="already recorded"):
        services.acknowledge(complaint=complaint, by=quality_manager)
    assert kinds(complaint).count("acknowledged") == 1


def test_it_refuses_to_acknowledge_a_closed_complaint(complaint, quality_manager):
    services.close(
        complaint=complaint,
        by=quality_manager,
        outcome=Outcome.UNFOUNDED,
        resolution="Nee.",
        complainant_agrees=None,
        skip_reason="Klager trok de klacht telefonisch in.",
    )
    with pytest.raises(ProcedureError, match="closed"):
        services.acknowledge(complaint=complaint, by=quality_manager)


def test_it_refuses_an_acknowledgement_in_the_future_or_before_receipt(complaint, quality_manager):
    with pytest.raises(ProcedureError):
        services.acknowledge(complaint=complaint, by=quality_manager, at=at(2026, 3, 4))
    with pytest.raises(ProcedureError):
        services.acknowledge(complaint=complaint, by=quality_manager, at=at(2026, 3, 1))


def test_it_refuses_a_naive_moment(complaint, quality_manager):
    with pytest.raises(ValueError, match="timezone-aware"):
        services.acknowledge(complaint=complaint, by=quality_manager, at=at(2026, 3, 3).replace(tzinfo=None))


def test_only_the_quality_manager_acknowledges(complaint, director, back_office):
    for user in (director, back_office):
        with pytest.raises(NotPermitted):
            services.acknowledge(complaint=complaint, by=user)
    complaint.refresh_from_db()
    assert complaint.acknowledged_at is None


# Assign


def test_assigning_hands_the_complaint_over_and_puts_it_in_progress(complaint, quality_manager, director):
    services.assign(complaint=complaint, to=director, by=quality_manager)
    complaint.refresh_from_db()
    assert complaint.assigned_to == director
    assert complaint.status == Status.IN_PROGRESS
    event = complaint.events.get(kind="assigned")
    assert (event.from_status, event.to_status) == (Status.RECEIVED, Status.IN_PROGRESS)


def test_reassigning_is_allowed_and_recorded(assigned, quality_manager, director, operations_manager):
    services.assign(complaint=assigned, to=operations_manager, by=quality_manager)
    assert assigned.assigned_to == operations_manager
    messages = list(assigned.events.filter(kind="assigned").values_list("message", flat=True))
    assert len(messages) == 2
    assert director.display_name in messages[1] and operations_manager.display_name in messages[1]


def test_it_refuses_to_assign_to_the_same_person_again(assigned, quality_manager, director):
    with pytest.raises(ProcedureError, match="already assigned"):
        services.assign(complaint=assigned, to=director, by=quality_manager)


def test_it_refuses_to_assign_the_person_the_complaint_is_about(complaint, quality_manager, director):
    complaint.about_staff.add(director)
    with pytest.raises(ProcedureError, match="it is about them"):
        services.assign(complaint=complaint, to=director, by=quality_manager)
    complaint.refresh_from_db()
    assert complaint.assigned_to is None


def test_it_refuses_to_assign_someone_who_is_not_a_responsible_person(complaint, quality_manager, back_office):
    with pytest.raises(ProcedureError, match="not a responsible person"):
        services.assign(complaint=complaint, to=back_office, by=quality_manager)


def test_it_refuses_to_assign_an_inactive_responsible_person(complaint, quality_manager, director):
    director.is_active = False
    director.save()
    with pytest.raises(ProcedureError):
        services.assign(complaint=complaint, to=User.objects.get(pk=director.pk), by=quality_manager)


def test_only_the_quality_manager_assigns(complaint, director, operations_manager):
    with pytest.raises(NotPermitted):
        services.assign(complaint=complaint, to=operations_manager, by=director)


def test_a_quality_manager_the_complaint_is_about_cannot_handle_it(complaint, director):
    other_manager = make_user("kees", Role.QUALITY_MANAGER)
    complaint.about_staff.add(other_manager)
    complaint.refresh_from_db()
    with pytest.raises(NotPermitted):
        services.assign(complaint=complaint, to=director, by=other_manager)


# Contact


def test_a_logged_call_meets_the_contact_deadline(assigned, director):
    contact = services.log_call(complaint=assigned, by=director, at=at(2026, 3, 3, 10), summary="Gebeld.")
    assert (contact.kind, contact.status) == (ContactKind.CALL, ContactStatus.HELD)
    assigned.refresh_from_db()
    assert assigned.first_contact_at == at(2026, 3, 3, 10)


def test_the_earliest_contact_counts_as_the_first(assigned, director):
    services.log_call(complaint=assigned, by=director, at=at(2026, 3, 3, 10), summary="Tweede.")
    services.log_call(complaint=assigned, by=director, at=at(2026, 3, 2, 15), summary="Eerste, later ingevoerd.")
    assigned.refresh_from_db()
    assert assigned.first_contact_at == at(2026, 3, 2, 15)


def test_it_refuses_a_call_in_the_future_or_without_summary(assigned, director):
    with pytest.raises(ProcedureError):
        services.log_call(complaint=assigned, by=director, at=at(2026, 3, 4), summary="Nog niet.")
    with pytest.raises(ProcedureError):
        services.log_call(complaint=assigned, by=director, at=at(2026, 3, 3, 9), summary="  ")
    assert not assigned.contacts.exists()


def test_a_responsible_person_not_assigned_cannot_log_a_call(assigned, operations_manager):
    with pytest.raises(NotPermitted):
        services.log_call(complaint=assigned, by=operations_manager, at=at(2026, 3, 3, 9), summary="x")


def test_a_meeting_is_planned_moved_and_held(assigned, director, clock):
    meeting = services.plan_meeting(
        complaint=assigned,
        by=director,
        starts_at=at(2026, 3, 5, 14),
        ends_at=at(2026, 3, 5, 15),
        location="Kantoor Rokin",
        participants="Jan Jansen, Dirk",
    )
    uid = meeting.uid
    assert (meeting.status, meeting.sequence) == (ContactStatus.PLANNED, 0)
    assigned.refresh_from_db()
    assert assigned.first_contact_at is None  # planning is not contact yet

    services.reschedule_meeting(
        contact=meeting, by=director, starts_at=at(2026, 3, 6, 14), video_link="https://meet.example/x"
    )
    meeting.refresh_from_db()
    assert (meeting.uid, meeting.sequence, meeting.location) == (uid, 1, "")

    clock.move_to(at(2026, 3, 6, 16))
    services.record_meeting_held(contact=meeting, by=director, summary="Goed gesprek.")
    meeting.refresh_from_db()
    assigned.refresh_from_db()
    assert meeting.status == ContactStatus.HELD
    assert meeting.happened_at == at(2026, 3, 6, 14)
    assert assigned.first_contact_at == at(2026, 3, 6, 14)
    assert kinds(assigned)[-3:] == ["meeting_planned", "meeting_rescheduled", "meeting_held"]


def test_a_cancelled_meeting_is_no_contact_and_cannot_be_held(assigned, director):
    meeting = services.plan_meeting(complaint=assigned, by=director, starts_at=at(2026, 3, 5, 14), location="Rokin")
    services.cancel_meeting(contact=meeting, by=director, reason="Klager ziek.")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.cancel_reason) == (ContactStatus.CANCELLED, 1, "Klager ziek.")
    with pytest.raises(ProcedureError, match="no longer planned"):
        services.record_meeting_held(contact=meeting, by=director, at=at(2026, 3, 3, 10))
    with pytest.raises(ProcedureError, match="no longer planned"):
        services.reschedule_meeting(contact=meeting, by=director, starts_at=at(2026, 3, 9, 10), location="Rokin")
    assigned.refresh_from_db()
    assert assigned.first_contact_at is None


def test_it_refuses_meetings_in_the_past_without_place_or_ending_before_they_start(assigned, director):
    with pytest.raises(ProcedureError, match="future"):
        services.plan_meeting(complaint=assigned, by=director, starts_at=at(2026, 3, 3, 9), location="Rokin")
    with pytest.raises(ProcedureError, match="place or a video link"):
        services.plan_meeting(complaint=assigned, by=director, starts_at=at(2026, 3, 5, 9))
    with pytest.raises(ProcedureError, match="end after"):
        services.plan_meeting(
            complaint=assigned, by=director, starts_at=at(2026, 3, 5, 9), ends_at=at(2026, 3, 5, 8), location="x"
        )


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "meet.example/x"])
def test_it_refuses_a_video_link_that_is_not_a_web_address(link, assigned, director):
    with pytest.raises(ProcedureError, match="web address"):
        services.plan_meeting(complaint=assigned, by=director, starts_at=at(2026, 3, 5, 14), video_link=link)
    meeting = services.plan_meeting(complaint=assigned, by=director, starts_at=at(2026, 3, 5, 14), location="Rokin")
    with pytest.raises(ProcedureError, match="web address"):
        services.reschedule_meeting(contact=meeting, by=director, starts_at=at(2026, 3, 5, 15), video_link=link)


def test_a_meeting_cannot_be_recorded_held_before_it_started(assigned, director):
    meeting = services.plan_meeting(complaint=assigned, by=director, starts_at=at(2026, 3, 5, 14), location="Rokin")
    with pytest.raises(ProcedureError, match="once it has taken place"):
        services.record_meeting_held(contact=meeting, by=director)


def test_a_cancel_needs_a_reason(assigned, director):
    meeting = services.plan_meeting(complaint=assigned, by=director, starts_at=at(2026, 3, 5, 14), location="Rokin")
    with pytest.raises(ProcedureError):
        services.cancel_meeting(contact=meeting, by=director, reason="")


# Discussion, agreements, confirmation


def test_the_discussion_summary_is_recorded_and_can_be_updated(assigned, director):
    services.record_discussion(complaint=assigned, by=director, summary="Eerste versie.")
    services.record_discussion(complaint=assigned, by=director, summary="Tweede versie.")
    assigned.refresh_from_db()
    assert assigned.discussion_summary == "Tweede versie."
    assert kinds(assigned).count("discussion_recorded") == 2


def test_agreements_are_recorded_and_ticked_off_once(assigned, director):
    agreement = services.add_agreement(
        complaint=assigned, by=director, description="Factuur corrigeren", owner="Administratie", due=date(2026, 3, 10)
    )
    assert agreement.owner == "Administratie"
    services.complete_agreement(agreement=agreement, by=director)
    agreement.refresh_from_db()
    assert agreement.done_by == director and agreement.done_at is not None
    with pytest.raises(ProcedureError, match="already ticked off"):
        services.complete_agreement(agreement=agreement, by=director)


def test_an_agreement_owner_may_be_a_user(assigned, director, operations_manager):
    agreement = services.add_agreement(
        complaint=assigned, by=director, description="Bellen", owner=operations_manager, due=date(2026, 3, 10)
    )
    assert agreement.owner == operations_manager.display_name


def test_it_refuses_an_agreement_due_in_the_past_or_without_owner(assigned, director):
    with pytest.raises(ProcedureError, match="past"):
        services.add_agreement(complaint=assigned, by=director, description="x", owner="y", due=date(2026, 3, 2))
    with pytest.raises(ProcedureError):
        services.add_agreement(complaint=assigned, by=director, description="x", owner=" ", due=date(2026, 3, 9))


def test_the_confirmation_needs_a_conversation_and_is_sent_once(assigned, director):
    with pytest.raises(ProcedureError, match="no conversation"):
        services.mark_confirmation_sent(complaint=assigned, by=director)
    services.log_call(complaint=assigned, by=director, at=at(2026, 3, 3, 10), summary="Gebeld.")
    services.mark_confirmation_sent(complaint=assigned, by=director)
    assert assigned.confirmed_at == at(2026, 3, 3, 11)
    with pytest.raises(ProcedureError, match="already sent"):
        services.mark_confirmation_sent(complaint=assigned, by=director)


# Extension


def test_the_quality_manager_extends_the_resolution_deadline_with_a_reason(assigned, quality_manager):
    services.extend_resolution(complaint=assigned, by=quality_manager, new_due=date(2026, 4, 15), reason="Onderzoek.")
    assigned.refresh_from_db()
    assert assigned.resolve_due == date(2026, 4, 15)
    assert assigned.resolve_extension_reason == "Onderzoek."
    event = assigned.events.get(kind="resolution_extended")
    assert event.data["previous"] == "2026-04-01" and event.data["new"] == "2026-04-15"
    assert event.data["reason"] == "Onderzoek."
    assert event.visibility == Visibility.PUBLIC


def test_it_refuses_an_extension_that_is_not_later_or_not_a_working_day(assigned, quality_manager):
    with pytest.raises(ProcedureError, match="after the current deadline"):
        services.extend_resolution(complaint=assigned, by=quality_manager, new_due=date(2026, 4, 1), reason="x")
    # Good Friday 2026.
    with pytest.raises(ProcedureError, match="not a working day"):
        services.extend_resolution(complaint=assigned, by=quality_manager, new_due=date(2026, 4, 3), reason="x")
    with pytest.raises(ProcedureError, match="reason"):
        services.extend_resolution(complaint=assigned, by=quality_manager, new_due=date(2026, 4, 15), reason="")


def test_only_the_quality_manager_extends(assigned, director):
    with pytest.raises(NotPermitted):
        services.extend_resolution(complaint=assigned, by=director, new_due=date(2026, 4, 15), reason="x")


# Close, reopen, withdraw


def close(complaint, by, **extra):
    steps_done(complaint, User.objects.filter(groups__name=Role.QUALITY_MANAGER).first())
    return services.close(
        complaint=complaint,
        by=by,
        outcome=extra.pop("outcome", Outcome.PARTLY_WELL_FOUNDED),
        resolution="Excuses en creditnota.",
        complainant_agrees=True,
        **extra,
    )


def test_the_responsible_person_closes_with_outcome_and_resolution(assigned, director):
    close(assigned, director)
    assigned.refresh_from_db()
    assert assigned.status == Status.CLOSED
    assert (assigned.outcome, assigned.complainant_agrees) == (Outcome.PARTLY_WELL_FOUNDED, True)
    assert assigned.closed_at == at(2026, 3, 3, 11)


def test_closing_is_refused_while_agreements_are_open(assigned, director):
    services.add_agreement(complaint=assigned, by=director, description="x", owner="y", due=date(2026, 3, 9))
    with pytest.raises(ProcedureError, match="agreement"):
        close(assigned, director)
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_PROGRESS


def test_only_the_quality_manager_overrides_open_agreements_with_a_reason(assigned, director, quality_manager):
    services.add_agreement(complaint=assigned, by=director, description="x", owner="y", due=date(2026, 3, 9))
    with pytest.raises(NotPermitted):
        close(assigned, director, override_reason="Klager reageert niet meer.")
    close(assigned, quality_manager, override_reason="Klager reageert niet meer.")
    assigned.refresh_from_db()
    assert assigned.status == Status.CLOSED
    assert assigned.events.get(kind="closed").data["override_reason"] == "Klager reageert niet meer."


def test_an_agreement_left_open_can_be_ticked_off_after_closing(assigned, director, quality_manager):
    agreement = services.add_agreement(
        complaint=assigned, by=director, description="x", owner="y", due=date(2026, 3, 9)
    )
    close(assigned, quality_manager, override_reason="Reden.")
    services.complete_agreement(agreement=agreement, by=director)
    assert agreement.done_at is not None


def test_it_refuses_to_close_twice_or_without_resolution_or_outcome(assigned, director):
    with pytest.raises(ProcedureError):
        services.close(complaint=assigned, by=director, outcome="bogus", resolution="x", complainant_agrees=True)
    with pytest.raises(ProcedureError):
        services.close(
            complaint=assigned, by=director, outcome=Outcome.UNFOUNDED, resolution="", complainant_agrees=True
        )
    close(assigned, director)
    with pytest.raises(ProcedureError, match="closed"):
        close(assigned, director)


def test_closed_complaints_refuse_every_step_but_reopen(assigned, director, quality_manager, operations_manager):
    close(assigned, director)
    refused = [
        lambda: services.assign(complaint=assigned, to=operations_manager, by=quality_manager),
        lambda: services.log_call(complaint=assigned, by=director, at=at(2026, 3, 3, 10), summary="x"),
        lambda: services.plan_meeting(complaint=assigned, by=director, starts_at=at(2026, 3, 5), location="x"),
        lambda: services.record_discussion(complaint=assigned, by=director, summary="x"),
        lambda: services.add_agreement(
            complaint=assigned, by=director, description="x", owner="y", due=date(2026, 3, 9)
        ),
        lambda: services.extend_resolution(
            complaint=assigned, by=quality_manager, new_due=date(2026, 4, 15), reason="x"
        ),
        lambda: services.withdraw(complaint=assigned, by=director, reason="x"),
    ]
    for step in refused:
        with pytest.raises(ProcedureError, match="closed"):
            step()


def test_the_quality_manager_reopens_a_closed_complaint_with_a_reason(assigned, director, quality_manager):
    close(assigned, director)
    with pytest.raises(NotPermitted):
        services.reopen(complaint=assigned, by=director, reason="x")
    with pytest.raises(ProcedureError, match="reason"):
        services.reopen(complaint=assigned, by=quality_manager, reason="")
    services.reopen(complaint=assigned, by=quality_manager, reason="Klager is het er niet mee eens.")
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_PROGRESS
    assert (assigned.closed_at, assigned.outcome) == (None, "")
    reopened = assigned.events.get(kind="reopened")
    assert reopened.data["previous"]["outcome"] == Outcome.PARTLY_WELL_FOUNDED
    # And it can be closed again.
    close(assigned, director, outcome=Outcome.WELL_FOUNDED)


def test_only_a_closed_complaint_is_reopened(complaint, quality_manager):
    with pytest.raises(ProcedureError, match="Only a closed"):
        services.reopen(complaint=complaint, by=quality_manager, reason="x")
    services.withdraw(complaint=complaint, by=quality_manager, reason="Telefonisch ingetrokken.")
    with pytest.raises(ProcedureError, match="Only a closed"):
        services.reopen(complaint=complaint, by=quality_manager, reason="x")


@pytest.mark.parametrize("step", ["received", "acknowledged", "assigned", "contacted"])
def test_a_complaint_can_be_withdrawn_at_any_step(step, complaint, quality_manager, director, back_office):
    if step != "received":
        services.acknowledge(complaint=complaint, by=quality_manager)
    if step in ("assigned", "contacted"):
        services.assign(complaint=complaint, to=director, by=quality_manager)
    if step == "contacted":
        services.log_call(complaint=complaint, by=director, at=at(2026, 3, 3, 10), summary="x")
    services.withdraw(complaint=complaint, by=quality_manager, reason="Klager belde: opgelost.")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == (Status.WITHDRAWN, Outcome.WITHDRAWN)
    with pytest.raises(ProcedureError, match="withdrawn"):
        services.withdraw(complaint=complaint, by=quality_manager, reason="x")


def test_the_back_office_records_a_withdrawal_by_phone(complaint, back_office):
    services.withdraw(complaint=complaint, by=back_office, reason="Belde om in te trekken.")
    assert complaint.status == Status.WITHDRAWN


def test_someone_without_a_role_records_nothing(complaint, outsider):
    with pytest.raises(NotPermitted):
        services.withdraw(complaint=complaint, by=outsider, reason="x")


def test_each_step_writes_exactly_one_timeline_event(complaint, quality_manager, director):
    services.acknowledge(complaint=complaint, by=quality_manager)
    services.assign(complaint=complaint, to=director, by=quality_manager)
    services.log_call(complaint=complaint, by=director, at=at(2026, 3, 3, 10), summary="x")
    agreement = services.add_agreement(
        complaint=complaint, by=director, description="x", owner="y", due=date(2026, 3, 9)
    )
    services.complete_agreement(agreement=agreement, by=director)
    services.record_discussion(complaint=complaint, by=director, summary="x")
    services.mark_confirmation_sent(complaint=complaint, by=director)
    close(complaint, director)
    steps = ["acknowledged", "assigned", "call_logged", "agreement_added", "agreement_done"]
    steps += ["discussion_recorded", "confirmation_sent", "closed"]
    assert sorted(kind for kind in kinds(complaint) if kind in steps) == sorted(steps)


def test_closing_still_needs_a_category(clock, make_complaint, director, quality_manager):
    unclassified = make_complaint(received_at=RECEIVED)
    services.assign(complaint=unclassified, to=director, by=quality_manager)
    with pytest.raises(ProcedureError, match="category"):
        close(unclassified, director)


def test_a_step_locks_the_complaint_row(complaint, quality_manager):
    with CaptureQueriesContext(connection) as queries:
        services.acknowledge(complaint=complaint, by=quality_manager)
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)


def test_a_complaint_received_late_in_the_evening_counts_from_that_local_day(clock, make_complaint):
    # 00:30 on 3 March in Amsterdam is still 2 March in UTC; the local day counts.
    complaint = make_complaint(received_at=at(2026, 3, 3, 0, 30))
    assert complaint.received_at.astimezone(UTC).date() == date(2026, 3, 2)
    assert complaint.acknowledge_due == date(2026, 3, 10)


@time_machine.travel(at(2026, 3, 3, 16), tick=False)
def test_a_call_or_meeting_earlier_on_the_day_of_receipt_is_refused(make_complaint, quality_manager, director):
    complaint = make_complaint(received_at=at(2026, 3, 3, 14))
    services.assign(complaint=complaint, to=director, by=quality_manager)
    with pytest.raises(ProcedureError, match=r"before the complaint was received|voordat de klacht"):
        services.log_call(complaint=complaint, by=director, at=at(2026, 3, 3, 10), summary="Gebeld.")
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        meeting = services.plan_meeting(
            complaint=complaint, by=director, starts_at=at(2026, 3, 3, 11), location="Rokin"
        )
    with pytest.raises(ProcedureError, match=r"before the complaint was received|voordat de klacht"):
        services.record_meeting_held(contact=meeting, by=director)
    services.log_call(complaint=complaint, by=director, at=at(2026, 3, 3, 15), summary="Gebeld.")


@time_machine.travel(at(2026, 3, 6, 10), tick=False)
def test_the_timeline_dates_a_late_registered_letter_at_its_receipt(back_office):
    from complaints.models import Channel
    from tests.conftest import details

    complaint, _ = registration.register_complaint(
        channel=Channel.LETTER, received_at=at(2026, 3, 2, 9), by=back_office, details=details()
    )
    received = complaint.events.get(kind="received")
    assert received.at == at(2026, 3, 2, 9)
    assert received.data["registered_at"].startswith("2026-03-06")


def test_closing_needs_the_acknowledgement_and_the_contact_or_a_recorded_reason(assigned, director, quality_manager):
    classify(assigned, quality_manager)
    values: dict[str, Any] = {"outcome": Outcome.UNFOUNDED, "resolution": "Nee.", "complainant_agrees": None}
    with pytest.raises(ProcedureError, match=r"ontvangstbevestiging|acknowledgement"):
        services.close(complaint=assigned, by=director, **values)
    with pytest.raises(NotPermitted):
        services.close(complaint=assigned, by=director, skip_reason="Geen tijd.", **values)
    # The open-agreements override is no reason to skip the steps.
    with pytest.raises(ProcedureError, match=r"ontvangstbevestiging|acknowledgement"):
        services.close(complaint=assigned, by=quality_manager, override_reason="Klager reageert niet.", **values)
    services.close(complaint=assigned, by=quality_manager, skip_reason="Klager trok in aan de telefoon.", **values)
    closed = assigned.events.get(kind="closed")
    assert closed.data["skip_reason"] == "Klager trok in aan de telefoon."
    assert "Klager trok in aan de telefoon." in closed.message
