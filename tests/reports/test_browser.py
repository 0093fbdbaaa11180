"""In a real browser: the reports page with its charts, read as a person (or a screen reader) would."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from accounts.roles import Role
from tests.conftest import make_user
from tests.reports.conftest import NOW
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, live_server: LiveServer, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_management_opens_the_reports_and_reads_a_charts_numbers_in_its_table(
    live_server: LiveServer, page: Page, console_errors: list[str], year_of_complaints
) -> None:
    sign_in(page, live_server, make_user("mona", Role.MANAGEMENT))
    with time_machine.travel(NOW, tick=True):
        page.goto(f"{live_server.url}/backoffice/")
        # "My work" sends management to the reports.
        assert "/backoffice/rapportages/" in page.url
        page.get_by_role("link", name="2025", exact=True).first.click()
        page.wait_for_url("**p=2025")
        chart = page.get_by_role("img", name="Instroom per kanaal")
        assert chart.is_visible()
        description = chart.locator("desc").text_content() or ""
        assert "web" in description.lower() and "7" in description
        table = page.locator("#table-inflow_channel")
        web_row = table.get_by_role("row").filter(has_text="webformulier").first
        cells = web_row.locator("td").all_text_contents()
        assert cells == ["7", "1"]
        deadlines = page.locator("#table-deadlines").get_by_role("row").nth(1).locator("td").first.text_content()
        assert deadlines == "72,7%"
        assert_no_axe_violations(page, context="reports page, year 2025")
    assert console_errors == []


def test_the_quality_manager_exports_a_year_as_xlsx_and_watches_it_being_made(
    live_server: LiveServer, page: Page, console_errors: list[str], year_of_complaints, quality_manager, settings
) -> None:
    import io

    from django.core.management import call_command
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    # The real queue: the export waits for the worker, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sign_in(page, live_server, quality_manager)
    page.goto(f"{live_server.url}/backoffice/rapportages/?p=2025")
    page.get_by_role("button", name="Excel (XLSX)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Geanonimiseerde lijst van klachten: 2025")
    expect(page.get_by_role("status")).to_contain_text("Wacht op de start")
    expect(page.get_by_label("Voortgang")).to_be_visible()
    assert_no_axe_violations(page, context="export waiting for the worker")
    # A second click on the reports page comes back to the same export.
    waiting = page.url
    page.go_back()
    page.get_by_role("button", name="Excel (XLSX)").click()
    assert page.url == waiting

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # The page asks how far it is and, once ready, offers the file.
    expect(page.get_by_role("status")).to_contain_text("De export is klaar: 11 klachten.", timeout=10_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="klachten-geanonimiseerd-2025.xlsx downloaden").click()
    assert download.value.suggested_filename == "klachten-geanonimiseerd-2025.xlsx"
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet.max_row == 12
    assert_no_axe_violations(page, context="export ready")
    assert console_errors == []
