"""Helpers for the correspondence tests: PDFs opened with pypdf, letters sent through the services."""

import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from accounts.models import User
from complaints.models import Complaint
from correspondence import services
from correspondence.models import Letter

HOSTILE = (
    "Mijn naam is {naam} en {{ request.user }} {% load static %}{% debug %} "
    '<img src="http://evil.example/x.png"> <link rel="stylesheet" href="file:///etc/passwd"> '
    '<style>@import url("http://evil.example/a.css");</style> url(file:///etc/shadow) <b>vet</b> & "quotes"'
)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    # Normalise whitespace: line breaks in the PDF fall wherever the typesetting put them.
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def stored_pdf(letter: Letter) -> bytes:
    with letter.pdf.open("rb") as handle:
        return handle.read()


SendLetter = Callable[..., Letter]


@pytest.fixture
def send(django_capture_on_commit_callbacks: Callable[..., object]) -> SendLetter:
    """Draft a letter of a kind and send it as `by`, running the on-commit delivery."""

    def sender(complaint: Complaint, kind: str, by: User, *, contact: object = None, body: str | None = None) -> Letter:
        letter = services.draft_letter(complaint=complaint, kind=kind, by=by, contact=contact)  # type: ignore[arg-type]
        if body is not None:
            services.save_draft(letter=letter, by=by, subject=letter.subject, body=body)
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
            return services.send_letter(letter=letter, by=by)

    return sender
