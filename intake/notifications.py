"""The notice to the quality inbox that a complaint came in.

Registration only marks the complaint (`inbox_notice_pending`) in its own transaction; right
after commit a task writes the notice to the outbox, so a complainant's post never waits for
rendering and storing a staff e-mail. The periodic catch-up writes any notice the task did
not (queue unreachable, worker stopped), so none is lost; the row lock and the flag make it
exactly once."""

from django.db import transaction
from django.tasks import task

from complaints.models import Complaint
from complaints.notices import queue_staff_notice
from organisation.selectors import get_organisation
from privacy.restriction import ProcessingRestricted

# Complaints the periodic catch-up announces per run; more wait for the next run.
CATCH_UP_BATCH = 500


def announce(complaint_pk: int) -> bool:
    """Write the notice of a newly registered complaint to the outbox, once. True if written."""
    try:
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().filter(pk=complaint_pk, inbox_notice_pending=True).first()
            if complaint is None:
                return False
            if complaint.anonymised_at is None:
                notify_quality_inbox(complaint=complaint)
            Complaint.objects.filter(pk=complaint.pk).update(inbox_notice_pending=False)
    except ProcessingRestricted:
        # Stored only while processing is restricted: the notice goes once it is lifted.
        return False
    return True


@task
def announce_complaint(complaint_pk: int) -> None:
    announce(complaint_pk)


def announce_pending() -> int:
    """The periodic catch-up: write the notices the task after registration has not."""
    pending = Complaint.objects.filter(inbox_notice_pending=True).order_by("pk").values_list("pk", flat=True)
    return sum(announce(pk) for pk in pending[:CATCH_UP_BATCH])


def announce_after_commit(complaint: Complaint) -> None:
    """Called in the registering transaction: have the worker write the notice after commit.
    If the queue cannot be reached the periodic catch-up writes it."""
    complaint_pk = complaint.pk
    transaction.on_commit(lambda: announce_complaint.enqueue(complaint_pk), robust=True)


def notify_quality_inbox(*, complaint: Complaint) -> None:
    """Tell the quality inbox a complaint came in: reference, channel, receipt, the first
    deadline and a link. Never the complainant's name, contact details or words: a mailbox is
    out of reach of the retention period and the access log."""
    queue_staff_notice(
        complaint=complaint,
        kind="new_complaint",
        address=get_organisation().quality_inbox,
        template="intake/mail/new_complaint",
        html=True,
    )
