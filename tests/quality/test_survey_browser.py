"""The public survey in a real browser: accessible (axe) and usable with the keyboard alone."""

import re

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from complaints.models import Complaint, Outcome, Status
from outbox.models import OutboxMessage
from quality.models import SurveyInvitation
from quality.services import send_survey
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def survey_path(make_complaint) -> tuple[Complaint, str]:
    complaint = make_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED, outcome=Outcome.WELL_FOUNDED)
    complaint.refresh_from_db()
    send_survey(complaint=complaint)
    body = OutboxMessage.objects.get(kind="satisfaction_survey").body_text
    return complaint, re.search(r"(/tevredenheid/[A-Za-z0-9_-]+/)", body).group(1)  # type: ignore[union-attr]


def test_the_survey_is_answered_with_the_keyboard_alone_and_passes_axe(
    live_server: LiveServer, page: Page, console_errors: list[str], make_complaint
) -> None:
    complaint, path = survey_path(make_complaint)
    page.goto(live_server.url + path)
    assert_no_axe_violations(page, context="survey form")
    # Sending without a score: the error summary is announced and the form is still accessible.
    page.get_by_role("button", name="Mijn antwoord versturen").click()
    assert page.get_by_role("alert").is_visible()
    assert_no_axe_violations(page, context="survey form with an error")

    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "score":
            break
    else:
        raise AssertionError("the score cannot be reached with the Tab key")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "4"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "comment"
    page.keyboard.type("Snel en vriendelijk geholpen.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Dank u wel voor uw antwoord").wait_for()
    assert_no_axe_violations(page, context="survey thank-you page")
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    assert (invitation.score, invitation.comment) == (4, "Snel en vriendelijk geholpen.")
    assert console_errors == []
    # The link works once: the page says so (with status 410 Gone).
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 410
    assert page.get_by_text("Dit onderzoek is al beantwoord").is_visible()
