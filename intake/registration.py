"""Registering a complaint that came in through any channel: the web form, a call or letter
typed in by the back office, an e-mail, the API."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from complaints.attachments import UploadedFile, store_attachment
from complaints.models import Attachment, Channel, Complaint, ReferenceCounter, Status, Subject, Visibility
from complaints.sentences import Sentence
from complaints.timeline import record_event
from deadlines.rules import deadlines_for
from lib.dates import local_date
from organisation.selectors import closure_days, get_organisation

from .notifications import announce_after_commit


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


NEXT_SEQUENCE_SQL = 'UPDATE "complaints_referencecounter" SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"'


def next_sequence(year: int) -> int:
    """Hand out the next number for a year; concurrent callers are serialised on the row lock.

    One statement raises the counter and reads it back (UPDATE ... RETURNING, which both
    PostgreSQL and SQLite have): the public form numbers every complaint through here."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_SEQUENCE_SQL, [year])
        row = cursor.fetchone()
        if row is not None:
            return int(row[0])
    try:
        with transaction.atomic():
            ReferenceCounter.objects.create(year=year, last=1)
            return 1
    except IntegrityError:
        # Another registration created the year's counter at the same moment.
        with connection.cursor() as cursor:
            cursor.execute(NEXT_SEQUENCE_SQL, [year])
            row = cursor.fetchone()
        assert row is not None
        return int(row[0])


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

    1. Number it in its year of receipt and compute its three deadlines from the date of receipt,
       as the procedure in force counts them.
    2. Store it with its attachments and a first timeline event.
    3. Mark it for the notice to the quality inbox, which the worker writes after commit."""
    # A key used before is caught by its unique constraint when the complaint is stored, not
    # looked up first: almost every post is new, and the lookup would cost each one a query.
    received_on = local_date(received_at)
    organisation = get_organisation()
    # The procedure in force now; the complaint keeps it, whatever is chosen later.
    procedure = organisation.procedure
    deadlines = deadlines_for(
        received_on=received_on, organisation=organisation, closure_days=closure_days(), procedure=procedure
    )
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
                inbox_notice_pending=True,
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
                procedure=procedure,
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
                message=Sentence(gettext_noop("Complaint received by %(channel)s."), channel=Channel(channel).label),
                visibility=Visibility.PUBLIC,
                data={
                    "channel": channel,
                    "attachments": len(details.files),
                    "registered_at": timezone.now().isoformat(),
                },
                # When it reached us, not when it was typed in: a letter is registered days later.
                at=complaint.received_at,
            )
            announce_after_commit(complaint)
    except BaseException as error:
        # Nothing is saved half: files written before the rollback go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        if not isinstance(error, IntegrityError):
            raise
        if submission_key is not None:
            # Posted before, or two identical posts raced and the other one won.
            existing = Complaint.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing, False
        raise
    return complaint, True
