"""The anonymised complaint list as background work: asked for on the reports page, made by
the task worker with its progress written as it goes, downloaded by who asked, then removed."""

import logging
import tempfile
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from complaints.models import Complaint

from . import exports
from .models import ACTIVE, ExportStatus, ReportExport
from .periods import Period

logger = logging.getLogger(__name__)

# Progress is written every so many rows: often enough to watch, rarely enough to cost nothing.
PROGRESS_EVERY = 2000


def request_export(*, user: User, period: Period, fmt: str, dutch_excel: bool = True) -> ReportExport:
    """The export this user asked for: the one already being made or ready for the same period
    and format, or a new one for the worker."""
    from .tasks import make_export_task

    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    wanted = {
        "requested_by": user,
        "fmt": fmt,
        "dutch_excel": dutch_excel or fmt != "csv",
        "period_start": period.start,
        "period_end": period.end,
    }
    same = ReportExport.objects.filter(**wanted)
    existing = same.filter(status__in=[*ACTIVE, ExportStatus.DONE]).order_by("-requested_at").first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            export = ReportExport.objects.create(
                **wanted, period_key=period.key, filename=f"klachten-geanonimiseerd-{period.slug}.{fmt}"
            )
    except IntegrityError:
        # Two clicks at once: the other one made it.
        return same.filter(status__in=ACTIVE).get()
    transaction.on_commit(lambda: make_export_task.enqueue(export.pk))
    return export


def period_of(export: ReportExport) -> Period:
    from .periods import custom, from_key

    if export.period_key:
        period = from_key(export.period_key, today=timezone.localdate())
        if period is not None and (period.start, period.end) == (export.period_start, export.period_end):
            return period
    return custom(export.period_start, export.period_end)


def _counted(rows: Iterable[list[object]], export: ReportExport) -> Iterator[list[object]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            ReportExport.objects.filter(pk=export.pk).update(rows_done=done)
    export.rows_done = done


def make_export(pk: int) -> None:
    """Write the file, reporting progress; a failure is recorded, never retried silently."""
    claimed = ReportExport.objects.filter(pk=pk, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    if not claimed:
        return
    export = ReportExport.objects.get(pk=pk)
    period = period_of(export)
    start, end = period.bounds()
    export.rows_total = Complaint.objects.filter(received_at__gte=start, received_at__lt=end).count()
    ReportExport.objects.filter(pk=pk).update(rows_total=export.rows_total)
    try:
        with tempfile.TemporaryFile() as handle:
            rows = _counted(exports.complaint_rows(period), export)
            if export.fmt == "csv":
                exports.write_complaints_csv(handle, rows, dutch_excel=export.dutch_excel)
            else:
                exports.write_complaints_xlsx(handle, rows)
            handle.seek(0)
            export.file.save(export.filename, File(handle), save=False)
    except Exception:
        logger.exception("report export %s failed", pk)
        ReportExport.objects.filter(pk=pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        return
    export.status, export.finished_at = ExportStatus.DONE, timezone.now()
    export.save(update_fields=["file", "status", "finished_at", "rows_done", "rows_total"])


def purge_expired_exports() -> int:
    """Remove exports older than settings.REPORT_EXPORT_KEEP_HOURS, files first."""
    cutoff = timezone.now() - timedelta(hours=settings.REPORT_EXPORT_KEEP_HOURS)
    expired = list(ReportExport.objects.filter(requested_at__lt=cutoff))
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(expired)
