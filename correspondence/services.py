"""Letters to the complainant, from draft to the document that went out, and the
complainant's own status page. One named atomic function per step, each with its actor."""

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from complaints import rules
from complaints.errors import NotPermitted, ProcedureError
from complaints.models import Complaint, Contact, ContactKind, ContactStatus, Status, Visibility
from complaints.sentences import Sentence
from complaints.services import acknowledge, mark_confirmation_sent, record_invitation_sent
from complaints.timeline import record_event
from organisation.privacy import privacy_summary
from organisation.selectors import get_organisation
from outbox.models import MessageStatus
from outbox.services import MailAttachment, queue_mail

from . import calendar_invite
from .defaults import DEFAULT_TEMPLATES
from .models import Letter, LetterKind, LetterStatus, LetterTemplate, SendChannel
from .placeholders import substitute, unknown_placeholders, values_for
from .renderer import generate
from .status import issue_status_link, no_address_message, status_url

logger = logging.getLogger(__name__)


# Templates -----------------------------------------------------------------------------


def get_template(kind: str) -> LetterTemplate:
    """The template of a kind; seeded by a migration, recreated from the defaults if missing."""
    subject, body = DEFAULT_TEMPLATES[kind]
    template, _created = LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})
    return template


def check_template_text(text: str) -> None:
    unknown = unknown_placeholders(text)
    if unknown:
        raise ProcedureError(
            _("Unknown placeholder(s): %(names)s. Use only the placeholders listed next to the text.")
            % {"names": ", ".join("{" + name + "}" for name in unknown)}
        )


def update_template(*, kind: str, by: User, subject: str, body: str) -> LetterTemplate:
    if not rules.is_quality_manager(by):
        raise ProcedureError(_("Only the quality manager changes the letter templates."))
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ProcedureError(_("A letter template needs a subject and a text."))
    check_template_text(subject)
    check_template_text(body)
    with transaction.atomic():
        template = get_template(kind)
        template.subject = subject
        template.body = body
        template.updated_by = by
        template.save()
    return template


# Which letters make sense now ------------------------------------------------------------


@dataclass(frozen=True)
class LetterOffer:
    kind: LetterKind
    contact: Contact | None = None

    @property
    def label(self) -> str:
        return str(self.kind.label)


def may_write(user: User, complaint: Complaint, kind: str) -> bool:
    # The acknowledgement is the quality manager's step; the others belong to whoever handles it.
    if kind == LetterKind.ACKNOWLEDGEMENT:
        return rules.is_quality_manager(user) and rules.handles(user, complaint)
    return rules.handles(user, complaint)


def _sent(complaint: Complaint, kind: str) -> list[Letter]:
    return [letter for letter in complaint.letters.all() if letter.kind == kind and letter.status == LetterStatus.SENT]


def letter_offers(complaint: Complaint) -> list[LetterOffer]:
    """The letters the complaint's state calls for now, whoever may write them."""
    if complaint.anonymised_at is not None:
        return []
    offers: list[LetterOffer] = []
    is_open = complaint.status in (Status.RECEIVED, Status.IN_PROGRESS)
    # Also after the step was recorded by hand: only this letter carries the status link.
    if is_open and not _sent(complaint, LetterKind.ACKNOWLEDGEMENT):
        offers.append(LetterOffer(LetterKind.ACKNOWLEDGEMENT))
    meetings = [contact for contact in complaint.contacts.all() if contact.kind == ContactKind.MEETING]
    invitations = _sent(complaint, LetterKind.INVITATION)
    cancellations = _sent(complaint, LetterKind.CANCELLATION)
    for meeting in meetings:
        invited = [letter for letter in invitations if letter.contact_id == meeting.pk]
        if is_open and meeting.status == ContactStatus.PLANNED:
            if not any(letter.ics_sequence == meeting.sequence for letter in invited):
                offers.append(LetterOffer(LetterKind.INVITATION, meeting))
        elif (
            meeting.status == ContactStatus.CANCELLED
            and invited
            and not any(letter.contact_id == meeting.pk for letter in cancellations)
        ):
            offers.append(LetterOffer(LetterKind.CANCELLATION, meeting))
    if is_open and complaint.conversation_at is not None and complaint.confirmed_at is None:
        offers.append(LetterOffer(LetterKind.CONFIRMATION))
    if is_open and complaint.resolve_extension_reason:
        notified = {letter.data.get("resolve_due") for letter in _sent(complaint, LetterKind.EXTENSION)}
        if complaint.resolve_due.isoformat() not in notified:
            offers.append(LetterOffer(LetterKind.EXTENSION))
    if complaint.status == Status.CLOSED and complaint.closed_at is not None:
        closings = {letter.data.get("closed_at") for letter in _sent(complaint, LetterKind.CLOSING)}
        if complaint.closed_at.isoformat() not in closings:
            offers.append(LetterOffer(LetterKind.CLOSING))
    if complaint.status == Status.WITHDRAWN and complaint.closed_at is not None:
        confirmed = {letter.data.get("closed_at") for letter in _sent(complaint, LetterKind.WITHDRAWAL)}
        if complaint.closed_at.isoformat() not in confirmed:
            offers.append(LetterOffer(LetterKind.WITHDRAWAL))
    return offers


def _facts(complaint: Complaint, kind: str, contact: Contact | None) -> dict[str, object]:
    """What the letter is about, kept with it so the offer disappears once it is sent (and a
    draft written for a meeting that has since moved is not sent with the old time)."""
    if contact is not None:
        return {"contact_sequence": contact.sequence}
    if kind == LetterKind.EXTENSION:
        return {"resolve_due": complaint.resolve_due.isoformat()}
    if kind in (LetterKind.CLOSING, LetterKind.WITHDRAWAL) and complaint.closed_at is not None:
        return {"closed_at": complaint.closed_at.isoformat()}
    return {}


# Drafts --------------------------------------------------------------------------------


def draft_letter(*, complaint: Complaint, kind: str, by: User, contact: Contact | None = None) -> Letter:
    """Open the draft of a kind of letter (the existing draft if there is one).

    1. Check the user may write it and the complaint's state calls for it.
    2. Fill the kind's template with the complaint's values (one pass, values never parsed)."""
    if kind not in LetterKind.values:
        raise ProcedureError(_("Unknown kind of letter."))
    if not may_write(by, complaint, kind):
        raise rules_error(kind)
    offers = letter_offers(complaint)
    offer = next(
        (o for o in offers if o.kind == kind and (contact is None or (o.contact and o.contact.pk == contact.pk))),
        None,
    )
    existing = complaint.letters.filter(kind=kind, status=LetterStatus.DRAFT).first()
    if existing is not None:
        return existing
    if offer is None:
        raise ProcedureError(
            _("A letter of this kind is not called for now (%(kind)s).") % {"kind": LetterKind(kind).label}
        )
    organisation = get_organisation()
    template = get_template(kind)
    values = values_for(complaint, organisation=organisation, contact=offer.contact)
    subject, body = substitute(template.subject, values), substitute(template.body, values)
    if kind == LetterKind.INVITATION and offer.contact is not None and offer.contact.sequence > 0:
        subject, body = _as_moved(subject, body)
    letter = Letter(
        complaint=complaint,
        kind=kind,
        contact=offer.contact,
        subject=subject,
        body=body,
        created_by=by,
        data=_facts(complaint, kind, offer.contact),
    )
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        # Someone opened the same draft a moment earlier.
        return complaint.letters.get(kind=kind, status=LetterStatus.DRAFT)
    return letter


def _as_moved(subject: str, body: str) -> tuple[str, str]:
    """The invitation for a meeting that was moved says so, after the salutation."""
    with translation.override("nl"):
        subject = _("Changed: %(subject)s") % {"subject": subject}
        notice = _(
            "We have moved the meeting about your complaint. The new appointment is below; the earlier one lapses."
        )
    salutation, separator, rest = body.partition("\n\n")
    body = f"{salutation}\n\n{notice}\n\n{rest}" if separator else f"{notice}\n\n{body}"
    return subject, body


def rules_error(kind: str) -> ProcedureError:
    if kind == LetterKind.ACKNOWLEDGEMENT:
        return NotPermitted(_("Only the quality manager sends the acknowledgement."))
    return NotPermitted(_("Only the responsible person or the quality manager sends letters about this complaint."))


def _locked_draft(letter: Letter, by: User) -> Letter:
    current = Letter.objects.select_for_update(of=("self",)).select_related("complaint").get(pk=letter.pk)
    if current.status != LetterStatus.DRAFT:
        raise ProcedureError(_("This letter has already been sent; it cannot change any more."))
    if not may_write(by, current.complaint, current.kind):
        raise rules_error(current.kind)
    return current


def save_draft(*, letter: Letter, by: User, subject: str, body: str) -> Letter:
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ProcedureError(_("A letter needs a subject and a text."))
    with transaction.atomic():
        current = _locked_draft(letter, by)
        current.subject = subject
        current.body = body
        current.save(update_fields=["subject", "body"])
    letter.subject, letter.body = subject, body
    return letter


def discard_draft(*, letter: Letter, by: User) -> None:
    with transaction.atomic():
        _locked_draft(letter, by).delete()


# Sending -------------------------------------------------------------------------------


def _mail_for(letter: Letter, *, link: str, has_calendar: bool) -> tuple[str, str, str]:
    organisation = get_organisation()
    context = {
        "letter": letter,
        "complaint": letter.complaint,
        "organisation": organisation,
        "status_url": link,
        "has_calendar": has_calendar,
        "privacy": privacy_summary(organisation),
    }
    subject = f"{letter.subject} ({letter.complaint.reference})"
    return (
        subject,
        render_to_string("correspondence/mail/letter.txt", context),
        render_to_string("correspondence/mail/letter.html", context),
    )


def _calendar(letter: Letter) -> tuple[MailAttachment | None, str]:
    contact = letter.contact
    if letter.kind not in (LetterKind.INVITATION, LetterKind.CANCELLATION) or contact is None:
        return None, ""
    method = calendar_invite.CANCEL if letter.kind == LetterKind.CANCELLATION else calendar_invite.REQUEST
    if method == calendar_invite.REQUEST and contact.status != ContactStatus.PLANNED:
        raise ProcedureError(_("The meeting is no longer planned; send a cancellation instead."))
    if method == calendar_invite.REQUEST and letter.data.get("contact_sequence", contact.sequence) != contact.sequence:
        raise ProcedureError(
            _("The meeting was changed after this draft was written; delete the draft and write the letter again.")
        )
    ics = calendar_invite.meeting_ics(
        contact=contact,
        complaint=letter.complaint,
        organisation=get_organisation(),
        method=method,
        summary=_("Meeting about your complaint %(reference)s") % {"reference": letter.complaint.reference},
    )
    letter.ics_uid = calendar_invite.event_uid(contact)
    letter.ics_sequence = contact.sequence
    letter.ics_method = method
    filename = "afzegging.ics" if method == calendar_invite.CANCEL else "uitnodiging.ics"
    return MailAttachment(filename, ics, f"text/calendar; method={method}"), method


def _meet_procedure_step(letter: Letter, *, by: User) -> None:
    complaint = letter.complaint
    if letter.kind == LetterKind.ACKNOWLEDGEMENT and complaint.acknowledged_at is None:
        acknowledge(complaint=complaint, by=by, at=letter.sent_at)
    elif letter.kind == LetterKind.CONFIRMATION and complaint.confirmed_at is None:
        mark_confirmation_sent(complaint=complaint, by=by, at=letter.sent_at)
    elif letter.kind == LetterKind.INVITATION:
        assert letter.sent_at is not None
        record_invitation_sent(complaint=complaint, by=by, at=letter.sent_at)


def send_letter(*, letter: Letter, by: User) -> Letter:
    """Send a reviewed draft: by e-mail when the complainant gave an address, else by post.

    1. Lock the draft and the complaint; check the letter is still called for.
    2. Render the PDF once and store it with its SHA-256: this file is what went out.
    3. Meet the matching step of the procedure (acknowledgement, confirmation) at the send time.
    4. Write the e-mail (PDF, and .ics for a meeting) to the outbox, and one public timeline event."""
    with translation.override("nl"), transaction.atomic():
        current = _locked_draft(letter, by)
        complaint = Complaint.objects.select_for_update().get(pk=current.complaint_id)
        current.complaint = complaint
        if complaint.anonymised_at is not None:
            raise ProcedureError(_("The personal data of this complaint has been removed; no letter can go out."))
        if current.kind == LetterKind.CLOSING and complaint.status != Status.CLOSED:
            raise ProcedureError(_("The complaint is not closed; the closing letter cannot go out."))
        if current.kind == LetterKind.WITHDRAWAL and complaint.status != Status.WITHDRAWN:
            raise ProcedureError(_("The complaint has not been withdrawn; this letter cannot go out."))
        after_the_end = (LetterKind.CLOSING, LetterKind.CANCELLATION, LetterKind.WITHDRAWAL)
        if current.kind not in after_the_end and not complaint.is_open:
            raise ProcedureError(_("The complaint is no longer open; this letter cannot go out."))
        if current.contact_id is not None:
            current.contact = Contact.objects.select_for_update().get(pk=current.contact_id)
        now = timezone.now()
        current.sent_at = now
        current.sent_by = by
        current.status = LetterStatus.SENT
        current.channel = SendChannel.EMAIL if complaint.email else SendChannel.POST
        if current.channel == SendChannel.POST and not complaint.postal_address.strip():
            raise ProcedureError(no_address_message())
        link = status_url(issue_status_link(complaint=complaint)) if current.kind == LetterKind.ACKNOWLEDGEMENT else ""
        calendar_attachment, _method = _calendar(current)
        filename, mimetype, pdf = generate(current, status_url=link)
        current.filename = filename
        current.sha256 = hashlib.sha256(pdf).hexdigest()
        current.pdf.save("letter.pdf", ContentFile(pdf), save=False)
        try:
            current.save()
            _meet_procedure_step(current, by=by)
            if current.channel == SendChannel.EMAIL:
                subject, text, html = _mail_for(current, link=link, has_calendar=calendar_attachment is not None)
                attachments = [MailAttachment(filename, pdf, mimetype)]
                if calendar_attachment is not None:
                    attachments.append(calendar_attachment)
                current.outbox_message = queue_mail(
                    kind=f"letter_{current.kind}",
                    complaint=complaint,
                    to=[complaint.email],
                    subject=subject,
                    text=text,
                    html=html,
                    reply_to=get_organisation().quality_inbox,
                    attachments=tuple(attachments),
                    # The acknowledgement answers the complainant's own message.
                    auto_submitted="auto-replied" if current.kind == LetterKind.ACKNOWLEDGEMENT else "auto-generated",
                    headers={"X-Auto-Response-Suppress": "All"},
                )
                current.save(update_fields=["outbox_message"])
                told = Sentence(gettext_noop("Letter sent by e-mail: %(subject)s"), subject=current.subject)
            else:
                told = Sentence(gettext_noop("Letter sent by post: %(subject)s"), subject=current.subject)
            record_event(
                complaint=complaint,
                kind="letter_sent",
                actor=by,
                message=told,
                visibility=Visibility.PUBLIC,
                data={"letter": current.pk, "kind": current.kind, "channel": current.channel, "sha256": current.sha256},
                at=now,
            )
        except BaseException:
            # The transaction rolls back; the file written for it goes too.
            current.pdf.delete(save=False)
            raise
    return current


def send_by_post_instead(*, letter: Letter, by: User) -> Letter:
    """After an e-mail could not be delivered: someone prints the stored PDF and posts it."""
    with transaction.atomic():
        current = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("complaint", "outbox_message")
            .get(pk=letter.pk)
        )
        if not may_write(by, current.complaint, current.kind) and not rules.is_quality_manager(by):
            raise rules_error(current.kind)
        message = current.outbox_message
        if current.status != LetterStatus.SENT or message is None or message.status != MessageStatus.FAILED:
            raise ProcedureError(_("Only a letter whose e-mail could not be delivered is sent by post instead."))
        if current.post_fallback_at is not None:
            raise ProcedureError(_("This letter is already marked to be sent by post."))
        current.post_fallback_at = timezone.now()
        current.post_fallback_by = by
        current.save(update_fields=["post_fallback_at", "post_fallback_by"])
        record_event(
            complaint=current.complaint,
            kind="letter_post_fallback",
            actor=by,
            message=Sentence(
                gettext_noop('The e-mail with "%(subject)s" could not be delivered; the letter will be sent by post.'),
                subject=current.subject,
            ),
            data={"letter": current.pk, "outbox_message": message.pk},
            at=current.post_fallback_at,
        )
    return current


# The complainant's status page -----------------------------------------------------------
