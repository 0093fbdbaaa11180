"""The quality manager checks a corrective action's effect in Chromium, by the labels a person
reads: the responsible person marks it done, the quality manager checks it before its date (which
needs a reason), finds it did not work, and the action opens again with a new date; every check
stays on the action's page and on the complaint's timeline."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.models import User
from quality.models import ActionStatus, Category, Classification, CorrectiveAction
from quality.services import open_action
from tests.journeys.staff import logged_in
from tests.support.browser import assert_no_axe_violations


@pytest.mark.django_db(transaction=True)
def test_the_quality_manager_checks_an_action_early_finds_it_ineffective_and_reopens_it(
    live_server: Any, browser: Browser, make_complaint: Any, quality_manager: User, director: User
) -> None:
    complaint = make_complaint(received_at=timezone.now() - timedelta(days=40))
    category, _ = Category.objects.get_or_create(parent=None, name="bereikbaarheid")
    Classification.objects.create(complaint=complaint, category=category)
    action = open_action(
        by=quality_manager,
        title="Terugbelservice invoeren",
        owner=director,
        due=timezone.localdate() + timedelta(days=7),
        complaints=[complaint],
    )

    dirk = logged_in(browser, live_server, director)
    dirk.goto(f"{live_server.url}/backoffice/verbetermaatregelen/{action.pk}/")
    dirk.get_by_label("Effect controleren op").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    dirk.get_by_role("button", name="Markeren als uitgevoerd").click()
    expect(dirk.locator(".message.success")).to_be_visible()
    expect(dirk.locator("main")).to_contain_text("Dirk Directeur")
    dirk.context.close()

    karin = logged_in(browser, live_server, quality_manager)
    karin.goto(f"{live_server.url}/backoffice/verbetermaatregelen/{action.pk}/")
    expect(karin.locator("main")).to_contain_text("Eerder controleren kan alleen met een reden.")
    karin.get_by_role("radio", name="niet effectief").check()
    karin.get_by_label("Bevindingen").fill("Nog steeds klachten over terugbellen.")
    karin.get_by_role("button", name="Effect vastleggen").click()
    # Nothing recorded yet: the date for doing it again and the reason for checking early are missing.
    expect(karin.locator("#error-summary")).to_contain_text("Geef de datum waarop de maatregel opnieuw is uitgevoerd.")
    assert not action.checks.exists()
    assert_no_axe_violations(karin, context="effectiveness check with errors")
    karin.get_by_role("radio", name="niet effectief").check()
    karin.get_by_label("Niet effectief: opnieuw uitvoeren uiterlijk op").fill(
        (timezone.localdate() + timedelta(days=21)).isoformat()
    )
    karin.get_by_label("Waarom nu al controleren?").fill("Directiebeoordeling volgende week.")
    karin.get_by_role("button", name="Effect vastleggen").click()
    expect(karin.locator(".message.success")).to_be_visible()
    history = karin.locator("table", has_text="Elke controle van deze maatregel")
    expect(history).to_contain_text("niet effectief")
    expect(history).to_contain_text("Karin Kwaliteit")
    expect(history).to_contain_text("Directiebeoordeling volgende week.")
    expect(karin.locator("main")).to_contain_text("Markeren als uitgevoerd")  # open again
    action = CorrectiveAction.objects.get(pk=action.pk)
    assert action.status == ActionStatus.OPEN and action.due == timezone.localdate() + timedelta(days=21)

    karin.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")
    timeline = karin.locator("main")
    expect(timeline).to_contain_text("Effect van verbetermaatregel “Terugbelservice invoeren” gecontroleerd")
    karin.context.close()
