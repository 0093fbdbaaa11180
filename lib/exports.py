"""Files made in the background for one person: the anonymised list of complaints, the
management review, a data subject's export. The worker makes the file and writes its
progress as it goes; the person who asked watches the progress, downloads the file, and the
file is removed after settings.EXPORT_KEEP_HOURS."""

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("being made")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def export_path(instance: models.Model, filename: str) -> str:
    # A random name on disk: the file name a person sees is in `filename`.
    return f"exports/{uuid.uuid4().hex}"


class BackgroundExport(models.Model):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    filename = models.CharField(max_length=100)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    def progress(self) -> dict[str, Any]:
        """Where the export stands, for the progress page's script."""
        return {
            "status": self.status,
            "status_label": capfirst(self.get_status_display()),
            "rows_done": self.rows_done,
            "rows_total": self.rows_total,
            "percent": self.percent,
        }

    @classmethod
    def make(cls, pk: int, write: Callable[[Self], None]) -> None:
        """Claim a queued export and let `write` save its file; a failure is recorded, never
        retried silently, and a second run of the same task finds nothing to do."""
        if not cls._default_manager.filter(pk=pk, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING):
            return
        export = cls._default_manager.get(pk=pk)
        try:
            write(export)
        except Exception:
            logger.exception("%s %s failed", cls._meta.model_name, pk)
            cls._default_manager.filter(pk=pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
            return
        export.status, export.finished_at = ExportStatus.DONE, timezone.now()
        export.save(update_fields=["file", "status", "finished_at", "rows_done", "rows_total"])

    def count_done(self, done: int) -> None:
        self.rows_done = done
        type(self)._default_manager.filter(pk=self.pk).update(rows_done=done)

    @classmethod
    def purge_expired(cls) -> int:
        """Remove the exports older than settings.EXPORT_KEEP_HOURS, files first."""
        cutoff = timezone.now() - timedelta(hours=settings.EXPORT_KEEP_HOURS)
        expired = list(cls._default_manager.filter(requested_at__lt=cutoff))
        for export in expired:
            if export.file:
                export.file.delete(save=False)
            export.delete()
        return len(expired)
