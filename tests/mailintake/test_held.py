"""A reference number is easy to guess: mail that names a complaint's reference but comes from an
address the complainant did not give is held for the quality manager, who adds it to the
complaint or rejects it. Read from a real IMAP server (Dovecot on loopback)."""

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from complaints.models import Channel, Complaint, TimelineEvent
from mailintake.jobs import fetch_mail
from mailintake.models import InboundMessage, Outcome
from outbox.services import queue_mail
from privacy.anonymise import anonymise_complaint
from tests.conftest import ComplaintFactory
from tests.privacy.conftest import close
from tests.support.imap import ImapServer

from . import messages

pytestmark = pytest.mark.django_db
NOW = "2026-03-04 12:00 +01:00"


def from_a_stranger(complaint: Complaint) -> bytes:
    mail = messages.with_attachments(sender="Piet <piet@elders.example>")
    mail.replace_header("Subject", f"Over {complaint.reference}")
    return mail.as_bytes()


@time_machine.travel(NOW, tick=False)
def test_a_stranger_naming_a_reference_is_held_and_nothing_reaches_the_complaint(
    imap_server: ImapServer, make_complaint: ComplaintFactory
) -> None:
    complaint = make_complaint()  # the complainant gave jan@example.nl
    imap_server.append(from_a_stranger(complaint))

    assert fetch_mail() == {"held": 1}
    held = InboundMessage.objects.get()
    assert (held.outcome, held.complaint) == (Outcome.HELD, complaint)
    assert held.held_message and b"piet@elders.example" in bytes(held.held_message)
    assert not TimelineEvent.objects.filter(complaint=complaint, kind="email_received").exists()
    assert complaint.attachments.count() == 0
    assert imap_server.count("Quarantaine") == 1


@time_machine.travel(NOW, tick=False)
def test_a_complaint_without_an_e_mail_address_takes_no_mail_by_its_reference_alone(
    imap_server: ImapServer, make_complaint: ComplaintFactory
) -> None:
    complaint = make_complaint(channel=Channel.LETTER, email="", postal_address="Dorpsstraat 1\n6711 AB Ede")
    imap_server.append(messages.plain(subject=f"Re: {complaint.reference}").as_bytes())
    assert fetch_mail() == {"held": 1}


@time_machine.travel(NOW, tick=False)
def test_a_reply_to_our_own_mail_from_another_address_is_added(
    imap_server: ImapServer, make_complaint: ComplaintFactory
) -> None:
    # Only whoever received our message knows its Message-ID.
    complaint = make_complaint()
    ours = queue_mail(
        kind="acknowledgement", to=["jan@example.nl"], subject="Uw klacht", text="...", complaint=complaint
    )
    imap_server.append(messages.reply_to(ours.message_id, sender="Jan <jan.jansen@werk.example>").as_bytes())
    assert fetch_mail() == {"reply": 1}


@time_machine.travel(NOW, tick=False)
def test_the_quality_manager_adds_a_held_message_to_the_complaint(
    imap_server: ImapServer, make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = make_complaint()
    imap_server.append(from_a_stranger(complaint))
    fetch_mail()
    held = InboundMessage.objects.get()
    client = Client()
    client.force_login(quality_manager)
    work = client.get("/backoffice/").content.decode()
    assert "Er wacht e-mail op uw besluit" in work and 'href="/backoffice/ontvangen-email/"' in work
    page = client.get("/backoffice/ontvangen-email/").content.decode()
    assert "piet@elders.example" in page and f"Toevoegen aan {complaint.reference}" in page

    response = client.post(f"/backoffice/ontvangen-email/{held.pk}/toevoegen/", follow=True)

    assert f"De e-mail is toegevoegd aan {complaint.reference}." in response.content.decode()
    held.refresh_from_db()
    assert (held.outcome, held.held_message, held.decided_by) == (Outcome.REPLY, None, quality_manager)
    event = TimelineEvent.objects.get(complaint=complaint, kind="email_received")
    assert "De monteur kwam niet opdagen." in event.message and event.data["from_complainant"] is False
    assert complaint.attachments.count() == 2
    # Decided once: a second decision finds nothing to decide.
    assert client.post(f"/backoffice/ontvangen-email/{held.pk}/afwijzen/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_quality_manager_rejects_a_held_message(
    imap_server: ImapServer, make_complaint: ComplaintFactory, quality_manager: User, director: User
) -> None:
    complaint = make_complaint()
    imap_server.append(from_a_stranger(complaint))
    fetch_mail()
    held = InboundMessage.objects.get()
    responsible = Client()
    responsible.force_login(director)
    assert responsible.post(f"/backoffice/ontvangen-email/{held.pk}/toevoegen/").status_code == 403
    manager = Client()
    manager.force_login(quality_manager)
    assert manager.get(f"/backoffice/ontvangen-email/{held.pk}/afwijzen/").status_code == 405

    assert manager.post(f"/backoffice/ontvangen-email/{held.pk}/afwijzen/").status_code == 302

    held.refresh_from_db()
    assert (held.outcome, held.held_message, held.decided_by) == (Outcome.REJECTED, None, quality_manager)
    assert not TimelineEvent.objects.filter(complaint=complaint, kind="email_received").exists()
    assert complaint.attachments.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_held_message_goes_when_the_complaint_is_anonymised(
    imap_server: ImapServer, make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = make_complaint()
    imap_server.append(from_a_stranger(complaint))
    fetch_mail()
    close(complaint)
    assert anonymise_complaint(complaint_pk=complaint.pk, reason="erasure", by=quality_manager)
    assert InboundMessage.objects.get().held_message is None
