"""A restriction of processing (GDPR art. 18) at every entry: the complaint is only stored. The
complaint page offers no step and no letter, an e-mail reply waits in the quarantine, nobody is
reminded, and once lifted the deadlines not met yet move on by the days it was paused. (The
procedure's steps, the status page and the API: tests/privacy/test_requests.py,
tests/correspondence/test_status_page.py and tests/api/test_steps.py.)"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from complaints import services as procedure
from complaints.models import Complaint, TimelineEvent
from deadlines.jobs import claim_reminders
from deadlines.models import Reminder
from mailintake.jobs import fetch_mail
from mailintake.models import InboundMessage, Outcome
from privacy.services import lift_restriction, restrict_processing
from tests.conftest import ComplaintFactory
from tests.mailintake import messages
from tests.support.imap import ImapServer

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=AMS)


@pytest.fixture
def assigned(make_complaint: ComplaintFactory, quality_manager: User, director: User) -> Complaint:
    # Received Monday 2 March 2026: acknowledgement due 9 March, contact 16 March, resolution 1 April.
    with time_machine.travel(at(2), tick=False):
        complaint = make_complaint(received_at=at(2))
        procedure.assign(complaint=complaint, to=director, by=quality_manager)
        procedure.log_call(complaint=complaint, by=director, at=at(2), summary="Gebeld.")
    complaint.refresh_from_db()
    return complaint


def test_the_complaint_page_offers_no_step_and_no_letter_while_restricted(
    assigned: Complaint, quality_manager: User, privacy_officer: User
) -> None:
    client = Client()
    client.force_login(quality_manager)
    url = reverse("complaints:detail", args=[assigned.reference])
    with time_machine.travel(at(3), tick=False):
        restriction = restrict_processing(complaint=assigned, by=privacy_officer, reason="Betwist juistheid")
        page = client.get(url).content.decode()
        assert "<strong>Verwerking beperkt</strong>" in page
        assert 'class="action-links"' not in page and "Opstellen:" not in page
        lift_restriction(restriction=restriction, by=privacy_officer)
        page = client.get(url).content.decode()
    assert "<strong>Verwerking beperkt</strong>" not in page
    assert 'class="action-links"' in page and "Opstellen: ontvangstbevestiging" in page


def test_nobody_is_reminded_while_restricted(assigned: Complaint, privacy_officer: User) -> None:
    # The acknowledgement is due Monday 9 March: reminded from Thursday 5 March.
    with time_machine.travel(at(5), tick=False):
        restriction = restrict_processing(complaint=assigned, by=privacy_officer, reason="Betwist juistheid")
        claim_reminders(today=date(2026, 3, 5))
        assert not Reminder.objects.filter(complaint=assigned).exists()
        lift_restriction(restriction=restriction, by=privacy_officer)
    # Lifted the same day: nothing moved, and the reminder comes.
    with time_machine.travel(at(5), tick=False):
        claim_reminders(today=date(2026, 3, 5))
    assert Reminder.objects.filter(complaint=assigned, deadline="acknowledge").exists()


def test_lifting_moves_the_deadlines_not_met_by_the_days_it_was_paused(
    assigned: Complaint, privacy_officer: User
) -> None:
    assert (assigned.acknowledge_due, assigned.contact_due, assigned.resolve_due) == (
        date(2026, 3, 9),
        date(2026, 3, 16),
        date(2026, 4, 1),
    )
    with time_machine.travel(at(4), tick=False):
        restriction = restrict_processing(complaint=assigned, by=privacy_officer, reason="Betwist juistheid")
    with time_machine.travel(at(11), tick=False):  # seven days later
        lift_restriction(restriction=restriction, by=privacy_officer)
    assigned.refresh_from_db()
    # The contact was made: that deadline stays. 9 + 7 = 16 March; 1 + 7 = 8 April.
    assert (assigned.acknowledge_due, assigned.contact_due, assigned.resolve_due) == (
        date(2026, 3, 16),
        date(2026, 3, 16),
        date(2026, 4, 8),
    )
    event = TimelineEvent.objects.filter(complaint=assigned, kind="restriction_lifted").get()
    assert "schuiven op met de 7 dagen" in event.message


@time_machine.travel("2026-03-04 12:00 +01:00", tick=False)
def test_an_e_mail_reply_waits_in_the_quarantine_while_restricted(
    imap_server: ImapServer, assigned: Complaint, privacy_officer: User
) -> None:
    restriction = restrict_processing(complaint=assigned, by=privacy_officer, reason="Betwist juistheid")
    reply = messages.plain(subject=f"Re: {assigned.reference}")
    imap_server.append(reply.as_bytes())

    assert fetch_mail() == {"quarantined": 1}
    held = InboundMessage.objects.get()
    assert held.outcome == Outcome.QUARANTINED and "beperkt" in held.error
    assert not TimelineEvent.objects.filter(complaint=assigned, kind="email_received").exists()
    assert imap_server.count("Quarantaine") == 1

    # Lifted, and put back in the inbox by a person: now it is added.
    lift_restriction(restriction=restriction, by=privacy_officer)
    imap_server.append(reply.as_bytes())
    assert fetch_mail() == {"reply": 1}
    assert TimelineEvent.objects.filter(complaint=assigned, kind="email_received").exists()
