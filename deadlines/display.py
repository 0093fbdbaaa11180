"""The three deadlines of a complaint as they stand today, for pages and lists."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from complaints.models import Complaint, Status
from lib.dates import local_date
from organisation.selectors import closure_days

from .models import DEADLINE_FIELDS, DeadlineKind
from .status import DeadlineStatus, deadline_status


@dataclass(frozen=True)
class ComplaintDeadline:
    kind: DeadlineKind
    status: DeadlineStatus

    @property
    def label(self) -> str:
        return str(self.kind.label)


def calendar_for(request: HttpRequest | None) -> tuple[date, frozenset[date]]:
    """Today and the closure days, read once per request however many complaints a page shows."""
    cached = getattr(request, "_deadline_calendar", None)
    if cached is None:
        cached = (local_date(timezone.now()), closure_days())
        if request is not None:
            request._deadline_calendar = cached  # type: ignore[attr-defined]
    return cached


def complaint_deadlines(
    complaint: Complaint, *, today: date, closure_days: Collection[date]
) -> list[ComplaintDeadline]:
    result = []
    for kind, (due_field, met_field) in DEADLINE_FIELDS.items():
        met_at = getattr(complaint, met_field)
        if kind == DeadlineKind.RESOLVE and complaint.status != Status.CLOSED:
            # A withdrawal ends the complaint but does not resolve it.
            met_at = None
        status = deadline_status(
            due=getattr(complaint, due_field),
            met_at=met_at,
            today=today,
            closure_days=closure_days,
            active=complaint.is_open,
        )
        result.append(ComplaintDeadline(kind=kind, status=status))
    return result


def next_open_deadline(deadlines: list[ComplaintDeadline]) -> ComplaintDeadline | None:
    pending = [d for d in deadlines if d.status.is_open]
    return min(pending, key=lambda d: d.status.due) if pending else None
