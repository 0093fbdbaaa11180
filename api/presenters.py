"""Turning complaints into the API's response shapes, including "was each deadline met"."""

from datetime import date, datetime

from django.utils import timezone

from complaints.models import Complaint, TimelineEvent
from lib.dates import local_date


def deadline(due: date, done_at: datetime | None, today: date) -> dict[str, object]:
    if done_at is not None:
        met: bool | None = local_date(done_at) <= due
        overdue = False
    else:
        overdue = due < today
        met = False if overdue else None
    return {"due": due, "done_at": done_at, "met": met, "overdue": overdue}


def deadlines(complaint: Complaint, today: date) -> dict[str, dict[str, object]]:
    # A withdrawn complaint has no resolution deadline running any more; its closing moment counts.
    resolved_at = complaint.closed_at
    result = {
        "acknowledge": deadline(complaint.acknowledge_due, complaint.acknowledged_at, today),
        "contact": deadline(complaint.contact_due, complaint.first_contact_at, today),
        "resolve": deadline(complaint.resolve_due, resolved_at, today),
    }
    if not complaint.is_open:
        for item in result.values():
            item["overdue"] = False
            if item["met"] is None:
                item["met"] = False
    return result


def summary(complaint: Complaint, today: date | None = None) -> dict[str, object]:
    today = today or timezone.localdate()
    return {
        "reference": complaint.reference,
        "channel": complaint.channel,
        "status": complaint.status,
        "received_at": complaint.received_at,
        # Need to know: in their list, back office staff keep the reference and status of what
        # they registered, but not its contents once it is handed over.
        "name": complaint.name if getattr(complaint, "contents_visible", True) else None,
        "subject": complaint.subject,
        "assigned_to": complaint.assigned_to.username if complaint.assigned_to_id else None,  # type: ignore[union-attr]
        "acknowledge_due": complaint.acknowledge_due,
        "contact_due": complaint.contact_due,
        "resolve_due": complaint.resolve_due,
        "overdue": any(item["overdue"] for item in deadlines(complaint, today).values()),
    }


def event(item: TimelineEvent) -> dict[str, object]:
    return {
        "at": item.at,
        "kind": item.kind,
        "actor": item.actor_name,
        "from_status": item.from_status,
        "to_status": item.to_status,
        "message": item.message,
        "visibility": item.visibility,
    }


def detail(complaint: Complaint) -> dict[str, object]:
    today = timezone.localdate()
    fields = [
        "registered_at",
        "company",
        "complaint_date",
        "about",
        "email",
        "postal_address",
        "phone",
        "description",
        "desired_outcome",
        "assigned_at",
        "acknowledged_at",
        "first_contact_at",
        "conversation_at",
        "confirmed_at",
        "closed_at",
        "outcome",
        "resolution",
        "complainant_agrees",
        "anonymised_at",
    ]
    return {
        **summary(complaint, today),
        **{name: getattr(complaint, name) for name in fields},
        "registered_by": complaint.registered_by.username if complaint.registered_by_id else None,  # type: ignore[union-attr]
        "about_staff": [person.username for person in complaint.linked_staff],
        "deadlines": deadlines(complaint, today),
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "uploaded_at": attachment.uploaded_at,
            }
            for attachment in complaint.attachments.all()
        ],
        "timeline": [event(item) for item in complaint.events.select_related("actor")],
    }
