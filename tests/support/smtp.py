"""A real SMTP server on loopback for tests that must exercise actual delivery.

Register as a pytest plugin (``pytest_plugins = ["tests.support.smtp"]`` in the
root conftest) to get the ``smtp_sink`` fixture.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, Literal, Self

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

__all__ = ["ReceivedMessage", "SmtpSink", "smtp_sink"]

LOOPBACK = "127.0.0.1"

FaultStage = Literal["rcpt", "data", "both"]

# aiosmtpd writes the reply verbatim; a malformed one would confuse the client
# in ways that look like a bug in the code under test rather than in the test.
_REPLY_PATTERN = re.compile(r"^[2-5]\d\d( .*)?$")


class ReceivedMessage(EmailMessage):
    """A parsed message that also remembers its SMTP envelope.

    The envelope matters because Bcc recipients only ever appear there, never
    in the headers.
    """

    # Class-level defaults because the parser also instantiates this class for
    # MIME sub-parts, which have no envelope of their own.
    envelope_from: str = ""
    envelope_to: tuple[str, ...] = ()


class _Handler:
    """aiosmtpd handler; runs on the controller's event-loop thread."""

    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        fault = self._sink._fault_for("rcpt")
        if fault is not None:
            return fault
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        fault = self._sink._fault_for("data")
        if fault is not None:
            return fault
        raw = envelope.original_content
        if raw is None:
            content = envelope.content
            raw = content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content or b""
        message = BytesParser(_class=ReceivedMessage, policy=policy.default).parsebytes(raw)
        assert isinstance(message, ReceivedMessage)
        message.envelope_from = envelope.mail_from or ""
        message.envelope_to = tuple(envelope.rcpt_tos)
        self._sink._record(message)
        return "250 Message accepted for delivery"


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpSink:
    """Collects every message delivered to it over real SMTP on 127.0.0.1.

    The port is chosen once, so ``stop()`` followed by ``start()`` brings the
    server back on the *same* port: that is what a "mail server down, then up
    again" retry test needs.
    """

    def __init__(self, port: int | None = None) -> None:
        self.host: str = LOOPBACK
        self.port: int = port if port is not None else _free_loopback_port()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._messages: list[ReceivedMessage] = []
        self._fault: str | None = None
        self._fault_stage: FaultStage = "both"
        self._controller: Controller | None = None

    # -- lifecycle ---------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is not None:
            raise RuntimeError(f"SmtpSink on {self.host}:{self.port} is already running")
        # A Controller closes its event loop on stop and cannot be restarted,
        # so every start gets a fresh one. An explicit server_hostname avoids
        # aiosmtpd's getfqdn() call, which can hang on hosts without DNS.
        controller = Controller(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            server_hostname="smtp-sink.test",
            ready_timeout=10.0,
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        """Stop listening; afterwards connections to the port are refused.

        Safe to call when already stopped, so fixtures can always clean up.
        """
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- received mail -----------------------------------------------------

    @property
    def messages(self) -> list[ReceivedMessage]:
        """A snapshot, so callers never iterate a list the server thread mutates."""
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMessage]:
        """Block until at least ``count`` messages arrived and return all of them."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self._messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [str(m.get("Subject", "")) for m in self._messages]
                    raise AssertionError(
                        f"SmtpSink {self.host}:{self.port}: expected at least {count} "
                        f"message(s) within {timeout:.1f}s, got {len(self._messages)} "
                        f"(subjects: {subjects!r}; server running: {self.running})"
                    )
                self._arrived.wait(remaining)
            return list(self._messages)

    def _record(self, message: ReceivedMessage) -> None:
        with self._arrived:
            self._messages.append(message)
            self._arrived.notify_all()

    # -- fault injection ---------------------------------------------------

    def reply_with(self, reply: str | None, *, stage: FaultStage = "both") -> None:
        """Answer RCPT and/or DATA with ``reply`` (e.g. ``"451 4.3.0 Try again later"``).

        With the default ``stage="both"`` the RCPT reply is what the client
        sees (``smtplib.SMTPRecipientsRefused``); use ``stage="data"`` to
        accept recipients and refuse the message body instead
        (``smtplib.SMTPDataError``). ``None`` restores normal delivery.
        """
        if reply is not None and not _REPLY_PATTERN.match(reply):
            raise ValueError(f"not an SMTP reply line: {reply!r}")
        with self._lock:
            self._fault = reply
            self._fault_stage = stage

    def _fault_for(self, stage: Literal["rcpt", "data"]) -> str | None:
        with self._lock:
            if self._fault is not None and self._fault_stage in (stage, "both"):
                return self._fault
            return None

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<SmtpSink {self.host}:{self.port} {state}, {len(self.messages)} message(s)>"


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _configure_django(request: pytest.FixtureRequest, sink: SmtpSink) -> None:
    """Point Django's real SMTP backend at the sink, if Django is in play.

    Kept optional so the sink also works in runs without Django settings
    (e.g. ``-p no:django``), where asking for ``settings`` would fail.
    """
    try:
        from django.conf import settings as django_settings
    except ImportError:
        return
    # LazySettings only reports "configured" after first access, so the
    # environment variable is the earlier signal that Django is meant to run.
    if not (django_settings.configured or os.environ.get("DJANGO_SETTINGS_MODULE")):
        return
    try:
        settings: Any = request.getfixturevalue("settings")
    except pytest.FixtureLookupError:
        return

    if hasattr(django_settings, "MAILERS"):
        # Django 6.1+: once MAILERS is defined the EMAIL_* settings are
        # ignored (reading them even raises), so every mailer alias is
        # redirected instead; otherwise mail sent through a named mailer
        # would silently bypass the sink.
        options = {
            "host": sink.host,
            "port": sink.port,
            "use_tls": False,
            "use_ssl": False,
            "username": "",
            "password": "",
            "timeout": 5,
        }
        aliases = {"default", *django_settings.MAILERS}
        settings.MAILERS = {alias: {"BACKEND": SMTP_BACKEND, "OPTIONS": dict(options)} for alias in aliases}
        return

    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_sink(request: pytest.FixtureRequest) -> Iterator[SmtpSink]:
    """A running :class:`SmtpSink`; Django (if configured) delivers to it."""
    sink = SmtpSink()
    sink.start()
    try:
        _configure_django(request, sink)
        yield sink
    finally:
        sink.stop()
