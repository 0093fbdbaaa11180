"""A complaint's files: the room it has left, and storing one."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from accounts.models import User
from privacy.restriction import ensure_not_restricted

from .errors import AttachmentRefused
from .models import Attachment, Complaint


@dataclass(frozen=True)
class UploadedFile:
    name: str
    content: bytes
    content_type: str


def attachment_room(complaint: Complaint) -> tuple[int, int]:
    """How many more files, and how many more bytes, the complaint takes within its limits."""
    existing = complaint.attachments.aggregate(count=Count("pk"), total=Sum("size"))
    return (
        settings.UPLOAD_MAX_FILES - (existing["count"] or 0),
        settings.UPLOAD_MAX_TOTAL_BYTES - (existing["total"] or 0),
    )


def ensure_room_for_attachment(*, complaint: Complaint, size: int) -> None:
    """Refuse a file the complaint has no room for; callers lock the complaint row first, so
    two uploads at once cannot both slip under the limit. A complaint whose processing is
    restricted takes none either: every way a file comes in through a person (the API, the status
    page) passes here."""
    if not complaint.is_open:
        raise AttachmentRefused(_("A closed complaint takes no new attachments."))
    ensure_not_restricted(complaint)
    files_left, bytes_left = attachment_room(complaint)
    if files_left <= 0:
        raise AttachmentRefused(
            _("A complaint can have at most %(count)s attachments.") % {"count": settings.UPLOAD_MAX_FILES}
        )
    if size > bytes_left:
        raise AttachmentRefused(
            _("The attachments of a complaint can be at most %(size)s together.")
            % {"size": filesizeformat(settings.UPLOAD_MAX_TOTAL_BYTES)}
        )


def store_attachment(*, complaint: Complaint, upload: UploadedFile, by: User | None) -> Attachment:
    attachment = Attachment(
        complaint=complaint,
        original_name=upload.name,
        content_type=upload.content_type,
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        uploaded_by=by,
    )
    attachment.file.save("upload", ContentFile(upload.content), save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment
