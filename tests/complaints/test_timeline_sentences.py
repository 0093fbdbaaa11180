"""Timeline events keep what happened, not the words of the moment: each reader reads them in
their own language (complaints/sentences.py), on the complaint page and on the complainant's
status page, while the record keeps the organisation's Dutch."""

from datetime import date
from html import escape

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from complaints import services
from complaints.models import Channel, Complaint, TimelineEvent
from complaints.sentences import Sentence, render, stored
from correspondence import status
from privacy.anonymise import scrub_json
from privacy.registry import TOKEN
from tests.complaints.procedure import at, classify


def test_a_sentence_reads_in_the_active_language_with_its_dates_and_labels() -> None:
    told = Sentence(
        gettext_noop("Resolution deadline extended from %(previous)s to %(new)s: %(reason)s"),
        previous=date(2026, 5, 8),
        new=date(2026, 6, 30),
        reason="Onderzoek loopt.",
    )
    with translation.override("nl"):
        assert render(told.stored()) == "Afhandeltermijn verlengd van 8 mei 2026 tot 30 juni 2026: Onderzoek loopt."
    with translation.override("en"):
        assert render(told.stored()) == "Resolution deadline extended from 8 May 2026 to 30 June 2026: Onderzoek loopt."

    received = Sentence(gettext_noop("Complaint received by %(channel)s."), channel=Channel.LETTER.label)
    moment = Sentence(gettext_noop("Meeting planned for %(when)s."), when=at(2026, 5, 8, 14))
    steps = Sentence(
        gettext_noop("Closed without %(steps)s: %(reason)s"),
        steps=[gettext_lazy("the written acknowledgement"), gettext_lazy("the contact with the complainant")],
        reason="x",
    )
    with translation.override("en"):
        assert render(received.stored()) == "Complaint received by letter."
        assert render(moment.stored()) == "Meeting planned for 8 May 2026 14:00."
        assert render(steps.stored()).startswith(
            "Closed without the written acknowledgement, the contact with the complainant: x"
        )
        assert (
            render(stored([received, moment])) == "Complaint received by letter. Meeting planned for 8 May 2026 14:00."
        )
    with translation.override("nl"):
        assert render(received.stored()) == "Klacht ontvangen via brief."
        assert render(moment.stored()) == "Gesprek gepland op 8 mei 2026 14:00."


def test_an_anonymised_sentence_reads_as_the_token_and_an_old_event_as_it_was_written() -> None:
    told = Sentence(gettext_noop("Handed over to %(name)s."), name="Dirk Directeur")
    with translation.override("en"):
        assert render(scrub_json(told.stored())) == TOKEN
    assert TimelineEvent(message="Overgedragen aan Dirk.", data={}).sentence == "Overgedragen aan Dirk."


@pytest.fixture
def handled(make_complaint, back_office, quality_manager, director) -> Complaint:
    """A letter complaint taken through the procedure's steps, all recorded in Dutch."""
    with translation.override("nl"), time_machine.travel(at(2026, 5, 6, 12), tick=False):
        complaint = make_complaint(channel=Channel.LETTER, received_at=at(2026, 5, 4, 9), by=back_office)
        classify(complaint, quality_manager)
        services.acknowledge(complaint=complaint, by=quality_manager, at=at(2026, 5, 4, 11))
        services.assign(complaint=complaint, to=director, by=quality_manager)
        services.log_call(complaint=complaint, by=director, at=at(2026, 5, 5, 10), summary="Gebeld.")
        services.plan_meeting(complaint=complaint, by=director, starts_at=at(2026, 5, 8, 14), location="Rokin")
        agreement = services.add_agreement(
            complaint=complaint, by=director, description="Monteur komt", owner="Planning", due=date(2026, 5, 15)
        )
        services.complete_agreement(agreement=agreement, by=director)
        services.extend_resolution(complaint=complaint, by=quality_manager, new_due=date(2026, 6, 30), reason="Zoeken.")
    return complaint


def assert_told_in_english(page: str, events: list[TimelineEvent]) -> None:
    assert events
    for event in events:
        with translation.override("nl"):
            dutch = event.sentence
        with translation.override("en"):
            english = event.sentence
        assert event.message == dutch  # the record keeps the organisation's language
        assert escape(english) in page, english
        if dutch != english:
            assert escape(dutch) not in page, dutch


def test_the_english_complaint_page_tells_the_history_in_english(handled: Complaint, quality_manager) -> None:
    client = Client()
    client.force_login(quality_manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("complaints:detail", args=[handled.reference])).content.decode()
    assert "Complaint received by letter." in page
    assert "Meeting planned for 8 May 2026 14:00." in page
    assert_told_in_english(page, list(handled.events.all()))


def test_the_english_status_page_tells_the_complainant_in_english(client, handled: Complaint) -> None:
    token = status.issue_status_link(complaint=handled)
    assert client.get(f"/klacht/status/{token}/").status_code == 302
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/klacht/status/").content.decode()
    assert "Phone call with the complainant." in page
    assert_told_in_english(page, list(handled.events.filter(visibility="public")))
