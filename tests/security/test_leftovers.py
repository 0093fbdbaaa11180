"""Leftovers: a file no row refers to is swept once past its grace period, and a duplicate
copy of an e-mail loses its sender and subject with the complaint it belongs to."""

import os
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from complaints.models import Attachment
from mailintake.models import InboundMessage, Outcome
from mailintake.services import Position, process_message
from privacy.anonymise import anonymise_complaint
from privacy.orphans import sweep_unreferenced_files
from tests.conftest import ComplaintFactory
from tests.mailintake import messages
from tests.privacy.conftest import close


def aged(name: str, hours: float) -> str:
    moment = time.time() - hours * 3600
    os.utime(default_storage.path(name), (moment, moment))
    return name


def test_a_file_left_by_a_killed_worker_is_swept_after_the_grace_period(
    make_complaint: ComplaintFactory, settings: object
) -> None:
    settings.ORPHAN_FILE_GRACE_HOURS = 24  # type: ignore[attr-defined]
    complaint = make_complaint()
    attachment = Attachment(complaint=complaint, original_name="foto.png", content_type="image/png", size=3, sha256="")
    attachment.file.save("foto.png", ContentFile(b"png"), save=True)
    owned = aged(str(attachment.file.name), 48)
    # What a worker killed between writing the file and committing its row leaves behind.
    orphans = [
        aged(default_storage.save(f"{prefix}2026/11/left-behind", ContentFile(b"x")), 48)
        for prefix in ("attachments/", "letters/", "outbox/")
    ]
    young = default_storage.save("attachments/2026/12/being-saved-now", ContentFile(b"x"))

    assert sweep_unreferenced_files() == {"deleted": 3}
    assert not any(default_storage.exists(name) for name in orphans)
    assert default_storage.exists(owned) and default_storage.exists(young)
    default_storage.delete(young)


def test_a_duplicate_e_mail_is_anonymised_with_its_complaint(db: None) -> None:
    raw = messages.plain(subject="Klacht over Jan de monteur", sender="Jan Jansen <jan@example.nl>").as_bytes()
    now = timezone.now() - timedelta(minutes=5)
    first = process_message(position=Position("INBOX", 7, 1), raw=raw, received_at=now)
    again = process_message(position=Position("INBOX", 7, 2), raw=raw, received_at=now)
    assert again.outcome == Outcome.DUPLICATE and again.complaint == first.complaint

    assert first.complaint is not None
    close(first.complaint)
    anonymise_complaint(complaint_pk=first.complaint.pk, reason="erasure")
    again = InboundMessage.objects.get(pk=again.pk)
    assert again.from_address == again.from_name == ""
    assert "Jan" not in again.subject
