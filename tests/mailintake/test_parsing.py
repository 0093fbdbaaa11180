"""Recognising mail a machine wrote (RFC 3834), and reading what a message answers."""

import email
import email.policy

import pytest
from django.utils import translation

from mailintake.parsing import UnreadableMessage, parse
from mailintake.services import is_auto_generated

from . import messages


def message_with(**headers: str) -> email.message.Message:
    message = messages.plain()
    for name, value in headers.items():
        del message[name.replace("_", "-")]
        message[name.replace("_", "-")] = value
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Auto_Submitted": "auto-generated; owner-email=x@example.nl"},
        {"Auto_Submitted": "Auto-Notified"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"Return_Path": "<>"},
        {"From": "MAILER-DAEMON@mail.example.nl"},
        {"From": "Mail System <postmaster@example.nl>"},
        {"Message_ID": "<42@klachten.supportoplus.nl>"},
        {"X_Autoreply": "yes"},
    ],
)
def test_it_recognises_mail_a_machine_wrote(headers: dict[str, str]) -> None:
    assert is_auto_generated(message_with(**headers)) is True


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Auto_Submitted": "no"},
        {"Precedence": "first-class"},
        {"Return_Path": "<jan@example.nl>"},
        {"From": "daemon.fan@example.nl"},
        {"Message_ID": "<42@supportoplus.nl.example.com>"},
    ],
)
def test_it_treats_mail_a_person_wrote_as_such(headers: dict[str, str]) -> None:
    assert is_auto_generated(message_with(**headers)) is False


def test_it_reads_what_a_reply_answers_and_the_reference_in_its_subject() -> None:
    mail = parse(messages.reply_to("<abc@klachten.supportoplus.nl>", subject="RE: KL-2026-00042 afspraak").as_bytes())
    assert mail.answered_ids == ("<abc@klachten.supportoplus.nl>", "<abc@klachten.supportoplus.nl>")
    assert mail.references == ("KL-2026-00042",)
    assert mail.auto_generated is False


def test_a_bounce_names_the_message_it_returns() -> None:
    mail = parse(messages.bounce("<orig@klachten.supportoplus.nl>"))
    assert mail.bounce is not None
    assert mail.bounce.original_message_ids == ("<orig@klachten.supportoplus.nl>",)
    assert (mail.bounce.permanent, mail.bounce.status) == (True, "5.1.1")


@pytest.mark.parametrize(
    "raw",
    [
        messages.malformed(),
        b"",
        b"\x00\x01\x02",
        b"From: nobody\r\nSubject: geen adres\r\n\r\ntekst\r\n",
    ],
)
def test_it_refuses_what_cannot_become_a_complaint(raw: bytes) -> None:
    with pytest.raises(UnreadableMessage):
        parse(raw)


@pytest.mark.parametrize(
    ("language", "reason"),
    [("nl", "Het bericht heeft geen afzenderadres (From)."), ("en", "The message has no sender address (From).")],
)
def test_the_reason_a_message_is_refused_is_in_the_language_of_the_page(language: str, reason: str) -> None:
    with translation.override(language), pytest.raises(UnreadableMessage) as refused:
        parse(b"From: nobody\r\nSubject: geen adres\r\n\r\ntekst\r\n")
    assert str(refused.value) == reason


def test_a_broken_structure_names_its_defects_in_dutch() -> None:
    with translation.override("nl"), pytest.raises(UnreadableMessage) as refused:
        parse(messages.malformed())
    assert str(refused.value).startswith("De MIME-structuur is beschadigd (")


def test_html_is_turned_into_text_without_markup_or_scripts() -> None:
    mail = parse(messages.html_only().as_bytes())
    assert "factuur" in mail.text
    assert "<" not in mail.text
    assert "alert" not in mail.text


def test_encoded_headers_and_other_charsets_are_read_as_text() -> None:
    raw = (
        "From: =?iso-8859-1?q?Jos=E9_M=FCller?= <jose@example.nl>\r\n"
        "Subject: =?utf-8?b?S2xhY2h0IG92ZXIgZGUgY2Fmw6k=?=\r\n"
        "Message-ID: <enc@example.nl>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        "De koffie was koud, pr=E9cies zoals vorige week.\r\n"
    ).encode("ascii")
    mail = parse(raw)
    assert (mail.from_name, mail.from_address) == ("José Müller", "jose@example.nl")
    assert mail.subject == "Klacht over de café"
    assert "précies" in mail.text
