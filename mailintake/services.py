"""Turning received e-mail into complaints, timeline entries and bounce records, each message once.

1. A message answering one of ours (In-Reply-To/References with our Message-ID, or a
   reference number in the subject from the complainant's own address) goes on that
   complaint's timeline and the person handling it hears of it. A message naming a reference
   from any other address is held until the quality manager adds it or rejects it.
2. A delivery failure report marks the outbox message it is about as failed.
3. Our own mail coming back (the quality inbox is often the intake mailbox) is ignored.
4. Anything else becomes a complaint with channel e-mail.
Nothing here ever writes to the sender: a complaint from a machine (RFC 3834) is marked so
no automatic answer goes to it either (see selectors.may_answer_automatically)."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.roles import Role
from complaints.attachments import UploadedFile, attachment_room, store_attachment
from complaints.errors import NotPermitted, ProcedureError
from complaints.models import Channel, Complaint, Subject, Visibility
from complaints.sentences import Sentence
from complaints.timeline import record_event
from intake.registration import ComplaintDetails, register_complaint
from lib.dates import local_date
from lib.uploads import RejectedFile, check_upload, safe_display_name
from organisation.selectors import get_organisation
from outbox.models import MessageStatus, OutboxMessage
from outbox.services import queue_mail
from privacy.restriction import ProcessingRestricted, ensure_not_restricted

from .models import HANDLED, InboundMessage, Outcome
from .parsing import IncomingMail, MailAttachmentIn, UnreadableMessage, headers_excerpt, parse
from .parsing import is_auto_generated as is_auto_generated

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Position:
    """Where a message sits in the mailbox: unique per message as long as UIDVALIDITY holds."""

    folder: str
    uidvalidity: int
    uid: int


def fallback_message_id(raw: bytes) -> str:
    """For messages without a Message-ID: the same bytes always get the same identity."""
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


def process_message(*, position: Position, raw: bytes, received_at: datetime) -> InboundMessage:
    """Process one message from the mailbox, at most once; returns its record.

    A message that cannot be read, or whose processing fails for a reason other than the
    database, is recorded as quarantined and never blocks the messages after it."""
    existing = InboundMessage.objects.filter(
        folder=position.folder, uidvalidity=position.uidvalidity, uid=position.uid
    ).first()
    if existing is not None:
        return existing
    try:
        # The reason a message is held is written in the organisation's language, as the rest.
        with translation.override(settings.LANGUAGE_CODE):
            mail = parse(raw)
    except UnreadableMessage as error:
        return quarantine(position=position, raw=raw, received_at=received_at, error=str(error))
    message_id = mail.message_id or fallback_message_id(raw)
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            return _handle(position=position, mail=mail, raw=raw, message_id=message_id, received_at=received_at)
    except IntegrityError:
        # Another worker recorded this message (same position or same Message-ID) first.
        taken = InboundMessage.objects.filter(
            folder=position.folder, uidvalidity=position.uidvalidity, uid=position.uid
        ).first()
        if taken is not None:
            return taken
        return _record(
            position=position,
            mail=mail,
            message_id=message_id,
            received_at=received_at,
            outcome=Outcome.DUPLICATE,
            complaint=first.complaint if (first := _first_copy(message_id)) else None,
        )
    except DatabaseError:
        raise
    except Exception as error:
        logger.exception("received message %s could not be processed", message_id)
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Processing failed: %(error)s") % {"error": f"{type(error).__name__}: {error}"}
        return quarantine(position=position, raw=raw, received_at=received_at, error=reason[:1000])


def quarantine(*, position: Position, raw: bytes, received_at: datetime, error: str) -> InboundMessage:
    return InboundMessage.objects.create(
        folder=position.folder,
        uidvalidity=position.uidvalidity,
        uid=position.uid,
        message_id=fallback_message_id(raw),
        received_at=received_at,
        outcome=Outcome.QUARANTINED,
        error=error,
        headers_excerpt=headers_excerpt(raw),
    )


def _record(
    *, position: Position, mail: IncomingMail, message_id: str, received_at: datetime, outcome: Outcome, **extra: object
) -> InboundMessage:
    return InboundMessage.objects.create(
        folder=position.folder,
        uidvalidity=position.uidvalidity,
        uid=position.uid,
        message_id=message_id[:255],
        received_at=received_at,
        from_address=mail.from_address,
        from_name=mail.from_name,
        subject=mail.subject,
        outcome=outcome,
        auto_generated=mail.auto_generated,
        **extra,
    )


def _first_copy(message_id: str) -> InboundMessage | None:
    """The record of a message that has had its effect. A later copy is recorded as a duplicate
    with the first copy's complaint, so anonymising the complaint clears the duplicate too."""
    return InboundMessage.objects.filter(message_id=message_id[:255], outcome__in=HANDLED).first()


def _handle(
    *, position: Position, mail: IncomingMail, raw: bytes, message_id: str, received_at: datetime
) -> InboundMessage:
    def record(outcome: Outcome, **extra: object) -> InboundMessage:
        return _record(
            position=position, mail=mail, message_id=message_id, received_at=received_at, outcome=outcome, **extra
        )

    first = _first_copy(message_id)
    if first is not None:
        return record(Outcome.DUPLICATE, complaint=first.complaint)
    if mail.bounce is not None:
        return _handle_bounce(mail, record(Outcome.BOUNCE))
    if message_id.strip("<>").rpartition("@")[2].lower() == settings.MESSAGE_ID_DOMAIN.lower():
        return record(Outcome.OWN)
    complaint, answers_our_mail = answered_complaint(mail)
    if complaint is not None and not answers_our_mail and not _from_complainant(mail, complaint):
        # The reference in a subject is easy to guess: a stranger's mail waits for a person.
        held = record(Outcome.HELD, complaint=complaint, held_message=raw)
        held.error = _(
            "Held for a person: it names the complaint's reference but comes from an address the complainant "
            "did not give. Add it to the complaint or reject it."
        )
        held.save(update_fields=["error"])
        return held
    if complaint is not None and _is_burst(mail.from_address):
        held = record(Outcome.QUARANTINED, complaint=complaint)
        held.error = _(
            "Held for review: more than %(count)d replies from this sender arrived shortly after one another, "
            "as a mail loop would send them. Move it back to the inbox to process it."
        ) % {"count": settings.MAIL_BURST_LIMIT}
        held.save(update_fields=["error"])
        logger.warning("held a message from a sender who sent more than %s recently", settings.MAIL_BURST_LIMIT)
        return held
    if complaint is not None:
        inbound = record(Outcome.REPLY, complaint=complaint)
        try:
            with transaction.atomic():
                add_reply(complaint=complaint, mail=mail, received_at=received_at)
        except ProcessingRestricted:
            inbound.outcome = Outcome.QUARANTINED
            inbound.error = _(
                "Held: processing of this complaint is restricted at the complainant's request. Move the "
                "message back to the inbox once the restriction is lifted."
            )
            inbound.save(update_fields=["outcome", "error"])
        return inbound
    inbound = record(Outcome.COMPLAINT)
    inbound.complaint = complaint_from_mail(mail=mail, received_at=received_at)
    inbound.save(update_fields=["complaint"])
    return inbound


def _is_burst(sender: str) -> bool:
    """More replies from this sender in the last period than a person writes: a responder in a loop."""
    if not sender:
        return False
    recent = InboundMessage.objects.filter(
        from_address__iexact=sender,
        outcome=Outcome.REPLY,
        processed_at__gte=timezone.now() - settings.MAIL_NOTICE_PERIOD,
    )
    return recent.count() >= settings.MAIL_BURST_LIMIT


def _handle_bounce(mail: IncomingMail, inbound: InboundMessage) -> InboundMessage:
    """A bounce of one of ours marks it failed, so the outbox page shows the address did not work."""
    bounce = mail.bounce
    assert bounce is not None
    ours = OutboxMessage.objects.filter(message_id__in=bounce.original_message_ids).first()
    if ours is None:
        return inbound
    inbound.outbox_message = ours
    inbound.complaint_id = ours.complaint_id
    inbound.save(update_fields=["outbox_message", "complaint"])
    if bounce.permanent:
        OutboxMessage.objects.filter(pk=ours.pk).exclude(status=MessageStatus.FAILED).update(
            status=MessageStatus.FAILED, last_error=f"Bounce {bounce.status}: {mail.subject}"[:1000]
        )
        if ours.complaint_id is not None:
            record_event(
                complaint=ours.complaint,  # type: ignore[arg-type]
                kind="email_bounced",
                actor_label=mail.from_address,
                message=Sentence(
                    gettext_noop('The e-mail "%(subject)s" to %(to)s could not be delivered (%(status)s).'),
                    subject=ours.subject,
                    to=", ".join(ours.to),
                    status=bounce.status or "?",
                ),
                data={"outbox_message": ours.pk},
            )
    return inbound


def answered_complaint(mail: IncomingMail) -> tuple[Complaint | None, bool]:
    """The complaint a message answers, and whether it answers one of our own e-mails (whose
    Message-ID only its recipients know) rather than naming a reference. A complaint whose
    personal data has been removed takes no new personal data: a message about it is
    registered as a new complaint instead."""
    found, answers_our_mail = _answered(mail)
    if found is None or found.anonymised_at is not None:
        return None, False
    return found, answers_our_mail


def _answered(mail: IncomingMail) -> tuple[Complaint | None, bool]:
    if mail.answered_ids:
        ours = (
            OutboxMessage.objects.filter(message_id__in=mail.answered_ids, complaint__isnull=False)
            .select_related("complaint")
            .first()
        )
        if ours is not None:
            return ours.complaint, True
    for reference in mail.references:
        found = Complaint.objects.filter(reference=reference).first()
        if found is not None:
            return found, False
    return None, False


def _from_complainant(mail: IncomingMail, complaint: Complaint) -> bool:
    return bool(complaint.email) and complaint.email.lower() == mail.from_address.lower()


@transaction.atomic
def add_held(*, inbound: InboundMessage, by: User) -> InboundMessage:
    """A person adds a held message to the complaint it names, as if it had answered it."""
    current = _held(inbound, by)
    complaint = current.complaint
    if complaint is None or complaint.anonymised_at is not None:
        raise ProcedureError(_("The complaint's personal data has been removed; nothing can be added to it."))
    with translation.override(settings.LANGUAGE_CODE):
        mail = parse(bytes(current.held_message or b""))
    if _first_copy(current.message_id) is not None:
        current.outcome = Outcome.DUPLICATE
    else:
        add_reply(complaint=complaint, mail=mail, received_at=current.received_at)
        current.outcome = Outcome.REPLY
    current.held_message, current.decided_by = None, by
    current.save(update_fields=["outcome", "held_message", "decided_by"])
    return current


@transaction.atomic
def reject_held(*, inbound: InboundMessage, by: User) -> InboundMessage:
    """A person decides a held message does not belong to the complaint: it is not added."""
    current = _held(inbound, by)
    current.outcome, current.held_message, current.decided_by = Outcome.REJECTED, None, by
    current.save(update_fields=["outcome", "held_message", "decided_by"])
    return current


def _held(inbound: InboundMessage, by: User) -> InboundMessage:
    if not by.has_role(Role.QUALITY_MANAGER):
        raise NotPermitted(_("Only the quality manager decides on held e-mail."))
    current = InboundMessage.objects.select_for_update(of=("self",)).select_related("complaint").get(pk=inbound.pk)
    if current.outcome != Outcome.HELD:
        raise ProcedureError(_("This e-mail has been decided on already."))
    return current


def checked_attachments(
    attachments: tuple[MailAttachmentIn, ...],
    *,
    room: tuple[int, int] | None = None,
) -> tuple[list[UploadedFile], list[tuple[str, str]]]:
    """The attachments that pass the same checks as form uploads, and (name, reason) for the rest.

    `room` is what an existing complaint still takes (files, bytes); a new complaint has the
    whole per-complaint allowance."""
    files_left, bytes_left = room or (settings.UPLOAD_MAX_FILES, settings.UPLOAD_MAX_TOTAL_BYTES)
    accepted: list[UploadedFile] = []
    refused: list[tuple[str, str]] = []
    total = 0
    for item in attachments:
        name = safe_display_name(item.filename)
        if len(accepted) >= files_left:
            refused.append((name, _("more than %(count)s attachments") % {"count": settings.UPLOAD_MAX_FILES}))
            continue
        if len(item.content) > settings.UPLOAD_MAX_FILE_BYTES or total + len(item.content) > bytes_left:
            refused.append((name, _("the file is too large")))
            continue
        try:
            kind = check_upload(name=name, data=item.content)
        except RejectedFile as error:
            refused.append((name, str(error)))
            continue
        total += len(item.content)
        accepted.append(UploadedFile(name=name, content=item.content, content_type=kind.content_type))
    return accepted, refused


def _note_refused(complaint: Complaint, sender: str, refused: list[tuple[str, str]]) -> None:
    for name, reason in refused:
        record_event(
            complaint=complaint,
            kind="attachment_refused",
            actor_label=sender,
            message=Sentence(
                gettext_noop('The attachment "%(name)s" from the e-mail was not accepted: %(reason)s.'),
                name=name,
                reason=reason,
            ),
            data={"name": name},
        )


def _sender_email(mail: IncomingMail) -> str:
    try:
        validate_email(mail.from_address)
    except ValidationError:
        return ""
    return mail.from_address


def complaint_from_mail(*, mail: IncomingMail, received_at: datetime) -> Complaint:
    accepted, refused = checked_attachments(mail.attachments)
    text = mail.text.strip() or _("(the e-mail has no text)")
    description = f"{_('Subject')}: {mail.subject}\n\n{text}" if mail.subject else text
    complaint, _created = register_complaint(
        channel=Channel.EMAIL,
        received_at=received_at,
        details=ComplaintDetails(
            name=(mail.from_name or mail.from_address)[:200],
            complaint_date=local_date(received_at),
            description=description,
            # The quality manager decides what it concerns; e-mail does not say.
            subject=Subject.SERVICE,
            email=_sender_email(mail),
            files=tuple(accepted),
        ),
    )
    _note_refused(complaint, mail.from_address, refused)
    return complaint


def add_reply(*, complaint: Complaint, mail: IncomingMail, received_at: datetime) -> None:
    """Put a reply on the complaint's timeline with its attachments and tell whoever handles it.
    Not on a restricted complaint (ProcessingRestricted): the message waits in the quarantine."""
    ensure_not_restricted(complaint)
    accepted, refused = checked_attachments(mail.attachments, room=attachment_room(complaint))
    stored = [store_attachment(complaint=complaint, upload=upload, by=None) for upload in accepted]
    from_complainant = _from_complainant(mail, complaint)
    record_event(
        complaint=complaint,
        kind="email_received",
        at=received_at,
        actor_label=f"{mail.from_name} <{mail.from_address}>" if mail.from_name else mail.from_address,
        message=Sentence(
            gettext_noop("E-mail received: %(subject)s\n\n%(text)s"), subject=mail.subject, text=mail.text.strip()
        ),
        visibility=Visibility.INTERNAL,
        data={
            "from": mail.from_address,
            "from_complainant": from_complainant,
            "auto_generated": mail.auto_generated,
            "attachments": [attachment.pk for attachment in stored],
        },
    )
    _note_refused(complaint, mail.from_address, refused)
    if not mail.auto_generated:
        notify_handler(complaint=complaint, mail=mail, from_complainant=from_complainant)


def notify_handler(*, complaint: Complaint, mail: IncomingMail, from_complainant: bool) -> None:
    """The assigned person hears of the reply; before assignment, the quality inbox."""
    assignee = complaint.assigned_to
    to = assignee.email if assignee is not None and assignee.email else get_organisation().quality_inbox
    recent = OutboxMessage.objects.filter(
        kind="email_reply_received",
        complaint=complaint,
        to=[to],
        created_at__gte=timezone.now() - settings.MAIL_NOTICE_PERIOD,
    )
    if recent.count() >= settings.MAIL_NOTICE_LIMIT:
        # The reply is on the timeline; the person has been told about this complaint's mail recently.
        logger.info("no notice about a reply to %s: %s sent in the last period", complaint.reference, recent.count())
        return
    context = {
        "complaint": complaint,
        "mail": mail,
        "from_complainant": from_complainant,
        "url": settings.SITE_URL + reverse("complaints:detail", args=[complaint.reference]),
    }
    queue_mail(
        kind="email_reply_received",
        notice=True,
        complaint=complaint,
        to=[to],
        subject=render_to_string("mailintake/mail/reply_received_subject.txt", context).strip(),
        text=render_to_string("mailintake/mail/reply_received.txt", context),
    )
