"""A change to a complaint, its classification or its survey makes the day the complaint was
received stale for the reports (reports.daily). Bulk updates bypass these signals: code that
changes reported fields with `QuerySet.update()` calls `daily.mark_stale` itself."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from complaints.models import Complaint
from quality.models import Classification, SurveyInvitation

from . import daily


@receiver([post_save, post_delete], sender=Complaint, dispatch_uid="reports_complaint_changed")
def complaint_changed(sender: type, instance: Complaint, **kwargs: Any) -> None:
    daily.mark_stale(instance.received_at)


@receiver([post_save, post_delete], sender=Classification, dispatch_uid="reports_classification_changed")
@receiver([post_save, post_delete], sender=SurveyInvitation, dispatch_uid="reports_survey_changed")
def part_changed(sender: type, instance: Classification | SurveyInvitation, **kwargs: Any) -> None:
    received_at = Complaint.objects.filter(pk=instance.complaint_id).values_list("received_at", flat=True).first()
    daily.mark_stale(received_at)
