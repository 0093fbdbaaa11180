"""The received e-mail page in a real browser: accessible, and a hostile header stays text."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from accounts.models import User
from mailintake.models import InboundMessage, Outcome
from tests.support.browser import assert_no_axe_violations


@pytest.mark.django_db(transaction=True)
def test_the_quality_manager_reads_the_quarantine_list(
    live_server: object, page: Page, console_errors: list[str], quality_manager: User
) -> None:
    InboundMessage.objects.create(
        folder="INBOX",
        uidvalidity=1,
        uid=3,
        message_id="<q@no-message-id.invalid>",
        received_at=datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Amsterdam")),
        outcome=Outcome.QUARANTINED,
        error="broken MIME structure (StartBoundaryNotFoundDefect)",
        headers_excerpt='Subject: <img src=x onerror="document.title=1">\nX-Long: ' + "a" * 300,
    )
    base = live_server.url  # type: ignore[attr-defined]
    client = Client()
    client.force_login(quality_manager)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    page.goto(f"{base}/backoffice/ontvangen-email/")
    page.get_by_role("heading", name="Niet leesbaar").wait_for()
    page.get_by_text("StartBoundaryNotFoundDefect").wait_for()
    assert page.title() != "1"
    assert_no_axe_violations(page, context="received e-mail")
    page.get_by_role("link", name="Ontvangen e-mail").wait_for()
    assert console_errors == []
