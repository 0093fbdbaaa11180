"""Real-browser fixtures: Playwright (sync API) driving Debian's Chromium.

Register as a pytest plugin (``pytest_plugins = ["tests.support.browser"]`` in
the root conftest) to get the ``browser``, ``page`` and ``console_errors``
fixtures; import :func:`assert_no_axe_violations` from this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

from intake.accessibility import AXE_TAGS

__all__ = [
    "CHROMIUM_ARGS",
    "WCAG_A_AA_TAGS",
    "assert_keyboard_reaches_everything",
    "assert_no_axe_violations",
    "browser",
    "console_errors",
    "page",
]

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"

# Keep Chromium quiet on the network: tests must not depend on (or leak to)
# anything but the servers they start themselves.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

# The rule sets the accessibility statement names (intake/accessibility.py): WCAG 2.0, 2.1, 2.2 A/AA.
WCAG_A_AA_TAGS: tuple[str, ...] = AXE_TAGS

# Axe() reads axe.min.js shipped inside the package and injects it with
# page.evaluate, so no CDN is ever contacted. One instance suffices.
_AXE = Axe()

_MAX_TARGETS_SHOWN = 3


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    executable = os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM_PATH)
    if not Path(executable).is_file():
        # A skipped browser test looks green in CI while testing nothing.
        pytest.fail(
            f"Chromium not found at {executable!r}. Install Debian's 'chromium' "
            "package (apt-get install chromium) or point CHROMIUM_PATH at a "
            "Chromium binary.",
            pytrace=False,
        )

    # The sync API keeps an asyncio loop "running" on this thread for as long
    # as Playwright is started; Django would then refuse ORM calls from the
    # test body (SynchronousOnlyOperation) while live_server serves requests.
    previous_flag = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=list(CHROMIUM_ARGS),
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous_flag is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous_flag


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context (no cookies or storage shared between tests)."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors and uncaught page exceptions seen by ``page``.

    Chromium reports Content-Security-Policy violations as console errors, so
    ``assert console_errors == []`` proves the CSP blocked nothing, and an
    injected ``<script>`` that would have thrown shows up here if it ran.
    A 404 for ``/favicon.ico`` is left out (see ``_is_favicon_miss``).
    """
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not _is_favicon_miss(message):
            location = message.location
            where = f" ({location.get('url', '')}:{location.get('lineNumber', '')})" if location else ""
            errors.append(f"console.error: {message.text}{where}")

    def on_page_error(error: Error) -> None:
        errors.append(f"pageerror: {error.name}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors


def _is_favicon_miss(message: ConsoleMessage) -> bool:
    # Chromium requests /favicon.ico on its own, at a moment that races with
    # the test; a page that never asked for it must not fail on its absence.
    url = (message.location or {}).get("url", "")
    return urlsplit(url).path == "/favicon.ico" and "404" in message.text


def _format_target(target: Any) -> str:
    # Targets inside iframes / shadow DOM are nested selector lists.
    if isinstance(target, list):
        return " >> ".join(_format_target(part) for part in target)
    return str(target)


def _format_violation(violation: dict[str, Any]) -> str:
    nodes: list[dict[str, Any]] = violation.get("nodes", [])
    targets = [_format_target(node.get("target", [])) for node in nodes[:_MAX_TARGETS_SHOWN]]
    more = f" (+{len(nodes) - _MAX_TARGETS_SHOWN} more)" if len(nodes) > _MAX_TARGETS_SHOWN else ""
    return (
        f"- {violation.get('id')} [{violation.get('impact')}]: {violation.get('help')}\n"
        f"    targets: {', '.join(targets)}{more}\n"
        f"    see: {violation.get('helpUrl', '')}"
    )


def assert_no_axe_violations(page: Page, *, context: str = "") -> None:
    """Fail if axe-core finds WCAG 2.0, 2.1 or 2.2 level A or AA violations on ``page``.

    ``context`` is a human description (e.g. "intake form after invalid
    submit") that is put in the failure message; the whole page is checked.
    """
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_A_AA_TAGS)},
        "resultTypes": ["violations"],
    }
    results = _AXE.run(page, options=options)
    violations: list[dict[str, Any]] = results.response["violations"]
    if not violations:
        return
    label = f" ({context})" if context else ""
    details = "\n".join(_format_violation(v) for v in violations)
    raise AssertionError(f"{len(violations)} axe WCAG A/AA violation(s) on {page.url}{label}:\n{details}")


# Each visible control a person can use: links, buttons, fields, and summaries of <details>.
_CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary"

# Where the focus is, and whether a person can see it: its outline drawn, and the middle of
# what shows of it not covered by other content (WCAG 2.4.7, 2.4.11).
_FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const box = element.getBoundingClientRect();
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    const labels = element.labels ? [...element.labels] : [];
    const covered = !(top && (element.contains(top) || top.contains(element) || labels.some(l => l.contains(top))));
    if (!element.dataset.kbd) element.dataset.kbd = String(Math.random());
    return {
        id: element.dataset.kbd,
        html: element.outerHTML.slice(0, 100),
        outline: getComputedStyle(element).outlineStyle,
        covered: covered,
    };
}"""

_UNREACHED = """selector => [...document.querySelectorAll(selector)]
    .filter(e => e.checkVisibility() && !e.disabled && !e.closest('[inert]'))
    .filter(e => !e.dataset.kbd)
    // One radio of a group takes the focus; the arrow keys choose within it.
    .filter(e => !(e.type === 'radio' && [...document.getElementsByName(e.name)].some(r => r.dataset.kbd)))
    .map(e => e.outerHTML.slice(0, 100))"""


def assert_keyboard_reaches_everything(page: Page, *, limit: int = 400) -> None:
    """Tab from the top of the page until the focus comes round again: every visible control
    takes the focus on the way (WCAG 2.1.1), shows it, and is not hidden behind other content."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen: set[str] = set()
    previous = None
    problems: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        # A date field takes a Tab per part (day, month, year).
        if focused is None or focused["id"] == previous:
            continue
        if focused["id"] in seen:
            break
        seen.add(focused["id"])
        previous = focused["id"]
        if focused["outline"] == "none":
            problems.append(f"no visible focus: {focused['html']}")
        if focused["covered"]:
            problems.append(f"focus hidden behind other content: {focused['html']}")
    problems += [f"not reached by Tab: {html}" for html in page.evaluate(_UNREACHED, _CONTROLS)]
    assert not problems, f"{page.url}:\n" + "\n".join(problems)
