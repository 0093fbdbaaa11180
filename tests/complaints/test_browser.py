"""The procedure in a real browser: the quality manager hands a complaint over, the
responsible person logs a call, records two agreements, ticks them off and closes it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from complaints.models import Complaint, Status
from tests.complaints.procedure import classify
from tests.conftest import PASSWORD
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, live_server: object, username: str) -> None:
    page.goto(f"{live_server}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.complaint button[type=submit]").click()
    expect(page).to_have_url(f"{live_server}/backoffice/")


def log_out(page: Page) -> None:
    page.locator("form.logout button").click()


def action_form(page: Page, complaint: Complaint, action: str):
    return page.locator(f'form[action="/backoffice/klachten/{complaint.reference}/{action}/"]')


def open_action(page: Page, complaint: Complaint, action: str):
    """The step's form, opened by its link on the complaint page unless it is open already."""
    form = action_form(page, complaint, action)
    if form.count() == 0:
        page.locator(f'.action-links a[href^="/backoffice/klachten/{complaint.reference}/{action}/"]').click()
    return form


def test_a_complaint_is_assigned_called_agreed_ticked_off_and_closed(
    live_server: object, page: Page, console_errors: list[str], make_complaint, quality_manager, director
) -> None:
    complaint = make_complaint(received_at=timezone.now())
    # Closing needs a category (the quality loop's page) and the acknowledgement (its letter, tested
    # in tests/correspondence); given here so the test is about the procedure.
    classify(complaint, quality_manager)
    from complaints import services

    services.acknowledge(complaint=complaint, by=quality_manager)

    # The quality manager finds it in "not yet assigned" and hands it over.
    log_in(page, live_server, quality_manager.username)
    expect(page.locator("#queue-not_assigned")).to_contain_text(complaint.reference)
    page.locator("#queue-not_assigned").get_by_role("link", name=complaint.reference).click()
    assert_no_axe_violations(page, context="complaint page of the quality manager")
    form = open_action(page, complaint, "toewijzen")
    form.locator("select[name=assign-to]").select_option(str(director.pk))
    form.locator("button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()
    log_out(page)

    # The responsible person sees it under "my complaints" and logs a call.
    log_in(page, live_server, director.username)
    expect(page.locator("#queue-mine")).to_contain_text(complaint.reference)
    page.locator("#queue-mine").get_by_role("link", name=complaint.reference).click()
    expect(action_form(page, complaint, "toewijzen")).to_have_count(0)
    form = open_action(page, complaint, "telefoongesprek")
    called_at = timezone.localtime().replace(second=0, microsecond=0)
    form.locator("input[name=call-at]").fill(called_at.strftime("%Y-%m-%dT%H:%M"))
    form.locator("textarea[name=call-summary]").fill("Klager gebeld, excuses aangeboden.")
    form.locator("button[type=submit]").click()
    expect(page.locator(".contacts")).to_contain_text("Klager gebeld, excuses aangeboden.")

    # Two agreements.
    due = timezone.localdate() + timedelta(days=7)
    for description, owner in [("Creditnota sturen", "Administratie"), ("Nieuwe afspraak inplannen", "Planning")]:
        form = open_action(page, complaint, "afspraken")
        form.locator("textarea[name=agreement-description]").fill(description)
        form.locator("input[name=agreement-owner]").fill(owner)
        form.locator("input[name=agreement-due]").fill(due.isoformat())
        form.locator("button[type=submit]").click()
        expect(page.locator("table.agreements")).to_contain_text(description)

    # Closing is refused while they are open...
    form = open_action(page, complaint, "afsluiten")
    form.locator("input[name=close-outcome][value=partly_well_founded]").check()
    form.locator("textarea[name=close-resolution]").fill("Creditnota en nieuwe afspraak.")
    form.locator("input[name=close-complainant_agrees][value=yes]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.IN_PROGRESS

    # ...so both are ticked off, and then it closes.
    for _ in range(2):
        page.locator("table.agreements form button").first.click()
        expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("table.agreements form")).to_have_count(0)
    form = open_action(page, complaint, "afsluiten")
    form.locator("input[name=close-outcome][value=partly_well_founded]").check()
    form.locator("textarea[name=close-resolution]").fill("Creditnota en nieuwe afspraak.")
    form.locator("input[name=close-complainant_agrees][value=yes]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert_no_axe_violations(page, context="closed complaint")

    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.assigned_to == director
    assert complaint.first_contact_at == called_at
    assert complaint.agreements.filter(done_at__isnull=False).count() == 2
    # The refused close answered 409 Conflict on purpose; nothing else went wrong.
    assert [error for error in console_errors if "status of 409" not in error] == []
