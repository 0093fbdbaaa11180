"""The token page in a real browser: issue a token, see it once, revoke it; accessible, no CSP errors."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from accounts.models import User
from api.models import ApiToken
from tests.support.browser import assert_no_axe_violations


def log_in(page: Page, base: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


@pytest.mark.django_db(transaction=True)
def test_an_administrator_issues_and_revokes_a_token_in_the_browser(
    live_server: object, page: Page, console_errors: list[str], privacy_officer: User, quality_manager: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, privacy_officer)
    page.goto(f"{base}/backoffice/api-sleutels/")
    assert_no_axe_violations(page, context="token page")
    page.get_by_label("Gebruiker").select_option(str(quality_manager.pk))
    page.get_by_label("Naam").fill("CRM koppeling")
    page.get_by_role("button", name="Sleutel uitgeven").click()
    token = page.get_by_label("Sleutel", exact=True).input_value()
    assert token.startswith("kl_")
    assert_no_axe_violations(page, context="token issued")
    page.get_by_role("button", name="Sleutel CRM koppeling intrekken").click()
    page.get_by_text("ingetrokken op").wait_for()
    assert ApiToken.objects.get().revoked_by == privacy_officer
    assert console_errors == []
