"""Finding: a request whose Content-Length was too large, on a path with %0A, wrote a forged
`CRITICAL security.auth … admin login` line, because the decoded path was logged as it was. Every
log line the project writes is one line: control characters in logged values are escaped."""

import logging

import pytest
from django.conf import settings
from django.test import Client

from lib.logging import SafeFormatter

PLAIN: dict[str, str] = settings.LOGGING["formatters"]["plain"]  # type: ignore[index]
FORGED = "\r\n2026-12-02 10:00:00,000 CRITICAL security.auth admin login user=1"


def formatted(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The records as the configured console handler writes them."""
    formatter = SafeFormatter(PLAIN["format"])
    return [formatter.format(record) for record in caplog.records]


def test_the_configured_formatter_is_the_escaping_one() -> None:
    assert PLAIN["()"] == "lib.logging.SafeFormatter"


@pytest.mark.django_db
def test_an_oversized_request_on_a_path_with_a_line_break_logs_one_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        Client().generic("POST", "/klacht/%0D%0A2026-12-02%20CRITICAL%20forged/", b"x", CONTENT_LENGTH="999999999")
    lines = [line for line in formatted(caplog) if "Refused a request body" in line]
    assert lines, "the refusal is logged"
    for line in lines:
        assert "\n" not in line and "\r" not in line
        assert "\\r\\n2026-12-02 CRITICAL forged" in line


@pytest.mark.django_db
def test_a_failed_login_with_a_line_break_in_the_name_logs_one_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        Client().post("/accounts/login/", {"username": "karin" + FORGED, "password": "x"})
    assert caplog.records
    for line in formatted(caplog):
        assert "\n" not in line and "\r" not in line


@pytest.mark.parametrize("character", ["\n", "\r", "\x1b", "\x00", "\u2028", "\u2029", "\x85", "\x7f"])
def test_every_control_and_line_separator_character_is_escaped(character: str) -> None:
    record = logging.LogRecord("security", logging.WARNING, __file__, 1, "value=%s", (f"a{character}b",), None)
    line = SafeFormatter("%(levelname)s %(message)s").format(record)
    assert character not in line
    assert line.startswith("WARNING value=a\\")


def test_a_traceback_keeps_its_lines_but_none_of_them_looks_like_a_record() -> None:
    try:
        raise ValueError("bad" + FORGED)
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), __import__("sys").exc_info())
    lines = SafeFormatter("%(asctime)s %(levelname)s %(message)s").format(record).splitlines()
    assert lines[0].endswith("ERROR failed")
    assert all(line.startswith("  ") for line in lines[1:])
