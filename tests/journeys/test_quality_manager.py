"""The quality manager's path in Chromium, by the labels a person reads: a new complaint in
"Ontvangst nog niet bevestigd", the acknowledgement letter sent, the complaint classified and
handed over (the queues follow), the resolution deadline extended with a reason the complainant
is told, and the complaint closed once the responsible person has been in contact."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.models import User
from complaints import services as procedure
from complaints.models import Channel, Complaint, Status
from intake.registration import register_complaint
from quality.models import Category
from tests.conftest import details
from tests.journeys.staff import logged_in
from tests.support.browser import assert_no_axe_violations
from tests.support.smtp import SmtpSink


@pytest.mark.django_db(transaction=True)
def test_the_quality_manager_acknowledges_triages_hands_over_extends_and_closes(
    live_server: Any, browser: Browser, smtp_sink: SmtpSink, quality_manager: User, operations_manager: User
) -> None:
    complaint, _ = register_complaint(
        channel=Channel.WEB, received_at=timezone.now() - timedelta(hours=3), details=details(email="jan@example.nl")
    )
    smtp_sink.wait_for(1)  # the notice to the quality inbox
    smtp_sink.clear()
    # The categories a new installation starts with (another test may have emptied the table).
    Category.objects.get_or_create(parent=None, name="bejegening")

    page = logged_in(browser, live_server, quality_manager)
    expect(page.get_by_role("link", name=re.compile("Ontvangst nog niet bevestigd"))).to_contain_text("1")
    page.locator("#queue-not_acknowledged").get_by_role("link", name=complaint.reference).click()
    assert_no_axe_violations(page, context="quality manager's complaint page")

    page.get_by_role("button", name="Opstellen: ontvangstbevestiging").click()
    page.get_by_role("button", name="Per e-mail versturen").click()
    expect(page.locator(".messages")).to_contain_text("per e-mail verstuurd naar jan@example.nl")
    [acknowledgement] = smtp_sink.wait_for(1)
    assert "/klacht/status/" in acknowledgement.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")
    page.get_by_role("link", name="Classificeren").click()
    page.get_by_label("Categorie").select_option(label="bejegening")
    page.get_by_role("button", name="Classificatie opslaan").click()
    expect(page.locator(".quality .facts")).to_contain_text("bejegening")
    page.get_by_role("link", name="Overdragen").click()
    page.get_by_label("Verantwoordelijke").select_option(label="Olga Operations (Operationeel manager)")
    page.get_by_role("button", name="Overdragen").click()
    expect(page.locator(".message.success")).to_contain_text("Olga Operations")
    page.goto(f"{live_server.url}/backoffice/")
    expect(page.get_by_role("link", name=re.compile("Nog niet toegewezen"))).to_contain_text("0")

    page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")
    page.get_by_role("link", name="Afhandeltermijn verlengen").click()
    new_due = complaint.resolve_due + timedelta(days=14)
    page.get_by_label("Nieuwe afhandeltermijn").fill(new_due.isoformat())
    page.get_by_label("Reden (de klager krijgt deze te horen)").fill("Wij wachten op de leverancier.")
    page.get_by_role("button", name="Verlengen").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert Complaint.objects.get(pk=complaint.pk).resolve_due == new_due

    complaint.refresh_from_db()
    procedure.log_call(complaint=complaint, by=operations_manager, at=timezone.now(), summary="Gebeld.")
    page.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")
    page.get_by_role("link", name="Klacht afsluiten").click()
    page.get_by_label("deels gegrond").check()
    page.get_by_label("Afhandeling", exact=True).fill("Excuses en een nieuwe afspraak.")
    page.locator("fieldset", has_text="Is de klager het ermee eens?").get_by_label("ja").check()
    page.get_by_role("button", name="Klacht afsluiten").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED
    assert_no_axe_violations(page, context="closed complaint")
    page.context.close()
