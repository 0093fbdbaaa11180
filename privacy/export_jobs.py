"""A data subject's export as background work (lib.exports): asked for on the request's page,
made by the worker, downloaded by the privacy officer who asked, then removed."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import translation

from accounts.models import User
from lib.exports import ACTIVE

from .export import generate_json, generate_pdf, generate_zip
from .models import DataSubjectRequest, RequestExport

GENERATORS = {"zip": generate_zip, "json": generate_json, "pdf": generate_pdf}


def request_export(*, dsr: DataSubjectRequest, user: User, fmt: str, reason: str) -> RequestExport:
    """The export being made for this request and format, or a new one for the worker. A
    finished export is not reused: the person's data may have changed since."""
    if fmt not in GENERATORS:
        raise ValueError(f"unknown format {fmt!r}")
    same = RequestExport.objects.filter(requested_by=user, request=dsr, fmt=fmt)
    running = same.filter(status__in=ACTIVE).first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            export = RequestExport.objects.create(
                requested_by=user,
                request=dsr,
                fmt=fmt,
                reason=reason,
                filename=f"persoonsgegevens-verzoek-{dsr.pk}.{fmt}",
            )
    except IntegrityError:
        # Two clicks at once: the other one made it.
        return same.filter(status__in=ACTIVE).get()
    transaction.on_commit(lambda: make_request_export_task.enqueue(export.pk))
    return export


def _write(export: RequestExport) -> None:
    complaints = list(export.request.complaints.order_by("-received_at"))
    export.rows_total = len(complaints)
    RequestExport.objects.filter(pk=export.pk).update(rows_total=export.rows_total)
    generate = GENERATORS[export.fmt]
    # For the data subject: in the organisation's language, not the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        _name, _mimetype, content = generate(request=export.request, complaints=complaints, progress=export.count_done)
    export.file.save(export.filename, ContentFile(content), save=False)


def make_request_export(pk: int) -> None:
    RequestExport.make(pk, _write)


@task
def make_request_export_task(pk: int) -> None:
    make_request_export(pk)


def purge_expired_exports() -> int:
    """Periodic job: remove the exports older than settings.EXPORT_KEEP_HOURS."""
    return RequestExport.purge_expired()
