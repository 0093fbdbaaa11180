"""A small IMAP client for the intake mailbox: list, fetch with arrival time, move.

Uses the standard library's imaplib; the server is told nothing but IMAP4rev1 plus MOVE
and UIDPLUS where it offers them."""

import contextlib
import imaplib
import ipaddress
import re
import ssl
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


class MailboxError(Exception):
    """The IMAP server refused or failed a command; the run stops and is retried next time."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str  # "ssl", "starttls" or "none"
    user: str
    password: str
    oauth2_token: str
    folder: str
    processed_folder: str
    quarantine_folder: str
    timeout: int
    batch_size: int


def imap_settings() -> ImapSettings | None:
    """The mailbox from settings.MAIL_INTAKE, or None when no IMAP host is configured."""
    config = getattr(settings, "MAIL_INTAKE", {})
    if not config.get("host"):
        return None
    security = config.get("security", "ssl")
    if security not in ("ssl", "starttls", "none"):
        raise ImproperlyConfigured("IMAP_SECURITY must be ssl, starttls or none.")
    if security == "none" and not _is_loopback(config["host"]):
        # A password must never cross a network in the clear.
        raise ImproperlyConfigured("IMAP_SECURITY=none is only allowed for a mail server on this machine.")
    if not config.get("user") or not (config.get("password") or config.get("oauth2_token")):
        raise ImproperlyConfigured("IMAP_USER and IMAP_PASSWORD or IMAP_OAUTH2_TOKEN are required with IMAP_HOST.")
    return ImapSettings(
        host=config["host"],
        port=int(config.get("port") or (993 if security == "ssl" else 143)),
        security=security,
        user=config["user"],
        password=config.get("password", ""),
        oauth2_token=config.get("oauth2_token", ""),
        folder=config.get("folder") or "INBOX",
        processed_folder=config.get("processed_folder") or "Verwerkt",
        quarantine_folder=config.get("quarantine_folder") or "Quarantaine",
        timeout=int(config.get("timeout") or 30),
        batch_size=int(config.get("batch_size") or 200),
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def xoauth2(user: str, token: str) -> bytes:
    """The SASL XOAUTH2 initial response (Google, Microsoft 365)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()


def _check(result: tuple[str, list[Any]], what: str) -> list[Any]:
    status, data = result
    if status != "OK":
        raise MailboxError(f"{what}: {status} {data!r}"[:500])
    return data


def quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    def __init__(self, config: ImapSettings) -> None:
        self.config = config
        self.connection: imaplib.IMAP4 | None = None
        self.capabilities: frozenset[str] = frozenset()

    def __enter__(self) -> "Mailbox":
        config = self.config
        try:
            if config.security == "ssl":
                connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    config.host, config.port, ssl_context=ssl.create_default_context(), timeout=config.timeout
                )
            else:
                connection = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
                if config.security == "starttls":
                    connection.starttls(ssl_context=ssl.create_default_context())
            if config.oauth2_token:
                connection.authenticate("XOAUTH2", lambda _challenge: xoauth2(config.user, config.oauth2_token))
            else:
                connection.login(config.user, config.password)
        except (TimeoutError, imaplib.IMAP4.error, OSError) as error:
            raise MailboxError(f"cannot log in to {config.host}:{config.port}: {error}") from error
        self.connection = connection
        # Servers announce extensions like MOVE only after login; imaplib keeps the list from before.
        data = _check(connection.capability(), "CAPABILITY")
        announced = data[0].decode() if data and isinstance(data[0], bytes) else ""
        self.capabilities = frozenset(announced.upper().split()) | frozenset(connection.capabilities)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.connection is None:
            return
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            self.connection.logout()
        self.connection = None

    @property
    def imap(self) -> imaplib.IMAP4:
        assert self.connection is not None, "use the mailbox as a context manager"
        return self.connection

    def ensure_folder(self, folder: str) -> None:
        status, _data = self.imap.create(quote(folder))
        # NO here means it exists already (servers word that differently); anything else is checked on use.
        if status not in ("OK", "NO"):
            raise MailboxError(f"cannot create folder {folder}")

    def select(self, folder: str) -> int:
        """Open a folder for reading and writing; returns its UIDVALIDITY."""
        _check(self.imap.select(quote(folder)), f"SELECT {folder}")
        data = _check(self.imap.status(quote(folder), "(UIDVALIDITY)"), f"STATUS {folder}")
        match = UIDVALIDITY.search(data[0] if isinstance(data[0], bytes) else b"")
        if not match:
            raise MailboxError(f"no UIDVALIDITY for {folder}")
        return int(match.group(1))

    def uids(self) -> list[int]:
        data = _check(self.imap.uid("SEARCH", "ALL"), "UID SEARCH")
        raw = data[0] if data and isinstance(data[0], bytes) else b""
        return sorted(int(uid) for uid in raw.split())

    def exists(self, uid: int) -> bool:
        data = _check(self.imap.uid("SEARCH", "UID", str(uid)), f"UID SEARCH {uid}")
        return bool(data and isinstance(data[0], bytes) and data[0].split())

    def fetch(self, uid: int) -> tuple[bytes, datetime] | None:
        """The message's bytes and its arrival time (INTERNALDATE); None if it is gone (another
        worker moved it)."""
        status, data = self.imap.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
        if status != "OK":
            if not self.exists(uid):
                return None
            raise MailboxError(f"UID FETCH {uid}: {status} {data!r}"[:500])
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                envelope, body = item
                match = INTERNALDATE.search(envelope)
                if match is None:
                    raise MailboxError(f"no INTERNALDATE for UID {uid}")
                return body, datetime.strptime(match.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
        return None

    def move(self, uid: int, folder: str) -> None:
        """Move a message to `folder`; a message another worker moved already counts as moved."""
        try:
            self._move(uid, folder)
        except MailboxError:
            if self.exists(uid):
                raise

    def _move(self, uid: int, folder: str) -> None:
        if "MOVE" in self.capabilities:
            _check(self.imap.uid("MOVE", str(uid), quote(folder)), f"UID MOVE {uid}")
            return
        _check(self.imap.uid("COPY", str(uid), quote(folder)), f"UID COPY {uid}")
        _check(self.imap.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), f"UID STORE {uid}")
        if "UIDPLUS" in self.capabilities:
            _check(self.imap.uid("EXPUNGE", str(uid)), f"UID EXPUNGE {uid}")
        else:
            _check(self.imap.expunge(), "EXPUNGE")
