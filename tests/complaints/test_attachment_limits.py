"""The per-complaint attachment limits hold on every path that adds a file later:
the API, the complainant's status page and e-mail replies."""

import pytest
from django.test import override_settings

from complaints.attachments import UploadedFile, ensure_room_for_attachment
from complaints.errors import AttachmentRefused
from correspondence.status import add_information
from mailintake.parsing import MailAttachmentIn
from mailintake.services import checked_attachments
from tests.intake import files

pytestmark = pytest.mark.django_db


def a_text_file(name: str = "notitie.txt") -> UploadedFile:
    return UploadedFile(name=name, content=files.text(), content_type="text/plain")


@override_settings(UPLOAD_MAX_FILES=2)
def test_it_refuses_a_file_when_the_complaint_has_its_maximum_number(make_complaint) -> None:
    complaint = make_complaint(files=(a_text_file("een.txt"), a_text_file("twee.txt")))

    with pytest.raises(AttachmentRefused, match="hoogstens 2 bijlagen"):
        ensure_room_for_attachment(complaint=complaint, size=10)


@override_settings(UPLOAD_MAX_TOTAL_BYTES=1000)
def test_it_refuses_a_file_that_would_take_the_complaint_over_its_total_size(make_complaint) -> None:
    complaint = make_complaint(files=(a_text_file(),))
    used = complaint.attachments.get().size

    ensure_room_for_attachment(complaint=complaint, size=1000 - used)
    with pytest.raises(AttachmentRefused, match="samen hoogstens"):
        ensure_room_for_attachment(complaint=complaint, size=1001 - used)


@override_settings(UPLOAD_MAX_FILES=1)
def test_the_status_page_refuses_a_file_beyond_the_limit_and_saves_nothing(make_complaint) -> None:
    complaint = make_complaint(files=(a_text_file(),))
    events_before = complaint.events.count()

    with pytest.raises(AttachmentRefused):
        add_information(complaint=complaint, text="Nog een bijlage", upload=a_text_file("extra.txt"))

    assert complaint.attachments.count() == 1
    assert complaint.events.count() == events_before


def test_an_email_reply_takes_only_as_many_files_as_the_complaint_has_room_for() -> None:
    attachments = tuple(
        MailAttachmentIn(filename=f"{n}.txt", content=files.text(), content_type="text/plain") for n in range(3)
    )

    accepted, refused = checked_attachments(attachments, room=(1, 10_000))

    assert [upload.name for upload in accepted] == ["0.txt"]
    assert [name for name, _reason in refused] == ["1.txt", "2.txt"]
