"""The annual complaints report in Chromium, by the labels a person reads: the quality manager
follows "2025" under "Jaarverslag klachten (anoniem, om te publiceren)" on the reports page, reads
its figures (a small number shown as "< 5", no name or e-mail address anywhere) and downloads the
PDF; the public gets nothing until the administrator ticks "jaarverslag klachten publiceren" on the
organisation page, and then an anonymous visitor reads the report of 2025 at /jaarverslag/ (by
keyboard too, and on a 320 px wide screen) and downloads it.

The figures are those of the hand-counted year (tests/reports/conftest.py), looked at on NOW,
15 January 2026, as tests/reports/test_browser.py does: time_machine moves the clock of the whole
process, so the live server's thread counts on that day too."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Download, Locator, Page, expect
from pypdf import PdfReader

from accounts.models import User
from complaints.models import Complaint
from intake.accessibility import REFLOW_WIDTH
from organisation.selectors import get_organisation
from tests.reports.conftest import NOW, year_of_complaints
from tests.support.browser import assert_keyboard_reaches_everything, assert_no_axe_violations

__all__ = ["year_of_complaints"]  # the hand-counted year, a fixture of the reports' tests

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Jaarverslag klachten 2025"
DOWNLOAD = "Jaarverslag klachten 2025 downloaden (pdf)"


def log_in(page: Page, base: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def new_page(browser: Browser) -> Page:
    return browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam").new_page()


def cells(page: Page, table: str, row: str) -> list[str]:
    """The figures in the row `row` of the table captioned `table`, as a person reads them."""
    found: Locator = page.get_by_role("table", name=table).get_by_role("row")
    found = found.filter(has=page.get_by_role("rowheader", name=row, exact=True))
    expect(found).to_have_count(1)
    return [" ".join(text.split()) for text in found.get_by_role("cell").all_inner_texts()]


def private_details(complaints: dict[str, Complaint]) -> set[str]:
    """What the complainants told us about themselves, and what staff wrote about one complaint."""
    found = {"@example.nl", "Wachten op de leverancier"}
    for complaint in complaints.values():
        found |= {complaint.name, complaint.company, complaint.email, complaint.phone, complaint.reference}
        found.add(complaint.description[:30])
    return {text for text in found if text}


def reads_the_figures_of_2025(page: Page, complaints: dict[str, Complaint]) -> None:
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page).to_have_title(re.compile(TITLE))
    main = page.get_by_role("main")
    expect(main.get_by_text("Ontvangen klachten", exact=True).locator("xpath=following-sibling::dd[1]")).to_have_text(
        "11"
    )
    assert cells(page, "Klachten per kanaal", "webformulier") == ["7"]
    assert cells(page, "Klachten per kanaal", "telefoon") == ["< 5"]
    # Acknowledged 8 of 11 on time; the resolution deadline extended once, so "< 5".
    assert cells(page, "Termijnen gehaald", "Ontvangst bevestigd binnen de termijn")[:3] == ["8", "11", "72,7%"]
    assert cells(page, "Afhandeltermijn verlengd", "alle klachten") == ["< 5"]
    # Three questionnaires answered: too few for an average, so none is shown.
    assert cells(page, "Tevredenheid", "gemiddelde score (1 tot 5)") == ["–"]
    # 2025 is over: these are its final figures.
    expect(main.get_by_text("Het jaar is nog niet voorbij")).to_have_count(0)
    html, text = page.content(), page.locator("body").inner_text()
    for private in private_details(complaints):
        assert private not in html and private not in text, private


def downloads_the_pdf(page: Page) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=DOWNLOAD).click()
    got: Download = download.value
    assert got.suggested_filename == "jaarverslag-klachten-2025.pdf"
    pdf = Path(got.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert TITLE in text and "Klachten per kanaal" in text and "< 5" in text
    # Downloading leaves the page as it was.
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    return pdf


def test_the_quality_manager_reads_the_annual_report_of_2025_and_downloads_it(
    live_server: Any,
    page: Page,
    console_errors: list[str],
    year_of_complaints: dict[str, Complaint],
    quality_manager: User,
) -> None:
    base = live_server.url
    with time_machine.travel(NOW, tick=True):
        log_in(page, base, quality_manager)
        page.goto(f"{base}/backoffice/")
        page.get_by_role("link", name="Rapportages", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Rapportages")
        annual = page.get_by_role("listitem").filter(has_text="Jaarverslag klachten (anoniem, om te publiceren)")
        annual.get_by_role("link", name="2025", exact=True).click()
        page.wait_for_url("**/rapportages/jaarverslag/2025/")

        reads_the_figures_of_2025(page, year_of_complaints)
        # Not public yet: the page says who can publish it, and where.
        expect(page.get_by_text("de beheerder kan het publiceren onder Organisatie")).to_be_visible()
        assert_no_axe_violations(page, context="annual complaints report 2025 in the back office")
        downloads_the_pdf(page)
    assert console_errors == []


def test_the_administrator_publishes_the_report_and_a_visitor_reads_it(
    live_server: Any,
    browser: Browser,
    page: Page,
    console_errors: list[str],
    year_of_complaints: dict[str, Complaint],
    privacy_officer: User,
) -> None:
    base = live_server.url
    visitor = page  # not logged in
    with time_machine.travel(NOW, tick=True):
        for path in ("/jaarverslag/2025/", "/jaarverslag/"):
            response = visitor.goto(f"{base}{path}")
            assert response is not None and response.status == 404, path
            expect(visitor.get_by_role("heading", name="Pagina niet gevonden", level=1)).to_be_visible()

    # The administrator (the privacy officer / administrator role) publishes it. On the real clock:
    # the cookies the server sets (the CSRF token's lasts a year) would look expired to Chromium,
    # which keeps the real time, once that is more than a year after NOW.
    admin = new_page(browser)
    log_in(admin, base, privacy_officer)
    admin.goto(f"{base}/backoffice/")
    admin.get_by_role("link", name="Organisatie").click()
    publish = admin.get_by_label("Jaarverslag klachten publiceren")
    expect(publish).not_to_be_checked()
    publish.check()
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_text("zijn opgeslagen en gelden vanaf nu")).to_be_visible()
    expect(admin.get_by_label("Jaarverslag klachten publiceren")).to_be_checked()
    assert get_organisation().publish_annual_report
    admin.context.close()

    with time_machine.travel(NOW, tick=True):
        # The latest finished year; the running one (2026) is not published.
        response = visitor.goto(f"{base}/jaarverslag/")
        assert response is not None and response.status == 200
        reads_the_figures_of_2025(visitor, year_of_complaints)
        # Nothing of the back office: no staff member's name, no word about the administrator.
        text = visitor.locator("body").inner_text()
        for staff in (privacy_officer.get_full_name(), "Karin Kwaliteit", "beheerder", "Cijfers berekend op"):
            assert staff not in text, staff
        years = visitor.get_by_role("navigation", name="Jaar")
        expect(years.get_by_role("link", name="2025")).to_have_attribute("aria-current", "page")
        expect(years.get_by_role("link", name="2026")).to_have_count(0)

        assert_no_axe_violations(visitor, context="public annual complaints report 2025")
        assert_keyboard_reaches_everything(visitor)
        visitor.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
        width = visitor.evaluate("document.documentElement.scrollWidth")
        assert width <= REFLOW_WIDTH, f"the public annual report is {width} px wide at {REFLOW_WIDTH} px"
        visitor.set_viewport_size({"width": 1280, "height": 800})

        downloads_the_pdf(visitor)
        assert visitor.url == f"{base}/jaarverslag/"
    # Only the two pages asked for before publication (404, with a page).
    assert [error for error in console_errors if "status of 404" not in error] == []
