"""Writing mail to the outbox and delivering it exactly once.

Delivery claims a row with a conditional UPDATE, so two workers (or a worker and the
periodic sweep) never send the same message; temporary SMTP failures are retried with
exponential backoff, permanent ones are marked failed for a person to follow up."""

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import MIMEPart

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from complaints.models import Complaint
from organisation.selectors import get_organisation
from privacy.restriction import ensure_not_restricted

from .models import MessageStatus, OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the sweep takes it back.
STALE_CLAIM = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content: bytes
    content_type: str


def header_safe(value: str) -> str:
    """Collapse CR, LF and other line breaks so a value can never start a new mail header."""
    return " ".join(str(value).split()) if value else ""


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{settings.MESSAGE_ID_DOMAIN}>"


def queue_mail(
    *,
    kind: str,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    complaint: Complaint | None = None,
    reply_to: str = "",
    headers: dict[str, str] | None = None,
    attachments: tuple[MailAttachment, ...] = (),
    auto_submitted: str = "auto-generated",
    notice: bool = False,
) -> OutboxMessage:
    """Write a message to the outbox and have the worker deliver it after commit.

    Call inside the transaction that makes the change the message reports: the message
    exists if and only if the change does.

    Every message is automatic: Auto-Submitted (RFC 3834) and X-Auto-Response-Suppress ask
    out-of-office replies and other responders not to answer it (the latter is what Exchange
    heeds). A `notice` to staff is marked Precedence: bulk as well."""
    if complaint is not None:
        # A complaint under restriction of processing (GDPR art. 18) is only stored: no mail.
        ensure_not_restricted(complaint)
    all_headers = {"Auto-Submitted": auto_submitted, "X-Auto-Response-Suppress": "All"}
    if notice:
        all_headers["Precedence"] = "bulk"
    all_headers.update(headers or {})
    message = OutboxMessage.objects.create(
        kind=kind,
        complaint=complaint,
        to=[header_safe(address) for address in to],
        # Replies reach people: without an explicit Reply-To, the quality inbox.
        reply_to=header_safe(reply_to or _default_reply_to()),
        subject=header_safe(subject),
        body_text=text,
        body_html=html,
        headers={header_safe(k): header_safe(v) for k, v in all_headers.items()},
        message_id=new_message_id(),
        next_attempt_at=timezone.now(),
    )
    for position, attachment in enumerate(attachments):
        item = OutboxAttachment(
            message=message,
            position=position,
            filename=header_safe(attachment.filename),
            content_type=attachment.content_type,
        )
        item.file.save("attachment", ContentFile(attachment.content), save=False)
        item.save()
    transaction.on_commit(lambda: _enqueue_delivery(message.pk), robust=True)
    return message


def _default_reply_to() -> str:
    return get_organisation().quality_inbox


def _enqueue_delivery(message_pk: int) -> None:
    deliver_message.enqueue(message_pk)


def claim(message_pk: int) -> bool:
    """Take a due message for sending; False when another worker has it or it is done."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_pk, status=MessageStatus.PENDING, next_attempt_at__lte=now
    ).update(status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Message-ID": message.message_id, **message.headers},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            content = handle.read()
        if ";" in attachment.content_type:
            email.attach(_part_with_parameters(attachment.filename, content, attachment.content_type))
        else:
            email.attach(attachment.filename, content, attachment.content_type)
    return email


def _part_with_parameters(filename: str, content: bytes, content_type: str) -> MIMEPart:
    """An attachment whose type carries parameters, e.g. "text/calendar; method=REQUEST",
    which calendar programs need to treat an .ics as an invitation."""
    mimetype, *raw_params = (piece.strip() for piece in content_type.split(";"))
    params = dict(piece.split("=", 1) for piece in raw_params if "=" in piece)
    maintype, subtype = mimetype.split("/", 1)
    part = MIMEPart()
    if maintype == "text":
        part.set_content(content.decode(), subtype=subtype, params=params, filename=filename, charset="utf-8")
    else:
        part.set_content(content, maintype=maintype, subtype=subtype, params=params, filename=filename)
    return part


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


def deliver(*, message_pk: int) -> MessageStatus | None:
    """Send one message if it is due and nobody else is sending it.

    1. Claim it (conditional UPDATE: pending and due -> sending).
    2. Send it over SMTP.
    3. Mark it sent; or failed on a permanent error or after the last attempt; otherwise
       put it back as pending with exponential backoff."""
    if not claim(message_pk):
        return None
    message = OutboxMessage.objects.get(pk=message_pk)
    try:
        mailers.default.send_messages([build_email(message)])
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        return _record_failure(message, error)
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("outbox message %s (%s) sent", message.pk, message.kind)
    return MessageStatus.SENT


@task
def deliver_message(message_pk: int) -> None:
    """The worker's task: deliver one message (queued after the commit that wrote it)."""
    deliver(message_pk=message_pk)


def _record_failure(message: OutboxMessage, error: Exception) -> MessageStatus:
    description = f"{type(error).__name__}: {error}"[:1000]
    if _is_permanent(error) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error=description)
        logger.warning("outbox message %s (%s) failed permanently: %s", message.pk, message.kind, type(error).__name__)
        return MessageStatus.FAILED
    delay = min(timedelta(minutes=2 ** (message.attempts - 1)), MAX_BACKOFF)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.PENDING, next_attempt_at=timezone.now() + delay, last_error=description
    )
    logger.info("outbox message %s (%s) will be retried: %s", message.pk, message.kind, type(error).__name__)
    return MessageStatus.PENDING


def deliver_due(*, limit: int = 200) -> int:
    """The periodic sweep: take back stale claims, then send what is due. Returns the count sent."""
    now = timezone.now()
    OutboxMessage.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=MessageStatus.PENDING
    )
    due = list(
        OutboxMessage.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if deliver(message_pk=pk) == MessageStatus.SENT)


def retry_now(*, message: OutboxMessage) -> None:
    """Put a failed message back in the queue (after someone fixed the address, say)."""
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    transaction.on_commit(lambda: _enqueue_delivery(message.pk), robust=True)
