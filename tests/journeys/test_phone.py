"""A responsible person on the road, on a 390 px phone screen in Chromium: reads a complaint,
logs a call and ticks an agreement off. No page scrolls sideways, and the complaint page shows
the complaint's own words first, and what is to be done before its history."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from accounts.models import User
from complaints import services as procedure
from complaints.models import Complaint
from tests.journeys.staff import logged_in
from tests.support.browser import assert_no_axe_violations

PHONE: ViewportSize = {"width": 390, "height": 844}


def top(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["y"]


def assert_no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """limit => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > limit + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))""",
        PHONE["width"],
    )
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen: {wide}"


@pytest.mark.django_db(transaction=True)
def test_a_responsible_person_reads_logs_a_call_and_ticks_an_agreement_off_on_a_phone(
    live_server: Any, browser: Browser, make_complaint: Any, quality_manager: User, director: User
) -> None:
    complaint: Complaint = make_complaint(
        received_at=timezone.now() - timedelta(days=1), description="De monteur kwam twee keer niet opdagen."
    )
    procedure.assign(complaint=complaint, to=director, by=quality_manager)
    procedure.add_agreement(
        complaint=complaint, by=quality_manager, description="Nieuwe afspraak inplannen", owner=director,
        due=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip

    page = logged_in(browser, live_server, director, viewport=PHONE)
    assert_no_sideways_scrolling(page)
    # The menu does not fill the first screen.
    nav = page.locator("nav").first.bounding_box()
    assert nav is not None
    nav_height = nav["height"]
    assert nav_height < PHONE["height"] / 3, f"the menu is {nav_height} px high"
    # The account's own links stand apart from the work links.
    expect(page.locator("nav ul").get_by_role("link", name="Inloggen in twee stappen")).to_have_count(0)
    expect(page.locator("form.logout").get_by_role("link", name="Inloggen in twee stappen")).to_be_visible()
    reference = page.get_by_role("link", name=complaint.reference).first
    expect(reference).to_be_visible()
    # The reference stays on one line.
    box = reference.bounding_box()
    assert box is not None and box["height"] < 30
    reference.click()

    expect(page.locator("h1")).to_contain_text(complaint.reference)
    assert_no_sideways_scrolling(page)
    # The complaint's own words and the next step come before the timeline.
    words = page.get_by_text("De monteur kwam twee keer niet opdagen.")
    expect(words).to_be_visible()
    assert top(words) < top(page.get_by_role("heading", name="Stappen"))
    assert top(page.get_by_role("heading", name="Acties")) < top(page.locator("ol.timeline"))
    assert_no_axe_violations(page, context="complaint page on a phone")

    page.get_by_role("link", name="Telefoongesprek vastleggen").click()
    call = page.locator("form", has=page.get_by_role("button", name="Gesprek vastleggen"))
    call.get_by_label("Wanneer vond het gesprek plaats?").fill(
        timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")
    )
    call.get_by_label("Samenvatting van het gesprek").fill("Klant gebeld vanuit de auto.")
    assert_no_sideways_scrolling(page)
    call.get_by_role("button", name="Gesprek vastleggen").click()
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator(".contacts")).to_contain_text("Klant gebeld vanuit de auto.")

    page.get_by_role("button", name=re.compile("Afvinken: Nieuwe afspraak inplannen")).click()
    expect(page.locator(".agreements")).to_contain_text("gedaan op")
    assert_no_sideways_scrolling(page)
