"""The back office with the keyboard alone, in Chromium: the quality manager sends the
acknowledgement, hands a complaint over and closes one; the responsible person logs a call and
ticks an agreement off. Every step is reached by Tab and taken by Enter, Space or the arrow
keys, and whatever has focus shows it."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from accounts.models import User
from complaints import services as procedure
from complaints.models import Complaint
from tests.complaints.procedure import classify, steps_done
from tests.conftest import PASSWORD


def tab_to(page: Page, target: Locator, *, limit: int = 150) -> None:
    """Press Tab until `target` has focus; fails when it is not reachable by Tab."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", "the focused element shows no focus"
            return
    raise AssertionError(f"{target} is not reached by Tab")


def log_in_by_keyboard(browser: Browser, live_server: Any, user: User) -> Page:
    page = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, page.get_by_label("Gebruikersnaam"))
    page.keyboard.type(user.username)
    tab_to(page, page.get_by_label("Wachtwoord"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/backoffice/")
    return page


@pytest.mark.django_db(transaction=True)
def test_the_quality_manager_acknowledges_and_hands_a_complaint_over_by_keyboard(
    live_server: Any, browser: Browser, make_complaint: Any, quality_manager: User, director: User, smtp_sink: Any
) -> None:
    complaint: Complaint = make_complaint(received_at=timezone.now() - timedelta(hours=2))
    page = log_in_by_keyboard(browser, live_server, quality_manager)

    tab_to(page, page.get_by_role("link", name=complaint.reference).first)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(complaint.reference)

    # The acknowledgement: written from its template, read, and sent by e-mail.
    tab_to(page, page.get_by_role("button", name="Opstellen: ontvangstbevestiging"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Per e-mail versturen")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Per e-mail versturen"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("per e-mail verstuurd")
    smtp_sink.wait_for(1)
    page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")

    tab_to(page, page.locator(".action-links").get_by_role("link", name="Overdragen"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/backoffice/klachten/{complaint.reference}/toewijzen/#actie")
    # The opened form comes next in the tab order.
    choice = page.get_by_label("Verantwoordelijke")
    page.keyboard.press("Tab")
    expect(choice).to_be_focused()
    options = choice.locator("option").all_inner_texts()
    for _ in range(options.index("Dirk Directeur (Directielid)")):
        page.keyboard.press("ArrowDown")
    expect(choice).to_have_value(str(director.pk))
    tab_to(page, page.get_by_role("button", name="Overdragen"))
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("Dirk Directeur")
    complaint.refresh_from_db()
    assert complaint.assigned_to == director
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_responsible_person_logs_a_call_and_ticks_an_agreement_off_by_keyboard(
    live_server: Any, browser: Browser, make_complaint: Any, quality_manager: User, director: User
) -> None:
    complaint: Complaint = make_complaint(received_at=timezone.now() - timedelta(days=1))
    procedure.assign(complaint=complaint, to=director, by=quality_manager)
    procedure.add_agreement(
        complaint=complaint, by=quality_manager, description="Nieuwe afspraak inplannen", owner=director,
        due=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    page = log_in_by_keyboard(browser, live_server, director)

    tab_to(page, page.locator("#queue-mine").get_by_role("link", name=complaint.reference))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(complaint.reference)

    tab_to(page, page.get_by_role("link", name="Telefoongesprek vastleggen"))
    page.keyboard.press("Enter")
    expect(page.locator("#actie h3")).to_have_text("Telefoongesprek vastleggen")
    # The moment is filled in with now; the summary is the person's to write.
    tab_to(page, page.get_by_label("Samenvatting van het gesprek"))
    page.keyboard.type("Gebeld; excuses aangeboden.")
    tab_to(page, page.get_by_role("button", name="Gesprek vastleggen"))
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator(".contacts")).to_contain_text("Gebeld; excuses aangeboden.")

    tab_to(page, page.get_by_role("button", name="Afvinken: Nieuwe afspraak inplannen"))
    page.keyboard.press("Space")
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator(".agreements")).to_contain_text("gedaan op")
    assert complaint.agreements.get().done_by == director
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_quality_manager_closes_a_complaint_by_keyboard(
    live_server: Any, browser: Browser, make_complaint: Any, quality_manager: User, director: User
) -> None:
    complaint: Complaint = make_complaint(received_at=timezone.now() - timedelta(days=2))
    classify(complaint, quality_manager)
    procedure.assign(complaint=complaint, to=director, by=quality_manager)
    steps_done(complaint, quality_manager)
    page = log_in_by_keyboard(browser, live_server, quality_manager)
    page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")

    tab_to(page, page.get_by_role("link", name="Klacht afsluiten"))
    page.keyboard.press("Enter")
    # A radio group is one Tab stop; the arrow keys choose within it.
    tab_to(page, page.get_by_label("gegrond", exact=True))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("deels gegrond")).to_be_checked()
    tab_to(page, page.get_by_label("Afhandeling", exact=True))
    page.keyboard.type("Excuses en een nieuwe afspraak.")
    agrees = page.locator("fieldset", has_text="Is de klager het ermee eens?")
    tab_to(page, agrees.get_by_label("ja"))
    page.keyboard.press("Space")
    expect(agrees.get_by_label("ja")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Klacht afsluiten"))
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.outcome == "partly_well_founded"
    page.context.close()
