"""Sending letters: really by e-mail (a real SMTP server on loopback) or recorded as posted,
with the exact PDF stored and the procedure's step met at the moment of sending."""

import hashlib
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail as django_mail
from django.utils import translation
from django.utils.formats import date_format
from icalendar import Calendar

from complaints import errors
from complaints import services as procedure
from complaints.errors import ProcedureError
from complaints.models import Channel, Complaint
from correspondence import services
from correspondence.models import Letter, LetterKind, LetterStatus, SendChannel
from lib.dates import local_date
from outbox.models import MessageStatus, OutboxMessage
from tests.complaints.procedure import steps_done
from tests.correspondence.conftest import HOSTILE, pdf_text, stored_pdf

AMS = ZoneInfo("Europe/Amsterdam")
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=AMS)  # a Monday


def attachments(message):
    return {part.get_filename(): part for part in message.iter_attachments()}


def test_the_acknowledgement_reaches_the_complainant_with_the_pdf_and_proper_headers(
    make_complaint, quality_manager, send, smtp_sink
):
    with time_machine.travel(RECEIVED, tick=False):
        complaint = make_complaint(received_at=RECEIVED)
    with time_machine.travel(datetime(2026, 3, 5, 14, 30, tzinfo=AMS), tick=False):
        letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)

    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "jan@example.nl"
    assert message["Reply-To"] == "kwaliteit@supportoplus.nl"
    assert message["Auto-Submitted"] == "auto-replied"
    assert re.fullmatch(r"<[0-9a-f]{32}@klachten\.supportoplus\.nl>", message["Message-ID"])
    assert message["Message-ID"] == letter.outbox_message.message_id
    assert complaint.reference in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = re.search(r"http://[^\s]+/klacht/status/([A-Za-z0-9_-]{43})/", text)
    assert link is not None and link.group(0) in html
    # The link is not the reference number, and only a hash of it is stored.
    assert complaint.reference not in link.group(0)
    assert complaint.status_link.token_hash == hashlib.sha256(link.group(1).encode()).hexdigest()
    assert link.group(1) not in str(Letter.objects.values().get(pk=letter.pk))

    pdf = attachments(message)[f"{complaint.reference}-ontvangstbevestiging.pdf"]
    assert pdf.get_content_type() == "application/pdf"
    data = pdf.get_content()
    assert data == stored_pdf(letter)
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    text_of_pdf = pdf_text(data)
    for expected in (complaint.reference, "5 maart 2026", "2 maart 2026", "Geachte Jan Jansen,"):
        assert expected in text_of_pdf, expected
    # The random token may contain "-", where the line may break: compare without line breaks.
    assert link.group(0) in "".join(text_of_pdf.split())


def test_sending_the_acknowledgement_meets_the_deadline_on_the_day_it_is_sent(make_complaint, quality_manager, send):
    with time_machine.travel(RECEIVED, tick=False):
        complaint = make_complaint(received_at=RECEIVED)
    assert complaint.acknowledge_due == date(2026, 3, 9)
    sent_on = datetime(2026, 3, 9, 16, 45, tzinfo=AMS)
    with time_machine.travel(sent_on, tick=False):
        letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    complaint.refresh_from_db()
    assert complaint.acknowledged_at == sent_on == letter.sent_at
    assert local_date(complaint.acknowledged_at) <= complaint.acknowledge_due
    events = list(complaint.events.filter(kind__in=["acknowledged", "letter_sent"]).values_list("kind", "visibility"))
    assert ("acknowledged", "public") in events and ("letter_sent", "public") in events


def test_without_an_e_mail_address_the_letter_is_recorded_as_posted_and_no_mail_is_written(
    make_complaint, quality_manager, send, client
):
    complaint = make_complaint(channel=Channel.LETTER, email="", postal_address="Damstraat 1\n1012 JS Amsterdam")
    before = OutboxMessage.objects.count()
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    assert letter.channel == SendChannel.POST
    assert letter.outbox_message is None
    assert OutboxMessage.objects.count() == before
    assert django_mail.outbox == []
    assert "Damstraat 1" in pdf_text(stored_pdf(letter))
    assert complaint.events.filter(kind="letter_sent", message__contains="per post").exists()
    client.force_login(quality_manager)
    response = client.get(f"/backoffice/klachten/{complaint.reference}/brieven/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == stored_pdf(letter)


def test_the_sent_pdf_is_never_generated_again(make_complaint, quality_manager, send, client):
    complaint = make_complaint()
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    original = stored_pdf(letter)
    template = services.get_template(LetterKind.ACKNOWLEDGEMENT)
    template.body = "Iets heel anders."
    template.save()
    complaint.name = "Iemand Anders"
    complaint.save()
    client.force_login(quality_manager)
    for url in ("pdf/", "voorbeeld/"):
        response = client.get(f"/backoffice/klachten/{complaint.reference}/brieven/{letter.pk}/{url}")
        assert response.content == original
    with pytest.raises(ProcedureError):
        services.save_draft(letter=letter, by=quality_manager, subject="x", body="y")
    with pytest.raises(ProcedureError):
        services.send_letter(letter=letter, by=quality_manager)


def test_template_syntax_and_html_in_the_complaint_appear_literally_in_the_pdf_and_the_mail(
    make_complaint, quality_manager, send, smtp_sink
):
    complaint = make_complaint(name="<b>Jan</b> {{ user }}", description=HOSTILE)
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    assert "{naam}" in letter.body  # the complainant's own "{naam}" was not substituted again
    text = pdf_text(stored_pdf(letter))
    assert "Geachte <b>Jan</b> {{ user }}," in text
    assert '<img src="http://evil.example/x.png">' in text
    assert "Mijn naam is {naam} en {{ request.user }} {% load static %}{% debug %}" in text
    [message] = smtp_sink.wait_for(1)
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert " <b>Jan</b> {{ user }}," in plain
    assert "&lt;b&gt;Jan&lt;/b&gt; {{ user }}" in html
    assert "<b>Jan</b>" not in html


def test_the_acknowledgement_is_the_quality_managers_step(make_complaint, director):
    complaint = make_complaint()
    with pytest.raises(ProcedureError):
        services.draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=director)


@pytest.fixture
def assigned(make_complaint, quality_manager, director):
    from django.utils import timezone

    complaint = make_complaint(received_at=timezone.now() - timedelta(days=1))
    procedure.assign(complaint=complaint, to=director, by=quality_manager)
    return complaint


def test_the_confirmation_lists_the_agreements_and_meets_the_confirm_step(assigned, director, send, smtp_sink):
    complaint = assigned
    procedure.log_call(
        complaint=complaint, by=director, at=complaint.received_at + timedelta(minutes=5), summary="Gebeld"
    )
    procedure.record_discussion(complaint=complaint, by=director, summary="Monteur kwam twee keer niet.")
    due = local_date(complaint.received_at) + timedelta(days=10)
    procedure.add_agreement(
        complaint=complaint, by=director, description="Nieuwe afspraak inplannen", owner="Planning", due=due
    )
    procedure.add_agreement(
        complaint=complaint, by=director, description="Factuur crediteren", owner="Administratie", due=due
    )
    assert LetterKind.CONFIRMATION in [offer.kind for offer in services.letter_offers(complaint)]
    letter = send(complaint, LetterKind.CONFIRMATION, director)
    complaint.refresh_from_db()
    assert complaint.confirmed_at == letter.sent_at
    text = pdf_text(stored_pdf(letter))
    assert "Monteur kwam twee keer niet." in text
    with translation.override("nl"):
        due_label = date_format(due, "j F Y")
    assert f"Nieuwe afspraak inplannen (wie: Planning, uiterlijk {due_label})" in text
    assert f"Factuur crediteren (wie: Administratie, uiterlijk {due_label})" in text
    assert "Dirk Directeur" in text and "Directielid" in text  # signed by the responsible person
    [message] = smtp_sink.wait_for(1)
    assert message["Auto-Submitted"] == "auto-generated"
    assert LetterKind.CONFIRMATION not in [offer.kind for offer in services.letter_offers(complaint)]


def test_an_invitation_sent_meets_the_contact_deadline_and_the_meeting_is_the_conversation(
    assigned, director, send, smtp_sink
):
    complaint = assigned
    starts = (datetime.now(AMS) + timedelta(days=16)).replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = procedure.plan_meeting(complaint=complaint, by=director, starts_at=starts, location="Rokin 1")
    complaint.refresh_from_db()
    assert complaint.first_contact_at is None  # planning alone is not contact: the invitation is
    invitation = send(complaint, LetterKind.INVITATION, director, contact=meeting)
    complaint.refresh_from_db()
    # Met when the invitation went out, although the meeting is after the 14 days.
    assert complaint.first_contact_at is not None and complaint.first_contact_at == invitation.sent_at
    assert complaint.first_contact_at.date() <= complaint.contact_due
    assert complaint.conversation_at is None
    assert complaint.events.filter(kind="contact_invitation").count() == 1
    # Nothing to confirm before the conversation itself.
    assert LetterKind.CONFIRMATION not in [offer.kind for offer in services.letter_offers(complaint)]
    with pytest.raises(errors.ProcedureError, match="nog geen gesprek"):
        procedure.mark_confirmation_sent(complaint=complaint, by=director)

    with time_machine.travel(starts + timedelta(hours=1), tick=False):
        procedure.record_meeting_held(contact=meeting, by=director, summary="Goed gesprek.")
    complaint.refresh_from_db()
    assert complaint.conversation_at == starts
    assert complaint.first_contact_at == invitation.sent_at
    assert LetterKind.CONFIRMATION in [offer.kind for offer in services.letter_offers(complaint)]


def test_meeting_invitation_update_and_cancellation_carry_one_calendar_event(assigned, director, send, smtp_sink):
    complaint = assigned
    starts = (datetime.now(AMS) + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    meeting = procedure.plan_meeting(
        complaint=complaint,
        by=director,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        location="Rokin 1, kamer 2",
    )
    invitation = send(complaint, LetterKind.INVITATION, director, contact=meeting)
    procedure.reschedule_meeting(
        contact=meeting, by=director, starts_at=starts + timedelta(days=1), location="Rokin 1, kamer 3"
    )
    assert [offer.kind for offer in services.letter_offers(complaint) if offer.contact] == [LetterKind.INVITATION]
    update = send(complaint, LetterKind.INVITATION, director, contact=meeting)
    # The second invitation says the meeting was moved; it is not the first one word for word.
    assert update.subject.startswith("Gewijzigd: ") and "verplaatst" in update.body
    assert "verplaatst" not in invitation.body
    procedure.cancel_meeting(contact=meeting, by=director, reason="Ziek")
    cancellation = send(complaint, LetterKind.CANCELLATION, director, contact=meeting)

    messages = smtp_sink.wait_for(3)
    calendars = []
    for message in messages:
        parts = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
        assert len(parts) == 1
        assert any(part.get_content_type() == "application/pdf" for part in message.iter_attachments())
        calendars.append((parts[0].get_param("method"), Calendar.from_ical(parts[0].get_content())))
    methods = [method for method, _ in calendars]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    events = [calendar.walk("VEVENT")[0] for _, calendar in calendars]
    assert [str(calendar["METHOD"]) for _, calendar in calendars] == methods
    assert len({str(event["UID"]) for event in events}) == 1
    assert str(events[0]["UID"]).startswith(str(meeting.uid))
    assert [event.decoded("SEQUENCE") for event in events] == [0, 1, 2]
    assert events[0].decoded("DTSTART") == starts
    assert events[1].decoded("DTSTART") == starts + timedelta(days=1)
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert str(events[0]["ORGANIZER"]) == "mailto:kwaliteit@supportoplus.nl"
    assert "kamer 2" in pdf_text(stored_pdf(invitation)) and "kamer 3" in pdf_text(stored_pdf(update))
    assert (invitation.ics_sequence, update.ics_sequence, cancellation.ics_method) == (0, 1, "CANCEL")


def test_the_extension_notice_is_offered_right_after_an_extension(assigned, quality_manager, send):
    complaint = assigned
    assert LetterKind.EXTENSION not in [offer.kind for offer in services.letter_offers(complaint)]
    new_due = complaint.resolve_due + timedelta(days=14)
    while new_due.weekday() >= 5:
        new_due += timedelta(days=1)
    procedure.extend_resolution(
        complaint=complaint, by=quality_manager, new_due=new_due, reason="Wachten op de leverancier."
    )
    assert LetterKind.EXTENSION in [offer.kind for offer in services.letter_offers(complaint)]
    letter = send(complaint, LetterKind.EXTENSION, quality_manager)
    text = pdf_text(stored_pdf(letter))
    assert "Wachten op de leverancier." in text
    assert str(new_due.year) in text
    assert LetterKind.EXTENSION not in [offer.kind for offer in services.letter_offers(complaint)]


def test_a_permanent_delivery_failure_shows_on_the_complaint_and_can_go_by_post(
    make_complaint, quality_manager, send, smtp_sink, client
):
    complaint = make_complaint(email="nobody@example.nl")
    smtp_sink.reply_with("550 5.1.1 No such user")
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    letter.refresh_from_db()
    assert letter.outbox_message.status == MessageStatus.FAILED
    client.force_login(quality_manager)
    page = client.get(f"/backoffice/klachten/{complaint.reference}/").content.decode()
    assert "E-mail die niet kon worden bezorgd" in page
    assert "No such user" in page
    outbox_page = client.get(f"/backoffice/verzonden-email/{letter.outbox_message.pk}/").content.decode()
    assert "Gaat per post" in outbox_page
    response = client.post(f"/backoffice/klachten/{complaint.reference}/brieven/{letter.pk}/per-post/")
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.post_fallback_at is not None
    assert complaint.events.filter(kind="letter_post_fallback").exists()
    page = client.get(f"/backoffice/klachten/{complaint.reference}/").content.decode()
    assert "PDF om af te drukken" in page


def test_a_temporary_failure_is_retried_and_not_shown_as_failed(make_complaint, quality_manager, send, smtp_sink):
    complaint = make_complaint()
    smtp_sink.reply_with("451 4.3.0 Try again later")
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    letter.outbox_message.refresh_from_db()
    assert letter.outbox_message.status == MessageStatus.PENDING
    assert letter.outbox_message.next_attempt_at > letter.sent_at


def test_two_clicks_open_one_draft(make_complaint, quality_manager):
    complaint = make_complaint()
    first = services.draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=quality_manager)
    second = services.draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=quality_manager)
    assert first.pk == second.pk
    assert Letter.objects.filter(complaint=complaint, status=LetterStatus.DRAFT).count() == 1


def test_a_letter_that_is_not_called_for_is_refused(make_complaint, quality_manager):
    complaint = make_complaint()
    for kind in (LetterKind.CONFIRMATION, LetterKind.CLOSING, LetterKind.EXTENSION, LetterKind.INVITATION):
        with pytest.raises(ProcedureError):
            services.draft_letter(complaint=complaint, kind=kind, by=quality_manager)


def test_an_acknowledgement_recorded_by_hand_can_still_be_sent_with_its_link_and_keeps_its_date(
    make_complaint, quality_manager, send
):
    complaint = make_complaint(received_at=RECEIVED)
    with time_machine.travel(datetime(2026, 3, 3, 9, 0, tzinfo=AMS), tick=False):
        procedure.acknowledge(complaint=complaint, by=quality_manager)
    recorded = complaint.acknowledged_at
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    complaint.refresh_from_db()
    assert complaint.acknowledged_at == recorded  # the earlier moment still meets the deadline
    assert complaint.status_link.token_hash
    assert "/klacht/status/" in pdf_text(stored_pdf(letter))
    assert LetterKind.ACKNOWLEDGEMENT not in [offer.kind for offer in services.letter_offers(complaint)]


def test_the_closing_letter_gives_the_outcome_and_the_resolution_and_goes_after_closing(
    assigned, quality_manager, director, send
):
    from quality.models import Category
    from quality.services import classify

    complaint = assigned
    category, _ = Category.objects.get_or_create(parent=None, name="planning")
    classify(complaint=complaint, by=quality_manager, category=category)
    assert LetterKind.CLOSING not in [offer.kind for offer in services.letter_offers(complaint)]
    steps_done(complaint, quality_manager)
    procedure.close(
        complaint=complaint,
        by=director,
        outcome="partly_well_founded",
        resolution="Wij crediteren de voorrijkosten.",
        complainant_agrees=True,
    )
    letter = send(complaint, LetterKind.CLOSING, director)
    text = pdf_text(stored_pdf(letter))
    assert "uw klacht is deels gegrond." in text
    assert "Wij crediteren de voorrijkosten." in text
    assert "Er zijn geen afspraken gemaakt." in text
    assert LetterKind.CLOSING not in [offer.kind for offer in services.letter_offers(complaint)]


def test_a_draft_invitation_for_a_meeting_that_has_since_moved_is_not_sent_with_the_old_time(assigned, director):
    complaint = assigned
    starts = (datetime.now(AMS) + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = procedure.plan_meeting(complaint=complaint, by=director, starts_at=starts, location="Rokin 1")
    draft = services.draft_letter(complaint=complaint, kind=LetterKind.INVITATION, by=director, contact=meeting)
    procedure.reschedule_meeting(
        contact=meeting, by=director, starts_at=starts + timedelta(hours=4), location="Rokin 1"
    )
    with pytest.raises(ProcedureError, match=r"gewijzigd|changed"):
        services.send_letter(letter=draft, by=director)
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT and not draft.pdf
    services.discard_draft(letter=draft, by=director)
    fresh = services.draft_letter(complaint=complaint, kind=LetterKind.INVITATION, by=director, contact=meeting)
    assert "14:00" in fresh.body
    assert services.send_letter(letter=fresh, by=director).ics_sequence == 1


def test_a_letter_without_any_address_is_refused_and_nothing_is_recorded(make_complaint, quality_manager):
    complaint = make_complaint(email="", postal_address="")
    letter = services.draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=quality_manager)
    with pytest.raises(errors.ProcedureError, match="geen e-mailadres en geen postadres"):
        services.send_letter(letter=letter, by=quality_manager)
    complaint.refresh_from_db()
    letter.refresh_from_db()
    assert complaint.acknowledged_at is None
    assert letter.is_draft and not letter.pdf


def test_a_withdrawal_is_confirmed_by_its_own_letter(make_complaint, quality_manager, send, smtp_sink):
    complaint = make_complaint()
    procedure.withdraw(complaint=complaint, by=quality_manager, reason="Klager belde: opgelost.")
    complaint.refresh_from_db()
    assert [offer.kind for offer in services.letter_offers(complaint)] == [LetterKind.WITHDRAWAL]
    letter = send(complaint, LetterKind.WITHDRAWAL, quality_manager)
    assert letter.status == "sent" and "intrekt" in letter.body
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == complaint.email
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert services.letter_offers(complaint) == []
