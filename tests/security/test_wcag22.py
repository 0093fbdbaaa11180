"""The WCAG 2.2 AA criteria that axe-core does not decide on its own, each checked in Chromium or
in the source: focus not obscured (2.4.11), dragging movements (2.5.7), target size (2.5.8,
axe's rule, shown to run), consistent help (3.2.6), redundant entry (3.3.7) and accessible
authentication (3.3.8). The public accessibility statement names these criteria."""

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from intake.accessibility import AXE_TAGS
from tests.conftest import PASSWORD
from tests.journeys.staff import logged_in
from tests.support.browser import assert_keyboard_reaches_everything

ROOT = Path(__file__).resolve().parent.parent.parent
PUBLIC_PAGES = ("/klacht/", "/privacy/", "/toegankelijkheid/", "/accounts/login/")


def test_focus_is_never_hidden_behind_other_content_on_the_public_pages(live_server: Any, page: Page) -> None:
    # tests/support/browser.py: each control Tab reaches has its focus drawn and not covered; the
    # same check runs on every public and back-office page (test_accessibility_statement.py,
    # test_backoffice_accessibility.py).
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        assert_keyboard_reaches_everything(page)


@pytest.mark.django_db(transaction=True)
def test_focus_is_never_hidden_on_the_complaint_page_with_a_form_open(
    live_server: Any, browser: Browser, make_complaint: Any, quality_manager: User
) -> None:
    complaint = make_complaint()
    page = logged_in(browser, live_server, quality_manager)
    assert_keyboard_reaches_everything(page)
    page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/afsluiten/")
    assert_keyboard_reaches_everything(page)
    page.context.close()


def test_nothing_needs_dragging() -> None:
    # 2.5.7: no page offers anything that only works by dragging: no draggable element and no
    # script listening for drags or pointer movements.
    sources = [*ROOT.glob("*/templates/**/*.html"), *ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.js")]
    assert sources
    for path in sources:
        text = path.read_text()
        assert not re.search(r"draggable|ondrag|dragstart|pointermove|mousemove|touchmove", text), path


def test_axe_checks_the_target_size_of_every_control(live_server: Any, page: Page) -> None:
    # 2.5.8 is axe's rule "target-size" (tag wcag22aa): it runs with the tags our checks use and
    # every control on the form passes it.
    page.goto(live_server.url + "/klacht/")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": list(AXE_TAGS)}})
    passed = {rule["id"] for rule in result.response["passes"]}
    failed = {rule["id"] for rule in result.response["violations"]}
    assert "target-size" in passed and "target-size" not in failed


def test_help_is_found_in_the_same_place_on_every_public_page(live_server: Any, page: Page) -> None:
    # 3.2.6: the organisation's phone number, e-mail address and the statements stand in the
    # footer of every page, in the same order.
    footers = []
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        footer = page.locator("footer")
        expect(footer).to_contain_text("Telefoon")
        footers.append([link.get_attribute("href") for link in footer.locator("a").all()])
    assert all(links == footers[0] for links in footers), footers
    assert any(href.startswith("mailto:") for href in footers[0] if href)


@pytest.mark.django_db(transaction=True)
def test_what_was_typed_is_never_asked_again_after_an_error(live_server: Any, page: Page) -> None:
    # 3.3.7: the form comes back with every answer in it; only the missing one is asked.
    page.goto(live_server.url + "/klacht/")
    page.get_by_label("Naam", exact=True).fill("Jan Jansen")
    page.get_by_label("E-mailadres").fill("jan@example.nl")
    page.get_by_label("Omschrijving van de klacht").fill("De monteur kwam niet.")
    page.get_by_role("button", name="Klacht versturen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Jan Jansen")
    expect(page.get_by_label("E-mailadres")).to_have_value("jan@example.nl")
    expect(page.get_by_label("Omschrijving van de klacht")).to_have_value("De monteur kwam niet.")


@pytest.mark.django_db(transaction=True)
def test_logging_in_asks_for_nothing_to_remember_or_transcribe(
    live_server: Any, browser: Browser, quality_manager: User, settings: Any
) -> None:
    # 3.3.8: the browser or a password manager may fill in the password and the code, and both
    # may be pasted; the code's key can be copied as text rather than read from the QR image.
    settings.TWO_FACTOR_REQUIRED = True
    context = browser.new_context(locale="nl-NL")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_label("Gebruikersnaam")).to_have_attribute("autocomplete", "username")
    expect(page.get_by_label("Wachtwoord")).to_have_attribute("autocomplete", "current-password")

    def paste(field: Any, text: str) -> None:
        page.evaluate("text => navigator.clipboard.writeText(text)", text)
        field.focus()
        page.keyboard.press("ControlOrMeta+V")
        expect(field).to_have_value(text)

    page.get_by_label("Gebruikersnaam").fill(quality_manager.username)
    paste(page.get_by_label("Wachtwoord"), PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/accounts/tweestaps/instellen/**")
    key = page.locator("#manual-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]{16,}", key), key
    code_field = page.get_by_label(re.compile("code", re.IGNORECASE)).first
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    device = TOTPDevice.objects.get(user=quality_manager)
    paste(code_field, f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    context.close()
