"""A real IMAP server on loopback: Debian's Dovecot with a throw-away configuration.

Register as a pytest plugin (``pytest_plugins = ["tests.support.imap"]``) to get the
``imap_server`` fixture: one Dovecot per test session (started on first use), one
mailbox user, every folder emptied before each test. Messages go in with IMAP APPEND,
like a mail server delivering them, with the arrival time (INTERNALDATE) the test gives.

Dovecot refuses to run its login processes as root; when the tests run as root the
unprivileged users Debian's package creates (dovenull, dovecot) take those parts.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

__all__ = ["DOVECOT", "ImapServer", "imap_server"]

DOVECOT = "/usr/sbin/dovecot"
LOOPBACK = "127.0.0.1"
USER = "klachten"
PASSWORD = "imap-test-password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _accounts() -> tuple[str, str, int, int]:
    """(login user, internal user, mail uid, mail gid) for the processes Dovecot starts."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid
    login = pwd.getpwnam("dovenull")
    internal = pwd.getpwnam("dovecot")
    return login.pw_name, internal.pw_name, internal.pw_uid, internal.pw_gid


CONFIG = """
instance_name = klachten-test-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = no
# Loopback only, so a plain password is acceptable here (and only here).
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_user}
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


class ImapServer:
    def __init__(self) -> None:
        if not Path(DOVECOT).exists():
            raise RuntimeError(f"{DOVECOT} not found: install the Debian package dovecot-imapd")
        self.host = LOOPBACK
        self.port = _free_port()
        self.user = USER
        self.password = PASSWORD
        self.root = Path(tempfile.mkdtemp(prefix="klachten-imap-"))
        self.process: subprocess.Popen[bytes] | None = None

    # Lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        login_user, internal_user, uid, gid = _accounts()
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir()
        # The unprivileged login processes must reach their sockets under base_dir.
        self.root.chmod(0o755)
        (self.root / "run").chmod(0o755)
        if os.geteuid() == 0:
            os.chown(self.root / "mail", uid, gid)
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                host=self.host,
                port=self.port,
                login_user=login_user,
                internal_user=internal_user,
                uid=uid,
                gid=gid,
            )
        )
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stdout.read().decode()} {self.log()}")  # type: ignore[union-attr]
            try:
                with self.connect():
                    return
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dovecot did not start: {self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    # Mailbox helpers -------------------------------------------------------------------------

    def connect(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4(self.host, self.port, timeout=10)
        connection.login(self.user, self.password)
        return connection

    def settings(self, **overrides: object) -> dict[str, object]:
        """A MAIL_INTAKE setting for this server."""
        return {
            "host": self.host,
            "port": self.port,
            "security": "none",
            "user": self.user,
            "password": self.password,
            "folder": "INBOX",
            "processed_folder": "Verwerkt",
            "quarantine_folder": "Quarantaine",
            "timeout": 10,
            "batch_size": 500,
            **overrides,
        }

    def append(self, raw: bytes, *, arrived: datetime | None = None, folder: str = "INBOX") -> None:
        with self.connect() as connection:
            when = imaplib.Time2Internaldate(arrived) if arrived else None
            status, data = connection.append(folder, None, when, raw)
            assert status == "OK", data

    def messages(self, folder: str) -> list[bytes]:
        with self.connect() as connection:
            status, _data = connection.select(folder, readonly=True)
            if status != "OK":
                return []
            _status, found = connection.uid("SEARCH", "ALL")
            result: list[bytes] = []
            for uid in found[0].split():
                _status, parts = connection.uid("FETCH", uid, "(BODY.PEEK[])")
                result.extend(part[1] for part in parts if isinstance(part, tuple))
            return result

    def count(self, folder: str) -> int:
        with self.connect() as connection:
            status, data = connection.status(folder, "(MESSAGES)")
            if status != "OK":
                return 0
            return int(data[0].split(b"MESSAGES ")[1].rstrip(b")"))

    def clear(self) -> None:
        """Empty the inbox and remove every other folder."""
        with self.connect() as connection:
            _status, listing = connection.list()
            for line in listing or []:
                # A folder name sent as a literal would come as a tuple; ours never are.
                assert isinstance(line, bytes), line
                name = line.decode().rsplit(' "." ', 1)[-1].strip('"')
                if name.upper() == "INBOX":
                    _status, count = connection.select("INBOX")
                    if int(count[0] or 0):
                        connection.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                        connection.expunge()
                    connection.close()
                else:
                    connection.delete(f'"{name}"')


@pytest.fixture(scope="session")
def _imap_process() -> Iterator[ImapServer]:
    server = ImapServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_server(_imap_process: ImapServer, settings: pytest.FixtureRequest) -> Iterator[ImapServer]:
    """The loopback Dovecot with empty folders, configured as the intake mailbox."""
    _imap_process.clear()
    settings.MAIL_INTAKE = _imap_process.settings()  # type: ignore[attr-defined]
    yield _imap_process
