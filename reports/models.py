from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.exports import ACTIVE, BackgroundExport


class ExportKind(models.TextChoices):
    COMPLAINTS = "complaints", _("Anonymised list of complaints")
    REVIEW = "review", _("Management review")


class ReportExport(BackgroundExport):
    """The anonymised list of complaints of a period, or the management review, made by the
    worker rather than in the request (a year takes seconds, as XLSX tens of seconds)."""

    kind = models.CharField(max_length=10, choices=ExportKind.choices, default=ExportKind.COMPLAINTS)
    fmt = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX"), ("pdf", "PDF")])
    # CSV only: semicolons and decimal commas for Dutch Excel, else RFC 4180.
    dutch_excel = models.BooleanField(default=True)
    period_start = models.DateField()
    period_end = models.DateField()
    period_key = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            # A second click while one is being made does not start a second one.
            models.UniqueConstraint(
                fields=["requested_by", "kind", "fmt", "dutch_excel", "period_start", "period_end"],
                condition=Q(status__in=ACTIVE),
                name="report_export_once_at_a_time",
            )
        ]


class DailyFigures(models.Model):
    """The report figures of the complaints received on one (local) day; see reports.daily."""

    day = models.DateField(unique=True)
    figures = models.JSONField()
    # The lead times to each step in seconds, in order, packed as 32-bit integers (see
    # reports.daily.pack): a year of them is read in milliseconds, as JSON numbers it took 0.2 s.
    acknowledge_seconds = models.BinaryField(default=b"")
    contact_seconds = models.BinaryField(default=b"")
    resolve_seconds = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return self.day.isoformat()


class StaleDay(models.Model):
    """A day whose DailyFigures a change has made out of date."""

    day = models.DateField(primary_key=True)

    def __str__(self) -> str:
        return self.day.isoformat()
