"""Signing in as a member of staff, as a person does, for the journeys."""

from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize, expect

from accounts.models import User
from tests.conftest import PASSWORD


def logged_in(browser: Browser, live_server: Any, user: User, *, viewport: ViewportSize | None = None) -> Page:
    """A new browser (Dutch, Amsterdam time; a phone's screen with `viewport`) logged in as `user`
    through the login page."""
    if viewport is None:
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    else:
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=viewport, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{live_server.url}/backoffice/")
    return page
