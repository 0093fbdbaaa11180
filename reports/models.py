import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("being made")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ExportKind(models.TextChoices):
    COMPLAINTS = "complaints", _("Anonymised list of complaints")
    REVIEW = "review", _("Management review")


def export_path(instance: "ReportExport", filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}"


class ReportExport(models.Model):
    """The anonymised list of complaints of a period, or the management review, made by the
    worker rather than in the request (a year takes seconds, as XLSX tens of seconds). Only who
    asked downloads it; it is removed after settings.REPORT_EXPORT_KEEP_HOURS."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=ExportKind.choices, default=ExportKind.COMPLAINTS)
    fmt = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX"), ("pdf", "PDF")])
    # CSV only: semicolons and decimal commas for Dutch Excel, else RFC 4180.
    dutch_excel = models.BooleanField(default=True)
    period_start = models.DateField()
    period_end = models.DateField()
    period_key = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    filename = models.CharField(max_length=100)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A second click while one is being made does not start a second one.
            models.UniqueConstraint(
                fields=["requested_by", "kind", "fmt", "dutch_excel", "period_start", "period_end"],
                condition=Q(status__in=ACTIVE),
                name="report_export_once_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0


class DailyFigures(models.Model):
    """The report figures of the complaints received on one (local) day; see reports.daily."""

    day = models.DateField(unique=True)
    figures = models.JSONField()

    def __str__(self) -> str:
        return self.day.isoformat()


class StaleDay(models.Model):
    """A day whose DailyFigures a change has made out of date."""

    day = models.DateField(primary_key=True)

    def __str__(self) -> str:
        return self.day.isoformat()
