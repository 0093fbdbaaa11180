"""The back office in Chromium, by the labels a person reads: a phone complaint with the real
time of the call, and a letter that arrived days before it was typed in, with its scan. The
deadlines count from the moment of receipt, the timeline dates "Klacht ontvangen" then, and the
complaint waits for the quality manager."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, FilePayload, Page, expect

from accounts.models import User
from complaints.models import Channel, Complaint
from deadlines.rules import deadlines_for
from organisation.selectors import closure_days, get_organisation
from tests.intake import files
from tests.journeys.staff import logged_in
from tests.support.browser import assert_no_axe_violations


def register(page: Page, live_server: Any, *, channel: str, received: Any, name: str, **extra: str) -> None:
    page.goto(f"{live_server.url}/backoffice/registreren/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Telefoontje of brief registreren")
    page.get_by_label(channel, exact=True).check()
    page.get_by_label("Ontvangen op").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Datum klachtmelding").fill(received.strftime("%Y-%m-%d"))
    for label, value in extra.items():
        page.get_by_label(label.replace("_", " ")).fill(value)
    page.get_by_label("Onze dienstverlening").check()
    page.get_by_label("Omschrijving van de klacht").fill("Drie keer doorverbonden en niemand belde terug.")


@pytest.mark.django_db(transaction=True)
def test_the_back_office_registers_a_call_and_a_late_letter_with_its_scan(
    live_server: Any, browser: Browser, back_office: User, quality_manager: User
) -> None:
    page = logged_in(browser, live_server, back_office)

    called = timezone.localtime() - timedelta(days=1, hours=2)
    register(
        page, live_server, channel="Telefoon", received=called, name="Fatima El Amrani", Telefoonnummer="020 1234567"
    )
    assert_no_axe_violations(page, context="registration form filled in")
    page.get_by_role("button", name="Klacht registreren").click()
    call = Complaint.objects.get(name="Fatima El Amrani")
    expect(page).to_have_url(f"{live_server.url}/backoffice/klachten/{call.reference}/")
    assert call.channel == Channel.PHONE
    assert timezone.localtime(call.received_at).strftime("%Y-%m-%d %H:%M") == called.strftime("%Y-%m-%d %H:%M")

    arrived = (timezone.localtime() - timedelta(days=6)).replace(hour=9, minute=30, second=0, microsecond=0)
    register(
        page,
        live_server,
        channel="Brief",
        received=arrived,
        name="Jan de Vries",
        Postadres="Dorpsstraat 1\n6711 AB Ede",
    )
    page.get_by_label("Bijlagen").set_input_files(
        files=[FilePayload(name="brief-scan.png", mimeType="image/png", buffer=files.png())]
    )
    page.get_by_role("button", name="Klacht registreren").click()
    letter = Complaint.objects.get(name="Jan de Vries")
    expect(page).to_have_url(f"{live_server.url}/backoffice/klachten/{letter.reference}/")
    assert letter.attachments.get().original_name == "brief-scan.png"
    expected = deadlines_for(received_on=arrived.date(), organisation=get_organisation(), closure_days=closure_days())
    assert (letter.acknowledge_due, letter.contact_due, letter.resolve_due) == (
        expected.acknowledge,
        expected.contact,
        expected.resolve,
    )
    received = letter.events.get(kind="received")
    assert timezone.localtime(received.at).strftime("%Y-%m-%d %H:%M") == arrived.strftime("%Y-%m-%d %H:%M")
    assert_no_axe_violations(page, context="registered letter")

    manager = logged_in(browser, live_server, quality_manager)
    for complaint in (call, letter):
        expect(manager.locator("#queue-not_acknowledged")).to_contain_text(complaint.reference)
    for opened in (page, manager):
        opened.context.close()
