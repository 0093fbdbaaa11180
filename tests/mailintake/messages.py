"""Real e-mail messages as mail clients and mail servers write them."""

from email.message import EmailMessage
from email.utils import make_msgid

from tests.intake import files

DATE = "Mon, 02 Mar 2026 09:15:00 +0100"


def plain(
    *,
    subject: str = "Klacht over de monteur",
    body: str = "Goedemorgen,\n\nDe monteur kwam niet opdagen.\n\nMet vriendelijke groet,\nJan Jansen",
    sender: str = "Jan Jansen <jan@example.nl>",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "kwaliteit@supportoplus.nl"
    message["Subject"] = subject
    message["Date"] = DATE
    message["Message-ID"] = message_id or make_msgid(domain="example.nl")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def html_only(**options: object) -> EmailMessage:
    message = plain(**options)  # type: ignore[arg-type]
    message.set_content(
        "<html><body><p>Geachte heer,</p><p>De <b>factuur</b> klopt niet.</p>"
        "<script>alert('x')</script><img src=x onerror=alert(1)></body></html>",
        subtype="html",
    )
    return message


def with_attachments(**options: object) -> EmailMessage:
    message = plain(**options)  # type: ignore[arg-type]
    message.add_attachment(files.pdf(), maintype="application", subtype="pdf", filename="factuur.pdf")
    message.add_attachment(files.png(), maintype="image", subtype="png", filename="foto.png")
    # An HTML page disguised as a photo: refused, and the refusal is noted.
    message.add_attachment(
        b"<html><script>alert(1)</script></html>", maintype="image", subtype="png", filename="kat.png"
    )
    return message


def reply_to(message_id: str, *, subject: str = "Re: Uw klacht", **options: object) -> EmailMessage:
    message = plain(subject=subject, body="Dank voor uw bericht. Dinsdag schikt mij goed.", **options)  # type: ignore[arg-type]
    message["In-Reply-To"] = message_id
    message["References"] = message_id
    return message


def auto_reply(message_id: str) -> EmailMessage:
    message = reply_to(message_id, subject="Afwezig: Uw klacht", headers={"Auto-Submitted": "auto-replied"})
    message.set_content("Ik ben afwezig tot maandag.")
    return message


def bounce(original_message_id: str, *, to: str = "jan@example.nl", action: str = "failed") -> bytes:
    """A delivery status notification (RFC 3464) as Postfix writes one, returning the headers
    of the message that could not be delivered."""
    raw = (
        "From: MAILER-DAEMON@mail.example.nl (Mail Delivery System)\r\n"
        "To: kwaliteit@supportoplus.nl\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {DATE}\r\n"
        f"Message-ID: {make_msgid(domain='mail.example.nl')}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "Return-Path: <>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"\r\n'
        "\r\n"
        "--BOUNDARY\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        f"Your message could not be delivered to {to}.\r\n"
        "--BOUNDARY\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.example.nl\r\n\r\n"
        f"Final-Recipient: rfc822; {to}\r\n"
        f"Action: {action}\r\n"
        "Status: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        "--BOUNDARY\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        "From: Supportoplus Klachten <kwaliteit@supportoplus.nl>\r\n"
        f"To: {to}\r\n"
        "Subject: Ontvangstbevestiging\r\n"
        f"Message-ID: {original_message_id}\r\n"
        "--BOUNDARY--\r\n"
    )
    return raw.encode()


def malformed() -> bytes:
    """No sender and a multipart whose boundary never appears: nothing to make a complaint of."""
    return (
        b"Subject: =?utf-8?q?kapot\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="nooit-gezien"\r\n'
        b"\r\n"
        b"\xff\xfe dit is geen MIME\r\n"
    )


def as_bytes(message: EmailMessage | bytes) -> bytes:
    return message if isinstance(message, bytes) else message.as_bytes()


__all__ = ["as_bytes", "auto_reply", "bounce", "html_only", "malformed", "plain", "reply_to"]
