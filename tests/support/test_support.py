"""Tests of the test-support plugins themselves; they need no Django."""

from __future__ import annotations

import re
import smtplib
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page

from tests.support.browser import assert_keyboard_reaches_everything, assert_no_axe_violations
from tests.support.smtp import SmtpSink

# --- SMTP -----------------------------------------------------------------


def _mail(subject: str = "Ontvangstbevestiging klacht") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "klachten@example.org"
    message["To"] = "indiener@example.org"
    message["Subject"] = subject
    message.set_content("Wij hebben uw klacht ontvangen.")
    return message


def _send(sink: SmtpSink, message: EmailMessage, to_addrs: list[str] | None = None) -> None:
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as client:
        client.send_message(message, to_addrs=to_addrs)


def test_sink_receives_message_with_attachment_and_envelope(
    smtp_sink: SmtpSink,
) -> None:
    message = _mail("Uw klacht — ontvangen")
    message.add_attachment(b"%PDF-1.4 test", maintype="application", subtype="pdf", filename="brief.pdf")

    _send(smtp_sink, message, to_addrs=["indiener@example.org", "bcc@example.org"])

    [received] = smtp_sink.wait_for(1)
    assert received["Subject"] == "Uw klacht — ontvangen"
    assert received.envelope_from == "klachten@example.org"
    assert received.envelope_to == ("indiener@example.org", "bcc@example.org")
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "brief.pdf"
    assert attachment.get_content() == b"%PDF-1.4 test"
    assert smtp_sink.messages == [received]

    smtp_sink.clear()
    assert smtp_sink.messages == []


def test_wait_for_times_out_with_clear_message(smtp_sink: SmtpSink) -> None:
    with pytest.raises(AssertionError, match=r"expected at least 1 message\(s\) within 0\.2s, got 0"):
        smtp_sink.wait_for(1, timeout=0.2)


def test_sink_down_then_up_again_on_same_port(smtp_sink: SmtpSink) -> None:
    port = smtp_sink.port
    smtp_sink.stop()
    with pytest.raises(ConnectionRefusedError):
        _send(smtp_sink, _mail())

    smtp_sink.start()
    assert smtp_sink.port == port
    _send(smtp_sink, _mail("Tweede poging"))
    [received] = smtp_sink.wait_for(1)
    assert received["Subject"] == "Tweede poging"


def test_stop_is_idempotent() -> None:
    sink = SmtpSink()
    sink.start()
    sink.stop()
    sink.stop()
    assert not sink.running


def test_reply_with_temporary_failure_on_rcpt(smtp_sink: SmtpSink) -> None:
    smtp_sink.reply_with("451 4.3.0 Try again later")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as excinfo:
        _send(smtp_sink, _mail())
    code, reply = excinfo.value.recipients["indiener@example.org"]
    assert code == 451
    assert b"Try again later" in reply
    assert smtp_sink.messages == []

    smtp_sink.reply_with(None)
    _send(smtp_sink, _mail())
    assert len(smtp_sink.wait_for(1)) == 1


def test_reply_with_permanent_failure_on_data(smtp_sink: SmtpSink) -> None:
    smtp_sink.reply_with("550 5.1.1 No such user", stage="data")
    with pytest.raises(smtplib.SMTPDataError) as excinfo:
        _send(smtp_sink, _mail())
    assert excinfo.value.smtp_code == 550
    assert smtp_sink.messages == []


def test_reply_with_rejects_malformed_reply(smtp_sink: SmtpSink) -> None:
    with pytest.raises(ValueError):
        smtp_sink.reply_with("Try again later")


# --- Browser --------------------------------------------------------------

ACCESSIBLE_PAGE = b"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Klacht indienen</title></head>
<body>
<main>
  <h1>Klacht indienen</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Logo gemeente">
  <form method="post">
    <label for="naam">Naam</label>
    <input id="naam" name="naam" type="text" autocomplete="name">
    <button type="submit">Versturen</button>
  </form>
</main>
</body>
</html>
"""

INACCESSIBLE_PAGE = b"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Klacht indienen</title></head>
<body>
<main>
  <h1>Klacht indienen</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <input name="naam" type="text">
</main>
</body>
</html>
"""

CSP_PAGE = b"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>CSP</title></head>
<body>
<main><h1>CSP</h1><p id="out">veilig</p></main>
<script>document.getElementById("out").textContent = "inline script ran";</script>
</body>
</html>
"""

PAGE_ERROR_PAGE = b"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Fout</title></head>
<body><script>throw new Error("boom");</script></body></html>
"""

MISSING_RESOURCES_PAGE = b"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>404</title>
<link rel="icon" href="/favicon.ico"></head>
<body><main><img src="/missing.png" alt=""></main></body></html>
"""

_ROUTES: dict[str, tuple[bytes, dict[str, str]]] = {
    "/accessible": (ACCESSIBLE_PAGE, {}),
    "/inaccessible": (INACCESSIBLE_PAGE, {}),
    "/csp": (
        CSP_PAGE,
        {"Content-Security-Policy": "default-src 'self'; script-src 'self'"},
    ),
    "/csp-accessible": (
        ACCESSIBLE_PAGE,
        {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:"},
    ),
    "/page-error": (PAGE_ERROR_PAGE, {}),
    "/missing-resources": (MISSING_RESOURCES_PAGE, {}),
}


class _PageHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        route = _ROUTES.get(self.path)
        if route is None:
            self.send_error(404)
            return
        body, headers = route
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        # Keeps pytest output readable; failures show up in assertions instead.
        pass


@pytest.fixture(scope="module")
def static_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_page_has_dutch_locale_and_amsterdam_timezone(page: Page, static_server: str) -> None:
    page.goto(f"{static_server}/accessible")
    assert page.evaluate("navigator.language") == "nl-NL"
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Europe/Amsterdam"


def test_accessible_page_passes_axe(page: Page, static_server: str, console_errors: list[str]) -> None:
    page.goto(f"{static_server}/accessible")
    assert_no_axe_violations(page, context="accessible fixture page")
    # Also shows that a plain page load (no favicon served) produces no noise.
    assert console_errors == []


def test_inaccessible_page_fails_axe_with_rule_ids(page: Page, static_server: str) -> None:
    page.goto(f"{static_server}/inaccessible")
    with pytest.raises(AssertionError) as excinfo:
        assert_no_axe_violations(page, context="broken form")
    report = str(excinfo.value)
    assert set(re.findall(r"^- (\S+) \[", report, re.MULTILINE)) == {
        "image-alt",
        "label",
    }
    assert "(broken form)" in report
    assert "img" in report  # first target selector is listed


def test_axe_runs_under_strict_csp(page: Page, static_server: str, console_errors: list[str]) -> None:
    # The project serves a strict CSP; axe is injected over CDP and must still work.
    page.goto(f"{static_server}/csp-accessible")
    assert_no_axe_violations(page)
    assert console_errors == []


def test_console_errors_report_csp_blocked_inline_script(
    page: Page, static_server: str, console_errors: list[str]
) -> None:
    page.goto(f"{static_server}/csp")
    assert page.text_content("#out") == "veilig"
    assert any("Content Security Policy" in error for error in console_errors), console_errors


def test_console_errors_report_uncaught_exceptions(page: Page, static_server: str, console_errors: list[str]) -> None:
    page.goto(f"{static_server}/page-error")
    assert any(error.startswith("pageerror:") and "boom" in error for error in console_errors), console_errors


def test_console_errors_ignore_favicon_but_report_other_404s(
    page: Page, static_server: str, console_errors: list[str]
) -> None:
    page.goto(f"{static_server}/missing-resources")
    # Lets Chromium's own favicon fetch finish, so the filter is really exercised.
    page.wait_for_load_state("networkidle")
    assert any("/missing.png" in error for error in console_errors), console_errors
    assert not any("favicon" in error for error in console_errors), console_errors


def test_the_archival_check_refuses_an_ordinary_pdf() -> None:
    import pytest
    from weasyprint import HTML

    from lib.documents import archival_pdf
    from tests.support.pdf import assert_archival_and_tagged

    page = HTML(string="<html lang='nl'><head><title>Brief</title></head><body><p>Tekst</p></body></html>")
    assert_archival_and_tagged(archival_pdf(page), title="Brief")
    with pytest.raises(AssertionError):
        assert_archival_and_tagged(page.write_pdf(), title="Brief")
    with pytest.raises(AssertionError):
        assert_archival_and_tagged(archival_pdf(page), title="Brief", lang="en")


KEYBOARD_PAGE = """<!doctype html><html lang="nl"><head><title>t</title>
<style>:focus { outline: 3px solid black; } {extra}</style></head><body><main>
<a href="#a">een</a> <button>twee</button> {body}</main></body></html>"""


@pytest.mark.parametrize(
    ("extra", "body", "found"),
    [
        ("", '<a href="#b" tabindex="-1">drie</a>', "not reached by Tab"),
        ("button:focus { outline: none; }", "", "no visible focus"),
        ("", '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:#fff"></div>', "hidden"),
    ],
)
def test_the_keyboard_check_finds_what_a_keyboard_user_would_miss(
    page: Page, extra: str, body: str, found: str
) -> None:
    page.set_content(KEYBOARD_PAGE.replace("{extra}", extra).replace("{body}", body))
    with pytest.raises(AssertionError, match=found):
        assert_keyboard_reaches_everything(page)


def test_the_keyboard_check_passes_a_page_that_works_by_keyboard(page: Page) -> None:
    page.set_content(KEYBOARD_PAGE.replace("{extra}", "").replace("{body}", '<input aria-label="drie">'))
    assert_keyboard_reaches_everything(page)
