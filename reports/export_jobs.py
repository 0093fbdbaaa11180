"""The anonymised complaint list and the management review as background work: asked for on
the reports page, made by the task worker with its progress written as it goes, downloaded by
who asked, then removed."""

import tempfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation

from accounts.models import User
from complaints.models import Complaint
from lib.exports import ACTIVE, ExportStatus

from . import exports, pdf
from .models import ExportKind, ReportExport
from .periods import Period, custom, from_key

# Progress is written every so many rows: often enough to watch, rarely enough to cost nothing.
PROGRESS_EVERY = 2000


FILE_NAMES = {
    ExportKind.COMPLAINTS: "klachten-geanonimiseerd-{slug}.{fmt}",
    ExportKind.REVIEW: "managementreview-{slug}.{fmt}",
}


def request_export(
    *, user: User, period: Period, fmt: str, dutch_excel: bool = True, kind: str = ExportKind.COMPLAINTS
) -> ReportExport:
    """The export this user asked for: the one already being made or ready for the same period,
    kind and format, or a new one for the worker."""
    if (kind, fmt) not in ((ExportKind.COMPLAINTS, "csv"), (ExportKind.COMPLAINTS, "xlsx"), (ExportKind.REVIEW, "pdf")):
        raise ValueError(f"unknown export {kind!r} as {fmt!r}")
    wanted = {
        "requested_by": user,
        "kind": kind,
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
                **wanted, period_key=period.key, filename=FILE_NAMES[ExportKind(kind)].format(slug=period.slug, fmt=fmt)
            )
    except IntegrityError:
        # Two clicks at once: the other one made it.
        return same.filter(status__in=ACTIVE).get()
    transaction.on_commit(lambda: make_export_task.enqueue(export.pk))
    return export


def period_of(export: ReportExport) -> Period:
    if export.period_key:
        period = from_key(export.period_key, today=timezone.localdate())
        if period is not None and (period.start, period.end) == (export.period_start, export.period_end):
            return period
    return custom(export.period_start, export.period_end)


def _write_complaint_list(export: ReportExport, period: Period) -> None:
    start, end = period.bounds()
    export.rows_total = Complaint.objects.filter(received_at__gte=start, received_at__lt=end).count()
    ReportExport.objects.filter(pk=export.pk).update(rows_total=export.rows_total)
    with tempfile.TemporaryFile() as handle:
        rows = _counted(exports.complaint_rows(period), export)
        if export.fmt == "csv":
            exports.write_complaints_csv(handle, rows, dutch_excel=export.dutch_excel)
        else:
            exports.write_complaints_xlsx(handle, rows)
        handle.seek(0)
        export.file.save(export.filename, File(handle), save=False)


def _counted(rows: Iterable[list[object]], export: ReportExport) -> Iterator[list[object]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            export.count_done(done)
    export.rows_done = done


def _write(export: ReportExport) -> None:
    period = period_of(export)
    if export.kind == ExportKind.REVIEW:
        with translation.override(settings.LANGUAGE_CODE):
            _name, _mimetype, content = pdf.generate(period)
        export.file.save(export.filename, ContentFile(content), save=False)
    else:
        _write_complaint_list(export, period)


def make_export(pk: int) -> None:
    """Write the file, reporting progress (see lib.exports)."""
    ReportExport.make(pk, _write)


@task
def make_export_task(pk: int) -> None:
    make_export(pk)


def purge_expired_exports() -> int:
    """Periodic job: remove the exports older than settings.EXPORT_KEEP_HOURS."""
    return ReportExport.purge_expired()
