"""The complaint's life, one named atomic function per step. Each checks the state,
records the change on the timeline and reports it through the outbox when needed."""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from deadlines.rules import deadlines_for
from lib.dates import local_date
from organisation.selectors import closure_days, get_organisation

from .models import Attachment, Channel, Complaint, ReferenceCounter, Status, Subject, TimelineEvent, Visibility


class ProcedureError(Exception):
    """A step the procedure does not allow now; the message says why, for the user."""


@dataclass(frozen=True)
class UploadedFile:
    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class ComplaintDetails:
    """The complainant's own words, as the form asks them."""

    name: str
    complaint_date: date
    description: str
    subject: Subject
    company: str = ""
    about: str = ""
    email: str = ""
    postal_address: str = ""
    phone: str = ""
    desired_outcome: str = ""
    files: tuple[UploadedFile, ...] = field(default=())


def format_reference(year: int, sequence: int) -> str:
    return f"KL-{year}-{sequence:05d}"


def next_sequence(year: int) -> int:
    """Hand out the next number for a year; concurrent callers are serialised on the row lock."""
    if not ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
                return 1
        except IntegrityError:
            ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    return ReferenceCounter.objects.get(year=year).last


def record_event(
    *,
    complaint: Complaint,
    kind: str,
    message: str,
    actor: User | None = None,
    actor_label: str = "",
    from_status: str = "",
    to_status: str = "",
    visibility: Visibility = Visibility.INTERNAL,
    data: dict[str, object] | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        complaint=complaint,
        at=at or timezone.now(),
        actor=actor,
        actor_label=actor_label,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        message=message,
        visibility=visibility,
        data=data or {},
    )


def store_attachment(*, complaint: Complaint, upload: UploadedFile, by: User | None) -> Attachment:
    attachment = Attachment(
        complaint=complaint,
        original_name=upload.name,
        content_type=upload.content_type,
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        uploaded_by=by,
    )
    attachment.file.save("upload", ContentFile(upload.content), save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


def register_complaint(
    *,
    channel: Channel,
    received_at: datetime,
    details: ComplaintDetails,
    by: User | None = None,
    received_by: User | None = None,
    submission_key: uuid.UUID | None = None,
) -> tuple[Complaint, bool]:
    """Register a complaint that came in through any channel.

    Returns (complaint, created). With a submission key that was used before, returns the
    complaint it created then, so a double click or a replayed form creates nothing new.

    1. Number it in its year of receipt and compute its three deadlines from the date of receipt.
    2. Store it with its attachments and a first timeline event.
    3. Write the notice to the quality inbox to the outbox, in the same transaction."""
    from intake.notifications import notify_quality_inbox

    if submission_key is not None:
        existing = Complaint.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    received_on = local_date(received_at)
    organisation = get_organisation()
    deadlines = deadlines_for(received_on=received_on, organisation=organisation, closure_days=closure_days())
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            sequence = next_sequence(received_on.year)
            complaint = Complaint.objects.create(
                reference=format_reference(received_on.year, sequence),
                receipt_year=received_on.year,
                sequence=sequence,
                channel=channel,
                status=Status.RECEIVED,
                received_at=received_at,
                registered_by=by,
                received_by=received_by or by,
                submission_key=submission_key,
                name=details.name,
                company=details.company,
                complaint_date=details.complaint_date,
                about=details.about,
                email=details.email,
                postal_address=details.postal_address,
                phone=details.phone,
                description=details.description,
                subject=details.subject,
                desired_outcome=details.desired_outcome,
                acknowledge_due=deadlines.acknowledge,
                contact_due=deadlines.contact,
                resolve_due=deadlines.resolve,
            )
            for upload in details.files:
                stored.append(store_attachment(complaint=complaint, upload=upload, by=by))
            record_event(
                complaint=complaint,
                kind="received",
                actor=by,
                actor_label="" if by else _("complainant"),
                to_status=Status.RECEIVED,
                message=_("Complaint received by %(channel)s.") % {"channel": Channel(channel).label},
                visibility=Visibility.PUBLIC,
                data={"channel": channel, "attachments": len(details.files)},
            )
            notify_quality_inbox(complaint=complaint)
    except BaseException as error:
        # Nothing is saved half: files written before the rollback go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        if not isinstance(error, IntegrityError):
            raise
        if submission_key is not None:
            # Two identical posts raced; the other one won.
            existing = Complaint.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing, False
        raise
    return complaint, True
