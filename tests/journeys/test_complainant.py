"""The complainant's whole path in Chromium, by the labels a person reads, with real mail on
loopback: the public form with an attachment, the reference shown, the acknowledgement mail with
the status link, the status page where they add information, the confirmation of the
conversation, the closing letter and the satisfaction survey. Staff steps in between run through
the same services the back office uses (their own journeys walk those pages)."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, FilePayload, expect

from accounts.models import User
from complaints import services as procedure
from complaints.models import Complaint
from correspondence import services as letters
from correspondence.models import LetterKind
from quality.models import Category, SurveyInvitation
from quality.services import classify
from tests.intake import files
from tests.support.browser import assert_no_axe_violations
from tests.support.smtp import SmtpSink

LINK = re.compile(r"https?://\S+?(/klacht/status/[A-Za-z0-9_-]{43}/)")
SURVEY = re.compile(r"https?://\S+?(/tevredenheid/[A-Za-z0-9_-]+/)")


def text_of(message: Any) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def send(complaint: Complaint, kind: str, by: User) -> None:
    letters.send_letter(letter=letters.draft_letter(complaint=complaint, kind=kind, by=by), by=by)


@pytest.mark.django_db(transaction=True)
def test_the_complainant_files_follows_adds_and_answers_the_survey(
    live_server: Any, browser: Browser, smtp_sink: SmtpSink, quality_manager: User, director: User
) -> None:
    page = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam").new_page()
    page.goto(f"{live_server.url}/klacht/")
    page.get_by_label("Naam", exact=True).fill("Anouk Bakker")
    page.get_by_label("E-mailadres").fill("anouk@example.nl")
    page.get_by_label("Onze dienstverlening").check()
    page.get_by_label("Omschrijving van de klacht").fill("De monteur kwam twee keer niet opdagen.")
    page.get_by_label("Bijlagen").set_input_files(
        files=[FilePayload(name="afspraakbevestiging.png", mimeType="image/png", buffer=files.png())]
    )
    page.get_by_role("button", name="Klacht versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt, we hebben uw klacht ontvangen")
    reference = page.locator("#reference").inner_text()
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.attachments.get().original_name == "afspraakbevestiging.png"
    smtp_sink.wait_for(1)  # the notice to the quality inbox
    smtp_sink.clear()

    send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    [acknowledgement] = [m for m in smtp_sink.wait_for(1) if m["To"] == "anouk@example.nl"]
    link = LINK.search(text_of(acknowledgement))
    assert link, "the acknowledgement carries the status link"
    page.goto(live_server.url + link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uw klacht {reference}")
    expect(page.locator("main")).to_contain_text("Schriftelijke ontvangstbevestiging: gedaan")
    assert_no_axe_violations(page, context="status page")
    page.get_by_label("Uw bericht").fill("De monteur heeft ook mijn tuinhek beschadigd.")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator(".messages")).to_contain_text("Dank u wel")

    procedure.assign(complaint=complaint, to=director, by=quality_manager)
    complaint.refresh_from_db()
    procedure.log_call(complaint=complaint, by=director, at=timezone.now(), summary="Excuses gemaakt.")
    procedure.add_agreement(
        complaint=complaint,
        by=director,
        description="Tuinhek vergoeden",
        owner="Administratie",
        due=timezone.localdate() + timedelta(days=7),
    )
    complaint.refresh_from_db()
    send(complaint, LetterKind.CONFIRMATION, director)
    page.reload()
    expect(page.locator("main")).to_contain_text("Schriftelijke bevestiging van het gesprek en de afspraken: gedaan")
    expect(page.get_by_role("link", name=re.compile("Bevestiging"))).to_be_visible()

    agreement = complaint.agreements.get()
    procedure.complete_agreement(agreement=agreement, by=director)
    category, _ = Category.objects.get_or_create(parent=None, name="bejegening")
    classify(complaint=complaint, by=quality_manager, category=category)
    complaint.refresh_from_db()
    procedure.close(
        complaint=complaint,
        by=director,
        outcome="well_founded",
        resolution="Excuses en vergoeding.",
        complainant_agrees=True,
    )
    complaint.refresh_from_db()
    send(complaint, LetterKind.CLOSING, director)
    page.reload()
    expect(page.locator("main")).to_contain_text("Uw klacht is afgesloten")

    mails = {m["Subject"].strip(): m for m in smtp_sink.wait_for(4) if m["To"] == "anouk@example.nl"}
    surveys = [found for m in mails.values() if (found := SURVEY.search(text_of(m)))]
    assert len(surveys) == 1, "the survey arrives by e-mail once"
    page.goto(live_server.url + surveys[0].group(1))
    expect(page.locator("main")).to_contain_text(f"Uw klacht {reference} is afgesloten")
    page.get_by_label("4 – tevreden").check()
    page.get_by_role("button", name="Mijn antwoord versturen").click()
    expect(page.get_by_role("heading", name="Dank u wel voor uw antwoord")).to_be_visible()
    assert SurveyInvitation.objects.get(complaint=complaint).score == 4
    page.context.close()
