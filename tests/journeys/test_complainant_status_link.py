"""The complainant's link in Chromium, by the labels a person reads: the link from the
acknowledgement opens their page once and keeps it open in that browser; the same link in
another browser opens nothing and says how to get a new one; the new link arrives by e-mail,
opens the page on the new device and ends the old session. Checked by axe on every state."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from complaints.models import Complaint
from correspondence import services
from correspondence.models import LetterKind
from outbox.models import OutboxMessage
from tests.conftest import details, make_user
from tests.support.browser import assert_no_axe_violations

LINK = re.compile(r"/klacht/status/[A-Za-z0-9_-]{43}/")


def new_page(browser: Browser) -> Page:
    return browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam").new_page()


@pytest.mark.django_db(transaction=True)
def test_the_complainants_link_works_once_and_a_new_one_is_at_hand(live_server: Any, browser: Browser) -> None:
    from accounts.roles import Role
    from complaints.models import Channel
    from intake.registration import register_complaint

    complaint, _ = register_complaint(
        channel=Channel.WEB,
        received_at=timezone.now() - timedelta(hours=2),
        details=details(email="anouk@example.nl", name="Anouk Bakker"),
    )
    quality_manager = make_user("karin", Role.QUALITY_MANAGER)
    letter = services.draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=quality_manager)
    services.send_letter(letter=letter, by=quality_manager)
    found = LINK.search(OutboxMessage.objects.get(kind="letter_acknowledgement").body_text)
    assert found
    link = f"{live_server.url}{found.group(0)}"

    phone = new_page(browser)
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Uw klacht {complaint.reference}")
    assert phone.url == f"{live_server.url}/klacht/status/"
    expect(phone.get_by_text("Deze pagina blijft 30 dagen open in deze browser.")).to_be_visible()
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Uw klacht {complaint.reference}")

    laptop = new_page(browser)
    response = laptop.goto(link)
    assert response is not None and response.status == 404
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Deze link opent uw klacht niet")
    expect(laptop.locator("main")).not_to_contain_text(complaint.reference)
    assert_no_axe_violations(laptop, context="used status link")
    laptop.get_by_role("link", name="Nieuwe link aanvragen").click()
    assert_no_axe_violations(laptop, context="new status link form")
    laptop.get_by_role("button", name="Stuur mij een nieuwe link").click()
    expect(laptop.locator("#error-summary")).to_contain_text("Dit veld is verplicht")
    assert_no_axe_violations(laptop, context="new status link form with errors")
    laptop.get_by_label("Referentienummer").fill(complaint.reference.lower())
    laptop.get_by_label("E-mailadres").fill("anouk@example.nl")
    laptop.get_by_role("button", name="Stuur mij een nieuwe link").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")

    fresh = LINK.search(OutboxMessage.objects.get(kind="status_link").body_text)
    assert fresh
    laptop.goto(f"{live_server.url}{fresh.group(0)}")
    expect(laptop.get_by_role("heading", level=1)).to_have_text(f"Uw klacht {complaint.reference}")
    assert Complaint.objects.get(pk=complaint.pk).status_link.claimed_at is not None

    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Deze link opent uw klacht niet")
    for page in (phone, laptop):
        page.context.close()
