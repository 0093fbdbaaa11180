"""The correspondence objects of the policy test's world (tests/security/world.py)."""

from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from correspondence.models import Letter, LetterKind, LetterStatus, SendChannel, StatusLink
from correspondence.status import issue_status_link

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def add_correspondence(world: object) -> None:
    """A draft letter, a sent letter with its stored PDF, and the complaint's status link.

    Made directly, not through the services, so the world's complaint keeps its state."""
    objects = world.objects  # type: ignore[attr-defined]
    complaint = objects.complaint
    objects.draft_letter = Letter.objects.create(
        complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, subject="Ontvangstbevestiging", body="Geachte heer,"
    )
    sent = Letter(
        complaint=complaint,
        kind=LetterKind.CLOSING,
        status=LetterStatus.SENT,
        subject="Afhandeling",
        body="Geachte heer,",
        sent_at=timezone.now(),
        channel=SendChannel.POST,
        filename="brief.pdf",
        sha256="0" * 64,
    )
    sent.pdf.save("letter.pdf", ContentFile(MINIMAL_PDF), save=False)
    sent.save()
    objects.sent_letter = sent
    # The complainant has opened their link: from then on it opens nothing for anyone else.
    token = issue_status_link(complaint=complaint)
    StatusLink.objects.filter(complaint=complaint).update(claimed_at=timezone.now())
    objects.status = SimpleNamespace(token=token)
