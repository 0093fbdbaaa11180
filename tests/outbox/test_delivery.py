"""Delivering the outbox: exactly once, with backoff on temporary failures, and a page
("Verzonden e-mail") that shows every message."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from outbox import services
from outbox.models import MessageStatus, OutboxMessage
from outbox.services import MailAttachment, queue_mail
from tests.support.smtp import SmtpSink


def queue(**overrides: object) -> OutboxMessage:
    values: dict[str, object] = {
        "kind": "test",
        "to": ["kwaliteit@supportoplus.nl"],
        "subject": "Nieuwe klacht",
        "text": "Er is een klacht binnengekomen.",
    }
    values.update(overrides)
    return queue_mail(**values)  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_a_message_is_delivered_after_commit_and_not_before(smtp_sink: SmtpSink) -> None:
    with transaction.atomic():
        message = queue(html="<p>Er is een klacht binnengekomen.</p>")
        with pytest.raises(AssertionError):
            smtp_sink.wait_for(1, timeout=0.3)

    [mail] = smtp_sink.wait_for(1)
    assert mail["Subject"] == "Nieuwe klacht"
    assert mail["Message-ID"] == message.message_id
    assert mail.get_body(preferencelist=("html",)).get_content().strip() == "<p>Er is een klacht binnengekomen.</p>"  # type: ignore[union-attr]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_attachments_travel_with_the_message(smtp_sink: SmtpSink) -> None:
    queue(
        attachments=(MailAttachment(filename="brief.pdf", content=b"%PDF-1.4 brief", content_type="application/pdf"),)
    )

    [mail] = smtp_sink.wait_for(1)
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "brief.pdf"
    assert attachment.get_content() == b"%PDF-1.4 brief"


@pytest.mark.django_db
def test_header_values_cannot_start_a_new_header() -> None:
    message = queue(subject="Klacht\r\nBcc: iedereen@example.nl", to=["a@example.nl\nBcc: b@example.nl"])

    assert message.subject == "Klacht Bcc: iedereen@example.nl"
    assert message.to == ["a@example.nl Bcc: b@example.nl"]


@pytest.mark.django_db
def test_a_message_is_claimed_once() -> None:
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            kind="test",
            to=["a@example.nl"],
            subject="x",
            body_text="x",
            message_id=services.new_message_id(),
            next_attempt_at=timezone.now(),
        )

    assert services.claim(message.pk) is True
    assert services.claim(message.pk) is False
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_temporary_failures_are_retried_with_growing_backoff(smtp_sink: SmtpSink) -> None:
    smtp_sink.reply_with("451 4.3.0 Try again later")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        message = queue()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at == start + timedelta(minutes=1)
    assert "451" in message.last_error

    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert services.deliver_due() == 0
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == start + timedelta(minutes=3)

    smtp_sink.reply_with(None)
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert services.deliver_due() == 0  # not due yet
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        assert services.deliver_due() == 1
    assert len(smtp_sink.wait_for(1)) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 3


@pytest.mark.django_db(transaction=True)
def test_a_permanent_failure_is_not_retried(smtp_sink: SmtpSink) -> None:
    smtp_sink.reply_with("550 5.1.1 No such user", stage="data")

    message = queue()

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "550" in message.last_error
    smtp_sink.reply_with(None)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert services.deliver_due() == 0
    assert smtp_sink.messages == []


@pytest.mark.django_db(transaction=True)
def test_it_gives_up_after_the_last_attempt(smtp_sink: SmtpSink, settings: object) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 2  # type: ignore[attr-defined]
    smtp_sink.stop()
    message = queue()

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        services.deliver_due()

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_failed_message_can_be_retried_by_hand(smtp_sink: SmtpSink) -> None:
    smtp_sink.reply_with("550 5.1.1 No such user", stage="data")
    message = queue()
    smtp_sink.reply_with(None)

    services.retry_now(message=message)

    smtp_sink.wait_for(1)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_the_sweep_takes_back_a_claim_left_by_a_dead_worker(smtp_sink: SmtpSink) -> None:
    smtp_sink.stop()
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_at=timezone.now())
    smtp_sink.start()

    assert services.deliver_due() == 0  # a fresh claim belongs to a worker still busy
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert services.deliver_due() == 1

    assert len(smtp_sink.wait_for(1)) == 1


@pytest.mark.django_db
def test_the_sent_mail_page_lists_every_message_for_the_quality_manager(client: Client, quality_manager: User) -> None:
    with transaction.atomic():
        message = queue(subject="Nieuwe klacht KL-2026-00007 (webformulier)")
    client.force_login(quality_manager)

    listing = client.get(reverse("outbox:list"))
    detail = client.get(reverse("outbox:detail", args=[message.pk]))

    assert listing.status_code == detail.status_code == 200
    assert "<h1>Verzonden e-mail</h1>" in listing.content.decode()
    assert "Nieuwe klacht KL-2026-00007 (webformulier)" in listing.content.decode()
    assert "Er is een klacht binnengekomen." in detail.content.decode()
    assert "kwaliteit@supportoplus.nl" in detail.content.decode()


@pytest.mark.django_db
def test_the_sent_mail_page_is_only_for_the_quality_manager(client: Client, back_office: User) -> None:
    message = queue()
    client.force_login(back_office)

    assert client.get(reverse("outbox:list")).status_code == 403
    assert client.get(reverse("outbox:detail", args=[message.pk])).status_code == 403
