"""The responsible person's path in Chromium, by the labels a person reads, with real mail on
loopback: the hand-over mail, "Nieuw voor mij" on My work, a meeting planned and its invitation
sent (which meets the contact deadline), the meeting moved (the new invitation says so), held,
the conversation and an agreement recorded, the confirmation sent, the agreement ticked off."""

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.models import User
from complaints import services as procedure
from complaints.models import Complaint
from correspondence import services as letters
from correspondence.models import LetterKind
from tests.journeys.staff import logged_in
from tests.support.browser import assert_no_axe_violations
from tests.support.smtp import SmtpSink


def local_input(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db(transaction=True)
def test_the_responsible_person_invites_meets_confirms_and_ticks_off(
    live_server: Any,
    browser: Browser,
    smtp_sink: SmtpSink,
    make_complaint: Any,
    quality_manager: User,
    director: User,
    back_office: User,
) -> None:
    complaint: Complaint = make_complaint(received_at=timezone.now() - timedelta(days=2), name="Anouk Bakker")
    letters.send_letter(
        letter=letters.draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=quality_manager),
        by=quality_manager,
    )
    procedure.assign(complaint=complaint, to=director, by=quality_manager)
    handed = [m for m in smtp_sink.wait_for(2) if m["To"] == director.email]
    assert handed and complaint.reference in handed[0]["Subject"]
    assert "Anouk" not in handed[0].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    smtp_sink.clear()

    page = logged_in(browser, live_server, director)
    expect(page.get_by_role("link", name=re.compile("Nieuw voor mij: nog geen contact"))).to_contain_text("1")
    page.locator("#queue-mine_new").get_by_role("link", name=complaint.reference).click()
    assert_no_axe_violations(page, context="responsible person's complaint page")

    starts = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    page.get_by_role("link", name="Gesprek plannen").click()
    plan = page.locator("form", has=page.get_by_role("button", name="Gesprek plannen"))
    plan.get_by_label("Begint om").fill(local_input(starts))
    plan.get_by_label(re.compile("^Plaats")).fill("Rokin 1, kamer 2")
    plan.get_by_role("button", name="Gesprek plannen").click()
    expect(page.locator(".message.success")).to_be_visible()

    page.get_by_role("button", name=re.compile("^Opstellen: uitnodiging voor een gesprek")).click()
    page.get_by_role("button", name="Per e-mail versturen").click()
    expect(page.locator(".messages")).to_contain_text("per e-mail verstuurd")
    complaint.refresh_from_db()
    assert complaint.first_contact_at is not None  # the invitation is the contact
    assert complaint.conversation_at is None

    page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")
    expect(page.locator("main")).to_contain_text("Contact: de klager is uitgenodigd voor een gesprek.")
    moved = starts + timedelta(days=1)
    page.locator("summary", has_text="Gesprek verplaatsen").click()
    page.locator("input[name=reschedule-starts_at]").fill(local_input(moved))
    page.get_by_role("button", name="Verplaatsen").click()
    expect(page.locator(".message.success")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Opstellen: uitnodiging voor een gesprek .*wijziging")).click()
    expect(page.get_by_label("Tekst van de brief")).to_contain_text("verplaatst")
    page.get_by_role("button", name="Per e-mail versturen").click()
    expect(page.locator(".messages")).to_contain_text("per e-mail verstuurd")
    invitations = smtp_sink.wait_for(2)
    assert [m["To"] for m in invitations] == [complaint.email, complaint.email]
    assert str(invitations[1]["Subject"]).strip().startswith("Gewijzigd: ")

    with time_machine.travel(moved + timedelta(hours=2), tick=True):
        page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")
        page.locator("summary", has_text="Vastleggen dat het plaatsvond").click()
        page.get_by_role("button", name="Het vond plaats").click()
        expect(page.locator(".message.success")).to_be_visible()
        page.get_by_role("link", name="Gespreksverslag").click()
        page.locator("textarea[name=discussion-summary]").fill("Excuses aangeboden; monteur komt opnieuw.")
        page.get_by_role("button", name="Verslag opslaan").click()
        page.get_by_role("link", name="Afspraak vastleggen").click()
        page.get_by_label("Afspraak", exact=True).fill("Nieuwe afspraak met de monteur inplannen")
        page.get_by_label("Medewerker die het doet").select_option(label="Dirk Directeur (Directielid)")
        page.get_by_label("Uiterlijk op").fill((timezone.localdate() + timedelta(days=5)).isoformat())
        page.get_by_role("button", name="Afspraak vastleggen").click()
        expect(page.locator(".agreements")).to_contain_text("Nieuwe afspraak met de monteur inplannen")
        page.get_by_role("link", name="Afspraak vastleggen").click()
        page.get_by_label("Afspraak", exact=True).fill("Creditnota sturen")
        page.get_by_label("Medewerker die het doet").select_option(label="Bart Balie (Baliemedewerker)")
        page.get_by_label("Uiterlijk op").fill((timezone.localdate() + timedelta(days=3)).isoformat())
        page.get_by_role("button", name="Afspraak vastleggen").click()
        expect(page.locator(".agreements")).to_contain_text("Creditnota sturen")

        page.get_by_role("button", name=re.compile("^Opstellen: bevestiging gesprek en afspraken")).click()
        page.get_by_role("button", name="Per e-mail versturen").click()
        expect(page.locator(".messages")).to_contain_text("per e-mail verstuurd")
        [confirmation] = smtp_sink.wait_for(3)[2:]
        assert confirmation["To"] == complaint.email

        page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")
        page.get_by_role("button", name=re.compile("Afvinken: Nieuwe afspraak")).click()
        expect(page.locator(".agreements")).to_contain_text("gedaan op")
        assert_no_axe_violations(page, context="complaint page after the conversation")
    complaint.refresh_from_db()
    assert complaint.conversation_at is not None and complaint.confirmed_at is not None
    page.context.close()

    # The back office carries out the other agreement: on its My work, ticked off there, without
    # seeing the complaint itself.
    bart = logged_in(browser, live_server, back_office)
    mine = bart.locator("#my-agreements")
    expect(mine).to_contain_text("Creditnota sturen")
    expect(mine.get_by_role("link", name=complaint.reference)).to_have_count(0)
    assert_no_axe_violations(bart, context="my work with an agreement to carry out")
    mine.get_by_role("button", name="Afvinken: Creditnota sturen").click()
    expect(bart.locator(".message.success")).to_contain_text("De afspraak is afgevinkt.")
    expect(bart.locator("#my-agreements")).to_have_count(0)
    assert complaint.agreements.filter(done_at__isnull=True).count() == 0
    bart.context.close()
