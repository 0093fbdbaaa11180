"""Helpers for the procedure tests: a complaint at a known moment, moved through its steps."""

from datetime import datetime
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Amsterdam time, as people in the organisation say it."""
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def classify(complaint, by) -> None:
    """Give the complaint a category, which closing requires (the quality loop's rule)."""
    from quality.models import Category
    from quality.services import classify as classify_complaint
    from quality.services import save_category

    category = Category.objects.filter(name="Planning", parent=None).first() or save_category(
        by=by, name="Planning", parent=None
    )
    classify_complaint(complaint=complaint, by=by, category=category)


def steps_done(complaint, quality_manager) -> None:
    """The acknowledgement and a first call, which closing requires (or a recorded reason)."""
    from django.utils import timezone

    from complaints import services

    complaint.refresh_from_db()
    moment = min(timezone.now(), complaint.received_at + (timezone.now() - complaint.received_at) / 2)
    if complaint.acknowledged_at is None:
        services.acknowledge(complaint=complaint, by=quality_manager, at=moment)
    if complaint.first_contact_at is None:
        services.log_call(complaint=complaint, by=quality_manager, at=moment, summary="Gebeld.")
