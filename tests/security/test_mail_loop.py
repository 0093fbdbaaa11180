"""Finding: an auto-responder that sets no RFC 3834 markers (subject "Automatisch antwoord: …")
answered every notice, and each answer made a new notice: 24 staff notices in 2.5 minutes, without
end. Through a real IMAP server: the loop now stops, and every automatic mail asks not to be answered."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from complaints.models import Complaint
from mailintake.jobs import fetch_mail
from mailintake.models import InboundMessage, Outcome
from outbox.models import OutboxMessage
from outbox.services import queue_mail
from tests.conftest import ComplaintFactory
from tests.mailintake import messages
from tests.support.imap import ImapServer

pytestmark = pytest.mark.django_db
NOW = "2026-03-04 12:00 +01:00"


def answer_the_latest_notice(imap_server: ImapServer, *, subject_prefix: str, sender: str) -> None:
    notice = OutboxMessage.objects.filter(kind="email_reply_received").latest("pk")
    reply = messages.plain(subject=f"{subject_prefix}{notice.subject}", sender=sender, body="Ik ben afwezig.")
    reply["In-Reply-To"] = notice.message_id
    imap_server.append(reply.as_bytes())
    fetch_mail()


def start(imap_server: ImapServer, make_complaint: ComplaintFactory, director: User) -> Complaint:
    complaint = make_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(assigned_to=director)
    ours = queue_mail(kind="acknowledgement", to=["jan@example.nl"], subject="Uw klacht", text=".", complaint=complaint)
    first = messages.plain(subject="Re: Uw klacht", body="Nog een foto.")
    first["In-Reply-To"] = ours.message_id
    imap_server.append(first.as_bytes())
    fetch_mail()
    assert OutboxMessage.objects.filter(kind="email_reply_received").count() == 1
    return complaint


@time_machine.travel(NOW, tick=False)
def test_an_out_of_office_answer_without_markers_makes_no_new_notice(
    imap_server: ImapServer, make_complaint: ComplaintFactory, director: User
) -> None:
    start(imap_server, make_complaint, director)
    for _ in range(10):
        answer_the_latest_notice(imap_server, subject_prefix="Automatisch antwoord: ", sender=director.email)
    assert OutboxMessage.objects.filter(kind="email_reply_received").count() == 1
    assert InboundMessage.objects.filter(auto_generated=True).count() == 10


@time_machine.travel(NOW, tick=True)
def test_a_responder_that_looks_like_a_person_ends_at_the_capped_number_of_notices(
    imap_server: ImapServer, make_complaint: ComplaintFactory, director: User
) -> None:
    complaint = start(imap_server, make_complaint, director)
    for _ in range(24):
        answer_the_latest_notice(imap_server, subject_prefix="Re: ", sender=director.email)
    notices = OutboxMessage.objects.filter(kind="email_reply_received", complaint=complaint)
    assert notices.count() <= settings.MAIL_NOTICE_LIMIT
    # The burst from one sender is held for a person to look at, not dropped.
    held = InboundMessage.objects.filter(outcome=Outcome.QUARANTINED, from_address=director.email)
    assert held.exists()
    assert "kort na elkaar" in held.first().error  # type: ignore[union-attr]
    assert imap_server.count("Quarantaine") == held.count()


@time_machine.travel(NOW, tick=False)
def test_the_notice_cap_opens_again_after_its_period(
    imap_server: ImapServer, make_complaint: ComplaintFactory, director: User
) -> None:
    start(imap_server, make_complaint, director)
    for _ in range(settings.MAIL_NOTICE_LIMIT + 1):
        answer_the_latest_notice(imap_server, subject_prefix="Re: ", sender="jan@example.nl")
    capped = OutboxMessage.objects.filter(kind="email_reply_received").count()
    assert capped == settings.MAIL_NOTICE_LIMIT
    with time_machine.travel(timezone.now() + settings.MAIL_NOTICE_PERIOD + timedelta(minutes=1), tick=False):
        answer_the_latest_notice(imap_server, subject_prefix="Re: ", sender="jan@example.nl")
    assert OutboxMessage.objects.filter(kind="email_reply_received").count() == capped + 1


def test_every_automatic_mail_asks_not_to_be_answered_and_notices_are_bulk(make_complaint: ComplaintFactory) -> None:
    complaint = make_complaint()
    letter = queue_mail(
        kind="acknowledgement", to=["jan@example.nl"], subject="Uw klacht", text=".", complaint=complaint
    )
    notice = queue_mail(kind="new_complaint", to=["kwaliteit@supportoplus.nl"], subject="Nieuw", text=".", notice=True)
    for message in (letter, notice):
        assert message.headers["X-Auto-Response-Suppress"] == "All"
        assert message.headers["Auto-Submitted"] == "auto-generated"
    assert notice.headers["Precedence"] == "bulk"
    assert "Precedence" not in letter.headers


def test_staff_notices_and_password_resets_carry_the_markers(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    from django.test import Client

    from intake.notifications import announce_pending

    make_complaint()
    announce_pending()
    Client().post("/accounts/wachtwoord-vergeten/", {"email": quality_manager.email})
    for kind in ("new_complaint", "password_reset"):
        message = OutboxMessage.objects.filter(kind=kind).latest("pk")
        assert message.headers["X-Auto-Response-Suppress"] == "All", kind
    assert OutboxMessage.objects.get(kind="new_complaint").headers["Precedence"] == "bulk"
