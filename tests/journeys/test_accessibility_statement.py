"""A visitor follows "Toegankelijkheid" in the footer to the accessibility statement; every public
page the statement lists is checked here, in Chromium, with the rule sets it names, by keyboard
(every control reached by Tab, its focus seen) and on a 320 px wide screen."""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from playwright.sync_api import Page, expect

from intake import accessibility
from tests.support.browser import assert_keyboard_reaches_everything, assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_public_page_the_statement_lists_passes_axe_and_fits_320_px(live_server: Any, page: Page) -> None:
    for checked in accessibility.PUBLIC_PAGES:
        page.set_viewport_size({"width": 1280, "height": 800})
        response = page.goto(f"{live_server}{checked.path}")
        assert response is not None and response.status == checked.status, checked.path
        assert_no_axe_violations(page, context=str(checked.name))
        assert_keyboard_reaches_everything(page)
        page.set_viewport_size({"width": accessibility.REFLOW_WIDTH, "height": 800})
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= accessibility.REFLOW_WIDTH, f"{checked.path} is {width} px wide"


def test_the_footer_leads_to_the_statement_which_says_what_is_checked(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server}/klacht/")
    page.get_by_role("link", name="Toegankelijkheid").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    text = page.locator("main").inner_text()
    assert "voldoen gedeeltelijk aan WCAG 2.2 op niveau AA" in text
    assert "320 pixels breed" in text
    with translation.override("nl"):
        for listed in (*accessibility.PUBLIC_PAGES,):
            assert str(listed.name) in text
        for gap in accessibility.KNOWN_GAPS:
            assert str(gap) in text
        for criterion in accessibility.CHECKED_CRITERIA:
            assert str(criterion) in text


def test_the_statement_is_in_english_when_switched() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/toegankelijkheid/"})
    html = client.get("/toegankelijkheid/").content.decode()
    assert "<h1>Accessibility statement</h1>" in html
    assert "partially comply with WCAG 2.2 at level AA" in html
    assert "Toegankelijkheidsverklaring" not in html
