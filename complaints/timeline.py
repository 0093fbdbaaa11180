"""The complaint's timeline: every step writes what it did here."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User

from .models import Complaint, TimelineEvent, Visibility
from .queue_counts import work_changed


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
    # Every change to a complaint is told on its timeline; the "my work" counts follow it.
    work_changed()
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
