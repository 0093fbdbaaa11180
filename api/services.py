"""Changes the API makes that the back office has no step for yet."""

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from accounts.models import User
from complaints.models import Attachment, Complaint
from complaints.services import UploadedFile, record_event, store_attachment
from lib.uploads import safe_display_name


class AttachmentRefused(Exception):
    """The complaint cannot take this attachment (limits per complaint, or it is closed)."""


def add_attachment(*, complaint: Complaint, name: str, data: bytes, content_type: str, by: User) -> Attachment:
    """Add a checked file to a complaint, within the per-complaint limits, with a timeline event.

    The complaint row is locked while counting, so two uploads at once cannot both slip under
    the limit."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not complaint.is_open:
            raise AttachmentRefused(_("A closed complaint takes no new attachments."))
        existing = complaint.attachments.aggregate(count=Sum(1), total=Sum("size"))
        count, total = existing["count"] or 0, existing["total"] or 0
        if count >= settings.UPLOAD_MAX_FILES:
            raise AttachmentRefused(
                _("A complaint can have at most %(count)s attachments.") % {"count": settings.UPLOAD_MAX_FILES}
            )
        if total + len(data) > settings.UPLOAD_MAX_TOTAL_BYTES:
            raise AttachmentRefused(
                _("The attachments of a complaint can be at most %(size)s together.")
                % {"size": filesizeformat(settings.UPLOAD_MAX_TOTAL_BYTES)}
            )
        attachment = store_attachment(
            complaint=complaint,
            upload=UploadedFile(name=safe_display_name(name), content=data, content_type=content_type),
            by=by,
        )
        record_event(
            complaint=complaint,
            kind="attachment_added",
            actor=by,
            message=_("Attachment added: %(name)s.") % {"name": attachment.original_name},
            data={"attachment": attachment.pk},
        )
    return attachment
