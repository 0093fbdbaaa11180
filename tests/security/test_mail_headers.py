"""CR/LF or other line breaks in any value that reaches a mail header never start a new header."""

import pytest

from complaints.models import Channel
from outbox.models import OutboxMessage
from outbox.services import MailAttachment, build_email, deliver, header_safe, queue_mail

BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("line_break", BREAKS)
def test_header_safe_collapses_every_kind_of_line_break(line_break: str) -> None:
    value = f"Klacht{line_break}Bcc: victim@example.com"
    cleaned = header_safe(value)
    assert cleaned == "Klacht Bcc: victim@example.com"
    assert not any(ch in cleaned for ch in "\r\n\x0b\x0c\x85\u2028\u2029")


def test_header_safe_keeps_ordinary_text_and_empty_values() -> None:
    assert header_safe("Klacht KL-2026-00001 (telefoon)") == "Klacht KL-2026-00001 (telefoon)"
    assert header_safe("") == ""


def test_injected_headers_in_subject_reply_to_and_extra_headers_do_not_reach_the_wire(
    smtp_sink: object, db: None
) -> None:
    message = queue_mail(
        kind="test",
        to=["klager@example.nl"],
        subject="Uw klacht\r\nBcc: victim@example.com\r\nX-Injected: 1",
        text="Tekst",
        reply_to="kwaliteit@supportoplus.nl\nBcc: other@example.com",
        headers={"In-Reply-To": "<a@b>\r\nBcc: third@example.com", "X-Ref\r\nBcc": "x"},
    )
    deliver(message_pk=message.pk)
    (received,) = smtp_sink.wait_for(1)  # type: ignore[attr-defined]
    assert received.envelope_to == ("klager@example.nl",)
    assert received["Bcc"] is None
    assert received["X-Injected"] is None
    assert "\n" not in str(received["Subject"])
    assert str(received["Subject"]).startswith("Uw klacht Bcc: victim@example.com")


def test_an_attachment_name_with_line_breaks_and_quotes_stays_one_parameter(smtp_sink: object, db: None) -> None:
    message = queue_mail(
        kind="test",
        to=["klager@example.nl"],
        subject="Brief",
        text="Zie bijlage",
        attachments=(
            MailAttachment(
                filename='brief"\r\nContent-Type: text/html\r\n\r\n<script>.pdf',
                content=b"%PDF-1.4",
                content_type="application/pdf",
            ),
        ),
    )
    deliver(message_pk=message.pk)
    (received,) = smtp_sink.wait_for(1)  # type: ignore[attr-defined]
    parts = [part for part in received.walk() if part.get_filename()]
    assert len(parts) == 1
    assert parts[0].get_content_type() == "application/pdf"
    assert "\n" not in parts[0].get_filename()
    assert not any(part.get_content_type() == "text/html" for part in received.walk())


def test_a_complainant_name_with_line_breaks_cannot_add_headers_to_the_staff_notice(
    make_complaint: object, db: None
) -> None:
    complaint = make_complaint(  # type: ignore[operator]
        channel=Channel.PHONE,
        name="Jan\r\nBcc: victim@example.com",
        email="jan@example.nl",
    )
    for message in OutboxMessage.objects.filter(complaint=complaint):
        email = build_email(message).message()
        assert email["Bcc"] is None
        for name, value in email.items():
            assert "\n" not in str(value) and "\r" not in str(value), name
