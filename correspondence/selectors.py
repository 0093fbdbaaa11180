"""Reading letters and the complainant's view of their complaint."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from complaints.models import Complaint, Status, TimelineEvent, Visibility

from .models import Letter, LetterStatus, StatusLink
from .status import hash_token, usable_complaint

# token_urlsafe(32): 43 characters of the URL-safe alphabet. Anything else is not a token.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Where the complainant's status session keeps the link it was started with.
STATUS_SESSION_KEY = "status_link"


def _usable(complaint: Complaint | None) -> Complaint:
    usable = usable_complaint(complaint)
    if usable is None:
        raise Http404
    return usable


def link_for_token(token: str) -> StatusLink:
    """The status link behind a token, used or not, or 404 without saying why (wrong, expired,
    anonymised)."""
    if not TOKEN_PATTERN.match(token):
        raise Http404
    link = StatusLink.objects.select_related("complaint__assigned_to").filter(token_hash=hash_token(token)).first()
    if link is None:
        raise Http404
    _usable(link.complaint)
    return link


def complaint_for_session(session: SessionBase) -> Complaint:
    """The complaint of the complainant's status session, or 404. The session holds the link's
    hash, so a newer link for the complaint ends it."""
    held = session.get(STATUS_SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("link"), int):
        raise Http404
    link = (
        StatusLink.objects.select_related("complaint__assigned_to")
        .filter(pk=held["link"], token_hash=str(held.get("hash")), claimed_at__isnull=False)
        .first()
    )
    return _usable(link.complaint if link is not None else None)


def sent_letters(complaint: Complaint) -> QuerySet[Letter]:
    return complaint.letters.filter(status=LetterStatus.SENT).order_by("sent_at", "pk")


def public_events(complaint: Complaint) -> QuerySet[TimelineEvent]:
    # Only what the complainant may see; never the actor (staff names stay inside).
    return complaint.events.filter(visibility=Visibility.PUBLIC).only("at", "message", "kind")


@dataclass(frozen=True)
class Step:
    label: str
    done_on: datetime | date | None
    due: date | None = None
    detail: str = ""

    @property
    def done(self) -> bool:
        return self.done_on is not None


def procedure_steps(complaint: Complaint) -> list[Step]:
    """Where the complaint stands, step by step as the published procedure describes it."""
    person = complaint.assigned_to
    handler = ""
    if person is not None:
        handler = f"{person.display_name}, {person.job_title}" if person.job_title else person.display_name
    finished = complaint.status in (Status.CLOSED, Status.WITHDRAWN)
    return [
        Step(_("Complaint received"), complaint.received_at),
        Step(_("Written acknowledgement"), complaint.acknowledged_at, complaint.acknowledge_due),
        Step(_("Handed to a responsible person"), complaint.assigned_at, None, handler),
        Step(
            _("Contact with you: a call, or an invitation to a meeting"),
            complaint.first_contact_at,
            complaint.contact_due,
        ),
        Step(_("Conversation with you"), complaint.conversation_at),
        Step(_("Written confirmation of the conversation and agreements"), complaint.confirmed_at),
        Step(
            _("Complaint withdrawn") if complaint.status == Status.WITHDRAWN else _("Complaint resolved and closed"),
            complaint.closed_at,
            None if finished else complaint.resolve_due,
        ),
    ]


def upcoming_deadlines(complaint: Complaint) -> list[Step]:
    if not complaint.is_open:
        return []
    return [step for step in procedure_steps(complaint) if step.due is not None and not step.done]
