"""Files no row refers to: an upload saved by a worker that was killed before its transaction
committed, or a letter rendered for a send that rolled back. Such a file may hold personal data
that nothing will ever anonymise, so the periodic job deletes it once it is older than
settings.ORPHAN_FILE_GRACE_HOURS (younger ones may belong to a transaction still running)."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileLocation:
    prefix: str
    model: str
    field: str


# Every folder of the storage that the project writes, with the field that owns its files.
FILE_LOCATIONS = (
    FileLocation("attachments/", "complaints.Attachment", "file"),
    FileLocation("letters/", "correspondence.Letter", "pdf"),
    FileLocation("outbox/", "outbox.OutboxAttachment", "file"),
    FileLocation("organisation/", "organisation.OrganisationSettings", "logo"),
    FileLocation("exports/", "reports.ReportExport", "file"),
)


def _folders(prefix: str) -> Iterator[tuple[str, list[str]]]:
    """(folder, file names in it) for the folder and every folder below it."""
    if not default_storage.exists(prefix.rstrip("/")):
        return
    pending = [prefix]
    while pending:
        folder = pending.pop()
        subfolders, files = default_storage.listdir(folder)
        pending.extend(f"{folder}{name}/" for name in subfolders)
        if files:
            yield folder, [f"{folder}{name}" for name in files]


def sweep_unreferenced_files() -> dict[str, int]:
    """The periodic job: delete files older than the grace period that no row refers to."""
    cutoff = timezone.now() - timedelta(hours=settings.ORPHAN_FILE_GRACE_HOURS)
    deleted = 0
    for location in FILE_LOCATIONS:
        manager = apps.get_model(location.model)._base_manager
        for _folder, names in _folders(location.prefix):
            owned = set(manager.filter(**{f"{location.field}__in": names}).values_list(location.field, flat=True))
            for name in names:
                if name in owned or default_storage.get_modified_time(name) >= cutoff:
                    continue
                default_storage.delete(name)
                deleted += 1
    if deleted:
        logger.warning("deleted %d file(s) that no record refers to", deleted)
    return {"deleted": deleted}
