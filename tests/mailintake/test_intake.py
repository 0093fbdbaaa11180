"""E-mail to the complaints mailbox, read from a real IMAP server (Dovecot on loopback)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from complaints.models import Attachment, Channel, Complaint, TimelineEvent
from mailintake.jobs import fetch_mail
from mailintake.models import InboundMessage, Outcome
from mailintake.selectors import may_answer_automatically
from outbox.models import MessageStatus, OutboxMessage
from outbox.services import queue_mail
from tests.conftest import ComplaintFactory
from tests.support.imap import ImapServer

from . import messages

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = "2026-03-04 12:00 +01:00"


@time_machine.travel(NOW, tick=False)
def test_a_plain_message_becomes_an_e_mail_complaint_received_at_its_arrival(
    imap_server: ImapServer, django_capture_on_commit_callbacks
) -> None:
    arrived = datetime(2026, 3, 2, 23, 30, tzinfo=AMS)
    imap_server.append(messages.plain().as_bytes(), arrived=arrived)
    with django_capture_on_commit_callbacks(execute=True):
        assert fetch_mail() == {"complaint": 1}
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.EMAIL
    assert complaint.received_at == arrived
    assert (complaint.name, complaint.email) == ("Jan Jansen", "jan@example.nl")
    assert complaint.description.startswith("Onderwerp: Klacht over de monteur")
    assert "De monteur kwam niet opdagen." in complaint.description
    # Deadlines count from the day it arrived (Monday 2 March), not from the day it was read.
    assert complaint.acknowledge_due.isoformat() == "2026-03-09"
    # The quality inbox hears of it; nothing goes to the sender.
    assert list(OutboxMessage.objects.values_list("kind", "to")) == [("new_complaint", ["kwaliteit@supportoplus.nl"])]
    assert (imap_server.count("INBOX"), imap_server.count("Verwerkt")) == (0, 1)
    assert may_answer_automatically(complaint) is True


@time_machine.travel(NOW, tick=False)
def test_an_html_only_message_is_converted_to_text_and_never_kept_as_html(imap_server: ImapServer) -> None:
    imap_server.append(messages.html_only().as_bytes())
    fetch_mail()
    description = Complaint.objects.get().description
    assert "De factuur klopt niet." in description.replace("**", "")
    assert "<" not in description
    assert "script" not in description.lower()


@time_machine.travel(NOW, tick=False)
def test_attachments_are_checked_like_uploads_and_a_refused_one_is_noted(imap_server: ImapServer) -> None:
    imap_server.append(messages.with_attachments().as_bytes())
    fetch_mail()
    complaint = Complaint.objects.get()
    assert sorted(Attachment.objects.values_list("original_name", "content_type")) == [
        ("factuur.pdf", "application/pdf"),
        ("foto.png", "image/png"),
    ]
    refused = TimelineEvent.objects.get(complaint=complaint, kind="attachment_refused")
    assert "kat.png" in refused.message


@time_machine.travel(NOW, tick=False)
def test_a_reply_to_our_mail_goes_on_the_timeline_and_the_handler_hears_of_it(
    imap_server: ImapServer, make_complaint: ComplaintFactory, director: User
) -> None:
    complaint = make_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(assigned_to=director)
    ours = queue_mail(
        kind="acknowledgement", to=["jan@example.nl"], subject="Uw klacht", text="...", complaint=complaint
    )
    reply = messages.with_attachments()
    reply.replace_header("Subject", "Re: Uw klacht")
    reply["In-Reply-To"] = ours.message_id
    imap_server.append(reply.as_bytes())

    assert fetch_mail() == {"reply": 1}
    assert Complaint.objects.count() == 1
    event = TimelineEvent.objects.get(complaint=complaint, kind="email_received")
    assert "De monteur kwam niet opdagen." in event.message
    assert event.data["from_complainant"] is True
    assert complaint.attachments.count() == 2
    notice = OutboxMessage.objects.get(kind="email_reply_received")
    assert notice.to == [director.email]
    assert complaint.reference in notice.subject


@time_machine.travel(NOW, tick=False)
def test_a_reference_number_in_the_subject_is_enough_and_without_a_handler_the_quality_inbox_hears(
    imap_server: ImapServer, make_complaint: ComplaintFactory
) -> None:
    complaint = make_complaint()
    imap_server.append(messages.plain(subject=f"Aanvulling op {complaint.reference.lower()}").as_bytes())
    assert fetch_mail() == {"reply": 1}
    assert OutboxMessage.objects.get(kind="email_reply_received").to == ["kwaliteit@supportoplus.nl"]


@time_machine.travel(NOW, tick=False)
def test_an_auto_reply_goes_on_the_timeline_but_nothing_answers_or_notifies(
    imap_server: ImapServer, make_complaint: ComplaintFactory
) -> None:
    complaint = make_complaint()
    ours = queue_mail(
        kind="acknowledgement", to=["jan@example.nl"], subject="Uw klacht", text="...", complaint=complaint
    )
    before = OutboxMessage.objects.count()
    imap_server.append(messages.auto_reply(ours.message_id).as_bytes())
    assert fetch_mail() == {"reply": 1}
    assert TimelineEvent.objects.get(complaint=complaint, kind="email_received").data["auto_generated"] is True
    assert OutboxMessage.objects.count() == before


@time_machine.travel(NOW, tick=False)
def test_a_complaint_from_a_machine_is_registered_but_marked_never_to_be_answered_automatically(
    imap_server: ImapServer, django_capture_on_commit_callbacks
) -> None:
    imap_server.append(messages.plain(headers={"Auto-Submitted": "auto-generated"}).as_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        fetch_mail()
    complaint = Complaint.objects.get()
    assert may_answer_automatically(complaint) is False
    assert InboundMessage.objects.get().auto_generated is True
    assert [message.to for message in OutboxMessage.objects.all()] == [["kwaliteit@supportoplus.nl"]]


@time_machine.travel(NOW, tick=False)
def test_a_bounce_marks_our_message_failed_and_creates_no_complaint(
    imap_server: ImapServer, make_complaint: ComplaintFactory
) -> None:
    complaint = make_complaint()
    ours = queue_mail(
        kind="acknowledgement", to=["jan@example.nl"], subject="Uw klacht", text="...", complaint=complaint
    )
    imap_server.append(messages.bounce(ours.message_id))
    assert fetch_mail() == {"bounce": 1}
    ours.refresh_from_db()
    assert ours.status == MessageStatus.FAILED
    assert "5.1.1" in ours.last_error
    assert Complaint.objects.count() == 1
    assert TimelineEvent.objects.filter(complaint=complaint, kind="email_bounced").exists()
    assert InboundMessage.objects.get().outbox_message == ours


@time_machine.travel(NOW, tick=False)
def test_a_delay_notice_is_recorded_but_does_not_fail_the_message(
    imap_server: ImapServer, make_complaint: ComplaintFactory
) -> None:
    ours = queue_mail(kind="acknowledgement", to=["jan@example.nl"], subject="Uw klacht", text="...")
    OutboxMessage.objects.filter(pk=ours.pk).update(status=MessageStatus.SENT)
    imap_server.append(messages.bounce(ours.message_id, action="delayed"))
    assert fetch_mail() == {"bounce": 1}
    ours.refresh_from_db()
    assert ours.status == MessageStatus.SENT


@time_machine.travel(NOW, tick=False)
def test_our_own_mail_coming_back_into_the_mailbox_is_ignored(imap_server: ImapServer, settings: object) -> None:
    """The quality inbox is often the intake mailbox: the notice of a new complaint lands there."""
    imap_server.append(messages.plain(message_id="<abc123@klachten.supportoplus.nl>").as_bytes())
    assert fetch_mail() == {"own": 1}
    assert not Complaint.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_malformed_message_among_a_hundred_is_quarantined_and_blocks_none(imap_server: ImapServer) -> None:
    for number in range(50):
        imap_server.append(messages.plain(subject=f"Klacht {number}").as_bytes())
    imap_server.append(messages.malformed())
    for number in range(50, 100):
        imap_server.append(messages.plain(subject=f"Klacht {number}").as_bytes())

    assert fetch_mail() == {"complaint": 100, "quarantined": 1}
    assert Complaint.objects.count() == 100
    assert imap_server.count("Verwerkt") == 100
    assert imap_server.count("Quarantaine") == 1
    assert imap_server.count("INBOX") == 0
    quarantined = InboundMessage.objects.get(outcome=Outcome.QUARANTINED)
    # The reason is written in the organisation's language.
    assert "afzenderadres" in quarantined.error or "MIME-structuur" in quarantined.error

    # A rerun, and the same hundred messages delivered again (new UIDs): nothing is duplicated.
    assert fetch_mail() == {}
    for raw in imap_server.messages("Verwerkt")[:10]:
        imap_server.append(raw)
    assert fetch_mail() == {"duplicate": 10}
    assert Complaint.objects.count() == 100


@time_machine.travel(NOW, tick=False)
def test_a_message_recorded_but_not_moved_is_moved_on_the_next_run_without_processing_it_again(
    imap_server: ImapServer,
) -> None:
    """The worker died between committing and moving: the mailbox position says it was done."""
    from mailintake.imap import Mailbox, imap_settings
    from mailintake.services import Position, process_message

    imap_server.append(messages.plain().as_bytes())
    config = imap_settings()
    assert config is not None
    with Mailbox(config) as mailbox:
        uidvalidity = mailbox.select("INBOX")
        [uid] = mailbox.uids()
        raw, arrived = mailbox.fetch(uid)  # type: ignore[misc]
        process_message(position=Position("INBOX", uidvalidity, uid), raw=raw, received_at=arrived)
    assert imap_server.count("INBOX") == 1
    assert fetch_mail() == {"complaint": 1}
    assert Complaint.objects.count() == 1
    assert imap_server.count("INBOX") == 0


def test_without_imap_settings_the_job_does_nothing(settings: object) -> None:
    settings.MAIL_INTAKE = {"host": ""}  # type: ignore[attr-defined]
    assert fetch_mail() == "not configured"


def test_the_quality_manager_sees_the_quarantine_in_the_back_office(
    client: object, quality_manager: User, director: User
) -> None:
    InboundMessage.objects.create(
        folder="INBOX",
        uidvalidity=1,
        uid=7,
        message_id="<x@no-message-id.invalid>",
        received_at=datetime(2026, 3, 2, 9, tzinfo=AMS),
        outcome=Outcome.QUARANTINED,
        error="no sender address (From)",
        headers_excerpt="Subject: <script>alert(1)</script>",
    )
    client.force_login(quality_manager)  # type: ignore[attr-defined]
    response = client.get("/backoffice/ontvangen-email/")  # type: ignore[attr-defined]
    assert response.status_code == 200
    content = response.content.decode()
    assert "no sender address" in content
    assert "<script>alert(1)</script>" not in content
    client.force_login(director)  # type: ignore[attr-defined]
    assert client.get("/backoffice/ontvangen-email/").status_code == 403  # type: ignore[attr-defined]


@time_machine.travel(NOW, tick=False)
def test_the_scheduler_reads_the_mailbox_before_delivering_the_notices(imap_server: ImapServer) -> None:
    from django.conf import settings

    from lib.periodic import run_periodic_jobs

    jobs = settings.PERIODIC_JOBS
    assert jobs.index("mailintake.jobs.fetch_mail") < jobs.index("outbox.jobs.deliver_due")
    imap_server.append(messages.plain().as_bytes())
    results = run_periodic_jobs()
    assert results["mailintake.jobs.fetch_mail"] == {"complaint": 1}
    assert Complaint.objects.get().channel == Channel.EMAIL


def test_an_unreachable_mailbox_fails_the_job_without_touching_anything(settings: object) -> None:
    from mailintake.imap import MailboxError

    settings.MAIL_INTAKE = {  # type: ignore[attr-defined]
        "host": "127.0.0.1",
        "port": 9,
        "security": "none",
        "user": "x",
        "password": "y",
        "timeout": 2,
    }
    with pytest.raises(MailboxError):
        fetch_mail()
    assert not InboundMessage.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_worker_does_not_read_a_mailbox_another_worker_has_claimed(imap_server: ImapServer) -> None:
    from mailintake.jobs import claim_mailbox, release_claim

    key = f"{imap_server.user}@{imap_server.host}/INBOX"
    holder = claim_mailbox(key)
    assert holder is not None
    imap_server.append(messages.plain().as_bytes())
    assert fetch_mail() == "busy"
    assert imap_server.count("INBOX") == 1
    release_claim(key, holder)
    assert fetch_mail() == {"complaint": 1}


def test_the_claim_of_a_worker_that_died_runs_out(imap_server: ImapServer) -> None:
    from mailintake.jobs import claim_mailbox

    with time_machine.travel("2026-03-04 11:00 +01:00", tick=False):
        assert claim_mailbox(f"{imap_server.user}@{imap_server.host}/INBOX") is not None
    with time_machine.travel("2026-03-04 11:05 +01:00", tick=False):
        assert fetch_mail() == "busy"
    with time_machine.travel("2026-03-04 11:11 +01:00", tick=False):
        assert fetch_mail() == {}


@time_machine.travel(NOW, tick=False)
def test_a_reply_about_an_anonymised_complaint_becomes_a_new_complaint(
    imap_server: ImapServer, make_complaint: ComplaintFactory
) -> None:
    old = make_complaint()
    Complaint.objects.filter(pk=old.pk).update(anonymised_at=datetime(2026, 3, 1, tzinfo=AMS))
    imap_server.append(messages.plain(subject=f"Re: {old.reference}").as_bytes())
    assert fetch_mail() == {"complaint": 1}
    assert not TimelineEvent.objects.filter(complaint=old, kind="email_received").exists()
    assert Complaint.objects.count() == 2
