"""Reading an e-mail into what the intake needs: sender, subject, text, attachments, what it
answers, and whether a machine wrote it.

HTML is only ever converted to text, never kept or shown as HTML."""

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

import html2text
from django.conf import settings
from django.utils.translation import gettext as _

MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")
REFERENCE = re.compile(r"\bKL-(\d{4})-(\d{5,})\b", re.IGNORECASE)
MACHINE_SENDERS = {"mailer-daemon", "postmaster"}
# Subjects that out-of-office and other responders give their answers, also when they set none of
# the headers that say so (Outlook, Exchange, Gmail, in Dutch, English, German and French).
AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(automatisch antwoord|automatisch beantwoord|afwezig|niet aanwezig|out of (the )?office|"
    r"automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|abwesenheitsnotiz|automatische antwort|"
    r"r[ée]ponse automatique|absence)\b",
    re.IGNORECASE,
)
# Part defects that mean the structure of the message cannot be trusted.
FATAL_DEFECTS = ("NoBoundaryInMultipartDefect", "StartBoundaryNotFoundDefect", "MultipartInvariantViolationDefect")
MAX_TEXT = 100_000


class UnreadableMessage(ValueError):
    """The message cannot be turned into a complaint; it goes to quarantine for a person."""


@dataclass(frozen=True)
class MailAttachmentIn:
    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Bounce:
    original_message_ids: tuple[str, ...]
    permanent: bool
    status: str


@dataclass(frozen=True)
class IncomingMail:
    message_id: str
    from_name: str
    from_address: str
    subject: str
    text: str
    attachments: tuple[MailAttachmentIn, ...]
    answered_ids: tuple[str, ...]
    auto_generated: bool
    bounce: Bounce | None = None
    headers_excerpt: str = field(default="", repr=False)

    @property
    def references(self) -> tuple[str, ...]:
        """Complaint references named in the subject, e.g. "Re: KL-2026-00042"."""
        return tuple(f"KL-{year}-{number}" for year, number in REFERENCE.findall(self.subject))


def message_ids(value: object) -> list[str]:
    return [f"<{found}>" for found in MESSAGE_ID.findall(str(value or ""))]


def message_id_domain(message_id: str) -> str:
    return message_id.strip("<>").rpartition("@")[2].lower()


def is_auto_generated(message: Message) -> bool:
    """True for mail a machine wrote (RFC 3834 and common practice); nothing may answer it automatically.

    Auto-Submitted other than "no", Precedence bulk/junk/list, an empty Return-Path,
    mailer-daemon or postmaster as sender, auto-reply markers or an auto-reply subject
    ("Automatisch antwoord: …", "Out of Office: …"), or a Message-ID of our own domain."""
    auto_submitted = str(message.get("Auto-Submitted", "") or "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if str(message.get("Precedence", "") or "").strip().lower() in {"bulk", "junk", "list"}:
        return True
    return_path = message.get("Return-Path")
    if return_path is not None and parseaddr(str(return_path))[1] == "" and "<>" in str(return_path).replace(" ", ""):
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if str(message.get("X-Auto-Response-Suppress", "")).strip().lower() in {"all", "oof", "autoreply"}:
        return True
    if AUTO_REPLY_SUBJECT.match(" ".join(str(message.get("Subject", "") or "").split())):
        return True
    # One header at a time: since Python 3.13, getaddresses() in strict mode gives up on the
    # whole list (returning one empty address) when any value in it is empty.
    for name in ("From", "Sender", "Return-Path"):
        value = str(message.get(name, "") or "")
        if value and any(address.partition("@")[0].lower() in MACHINE_SENDERS for _n, address in getaddresses([value])):
            return True
    own = settings.MESSAGE_ID_DOMAIN.lower()
    return any(message_id_domain(found) == own for found in message_ids(message.get("Message-ID")))


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.body_width = 0
    converter.unicode_snob = True
    return converter.handle(html)


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError, KeyError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    return content if isinstance(content, str) else content.decode("utf-8", "replace")


def _body_text(message: EmailMessage) -> str:
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _part_text(plain)  # type: ignore[arg-type]
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        return html_to_text(_part_text(html))  # type: ignore[arg-type]
    return ""


def _attachments(message: EmailMessage) -> list[MailAttachmentIn]:
    found = []
    body_parts = {id(part) for part in (message.get_body(("plain",)), message.get_body(("html",))) if part}
    for part in message.walk():
        if part.is_multipart() or id(part) in body_parts or part is message:
            continue
        filename = part.get_filename()
        if not filename and part.get_content_maintype() == "text":
            continue  # alternative bodies, delivery-status texts
        if part.get_content_type() in ("message/rfc822", "message/delivery-status", "text/rfc822-headers"):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        found.append(
            MailAttachmentIn(filename=str(filename or "bijlage"), content=payload, content_type=part.get_content_type())
        )
    return found


def _bounce(message: EmailMessage) -> Bounce | None:
    is_report = message.get_content_type() == "multipart/report" and (
        str(message.get_param("report-type", "")).lower() == "delivery-status"
    )
    if not is_report:
        return None
    originals: list[str] = []
    permanent = False
    status = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            text = _delivery_status_text(part)
            for line in text.splitlines():
                key, _sep, value = line.partition(":")
                if key.strip().lower() == "action" and value.strip().lower() == "failed":
                    permanent = True
                if key.strip().lower() == "status" and not status:
                    status = value.strip()[:20]
        elif kind in ("message/rfc822", "text/rfc822-headers"):
            originals.extend(_original_ids(part))
    originals.extend(message_ids(message.get("In-Reply-To")))
    originals.extend(message_ids(message.get("References")))
    return Bounce(original_message_ids=tuple(dict.fromkeys(originals)), permanent=permanent, status=status)


def _delivery_status_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):
        return "\n".join(str(item) for item in payload)
    return str(payload)


def _original_ids(part: Message) -> list[str]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [
            found for inner in payload if isinstance(inner, Message) for found in message_ids(inner.get("Message-ID"))
        ]
    text = payload if isinstance(payload, str) else ""
    match = re.search(r"^Message-ID:\s*(<[^>]+>)", text, re.IGNORECASE | re.MULTILINE)
    return [match.group(1)] if match else []


def headers_excerpt(raw: bytes) -> str:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    return head[:4000].decode("utf-8", "replace")


def parse(raw: bytes) -> IncomingMail:
    """Read a message, or raise UnreadableMessage saying what is wrong with it."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        defects = [type(defect).__name__ for part in message.walk() for defect in part.defects]
        fatal = [name for name in defects if name in FATAL_DEFECTS]
        if fatal:
            raise UnreadableMessage(
                _("The MIME structure is broken (%(defects)s).") % {"defects": ", ".join(sorted(set(fatal)))}
            )
        name, address = parseaddr(str(message.get("From", "") or ""))
        if "@" not in address:
            raise UnreadableMessage(_("The message has no sender address (From)."))
        subject = " ".join(str(message.get("Subject", "") or "").split())
        found_ids = message_ids(message.get("Message-ID"))
        text = _body_text(message)
        return IncomingMail(
            message_id=found_ids[0] if found_ids else "",
            from_name=" ".join(name.split())[:200],
            from_address=address[:254],
            subject=subject[:255],
            text=text[:MAX_TEXT],
            attachments=tuple(_attachments(message)),
            answered_ids=tuple(message_ids(message.get("In-Reply-To")) + message_ids(message.get("References"))),
            auto_generated=is_auto_generated(message),
            bounce=_bounce(message),
            headers_excerpt=headers_excerpt(raw),
        )
    except UnreadableMessage:
        raise
    except Exception as error:  # the email package raises many kinds on malformed input
        raise UnreadableMessage(
            (_("The message cannot be read: %(error)s") % {"error": f"{type(error).__name__}: {error}"})[:500]
        ) from error


__all__ = ["IncomingMail", "UnreadableMessage", "is_auto_generated", "parse"]
