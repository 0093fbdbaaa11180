"""Changes the API makes that the back office has no step for yet."""

__all__ = ["AttachmentRefused", "add_attachment"]

from django.db import transaction
from django.utils.translation import gettext_noop

from accounts.models import User
from complaints.attachments import UploadedFile, ensure_room_for_attachment, store_attachment
from complaints.errors import AttachmentRefused
from complaints.models import Attachment, Complaint
from complaints.sentences import Sentence
from complaints.timeline import record_event
from lib.uploads import safe_display_name


def add_attachment(*, complaint: Complaint, name: str, data: bytes, content_type: str, by: User) -> Attachment:
    """Add a checked file to a complaint, within the per-complaint limits, with a timeline event."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        ensure_room_for_attachment(complaint=complaint, size=len(data))
        attachment = store_attachment(
            complaint=complaint,
            upload=UploadedFile(name=safe_display_name(name), content=data, content_type=content_type),
            by=by,
        )
        record_event(
            complaint=complaint,
            kind="attachment_added",
            actor=by,
            message=Sentence(gettext_noop("Attachment added: %(name)s."), name=attachment.original_name),
            data={"attachment": attachment.pk},
        )
    return attachment
