"""E-mail done properly: Reply-To, Auto-Submitted, both body parts, and calendar parts with their method."""

import pytest

from outbox.services import MailAttachment, build_email, queue_mail

pytestmark = pytest.mark.django_db


def test_mail_without_an_explicit_reply_to_answers_to_the_quality_inbox(make_complaint):
    message = queue_mail(kind="test", to=["jan@example.nl"], subject="Onderwerp", text="Tekst", html="<p>Tekst</p>")
    email = build_email(message).message()
    assert email["Reply-To"] == "kwaliteit@supportoplus.nl"
    assert email["Auto-Submitted"] == "auto-generated"
    assert [part.get_content_type() for part in email.walk() if not part.is_multipart()] == ["text/plain", "text/html"]


def test_a_calendar_attachment_keeps_its_method_parameter():
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    message = queue_mail(
        kind="test",
        to=["jan@example.nl"],
        subject="Uitnodiging",
        text="Tekst",
        attachments=(MailAttachment("uitnodiging.ics", ics, "text/calendar; method=REQUEST"),),
    )
    email = build_email(message).message()
    [part] = [part for part in email.walk() if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "uitnodiging.ics"
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert payload.replace(b"\r\n", b"\n") == ics.replace(b"\r\n", b"\n")
