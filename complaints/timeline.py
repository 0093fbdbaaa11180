"""The complaint's timeline: every step writes what it did here."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User

from .models import Complaint, TimelineEvent, Visibility
from .queue_counts import work_changed
from .sentences import Sentence, in_organisation_language, stored


def record_event(
    *,
    complaint: Complaint,
    kind: str,
    message: Sentence | list[Sentence],
    actor: User | None = None,
    actor_label: str = "",
    from_status: str = "",
    to_status: str = "",
    visibility: Visibility = Visibility.INTERNAL,
    data: dict[str, object] | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """`message`: what happened, as a Sentence (complaints/sentences.py) that each reader reads
    in their own language; the event's `message` column keeps it in the organisation's."""
    # Every change to a complaint is told on its timeline; the "my work" counts follow it.
    work_changed()
    sentence = stored(message)
    return TimelineEvent.objects.create(
        complaint=complaint,
        at=at or timezone.now(),
        actor=actor,
        actor_label=actor_label,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        message=in_organisation_language(sentence),
        visibility=visibility,
        data={**(data or {}), "sentence": sentence},
    )
