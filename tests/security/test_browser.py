"""In a real browser (Chromium): every page works under the strict Content-Security-Policy, and
hostile input filed by a complainant runs nowhere staff or the complainant look."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from complaints.models import Complaint
from tests.conftest import PASSWORD
from tests.security.policy import NAMESPACE_POLICY, OK, POLICY, ROLES
from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "window.__xss"


def sign_in(page: Page, live_server: LiveServer, user: User | None) -> None:
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def pages_to_visit(world: World) -> Iterator[tuple[str, str]]:
    """(role, url) for every page of the policy table, as the first role that may open it."""
    for name, row in sorted(POLICY.items()):
        role = next((r for r in ("kwaliteitsmanager", *ROLES) if row.answer_for(r) == OK), None)
        if role is None:
            continue
        yield role, reverse(name, kwargs={k: world.resolve(v) for k, v in row.kwargs.items()}) + row.query
    for row, names in NAMESPACE_POLICY.values():
        role = next((r for r in ROLES if row.answer_for(r) == OK), None)
        if role is not None:
            yield from ((role, reverse(name)) for name in names)


def test_every_page_loads_under_the_strict_policy_without_violations_or_errors(
    live_server: LiveServer, page: Page, console_errors: list[str]
) -> None:
    world = build_world()
    visits = sorted(pages_to_visit(world))
    assert len(visits) >= 10
    problems: list[str] = []
    current = None
    client = Client()
    for role, url in visits:
        if role != current:
            user = world.user_for(role)
            sign_in(page, live_server, user)
            client = Client()
            if user is not None:
                client.force_login(user)
            current = role
        if not client.get(url).get("Content-Type", "").startswith("text/html"):
            continue  # a download (PDF, CSV, ...), not a page
        before = len(console_errors)
        response = page.goto(live_server.url + url)
        if response is None or response.status >= 400:
            problems.append(f"{url} as {role}: status {response.status if response else 'none'}")
        page.wait_for_load_state("load")
        if page.evaluate(f"typeof {MARKER}") != "undefined":
            problems.append(f"{url}: injected script ran")
        problems += [f"{url} as {role}: {error}" for error in console_errors[before:]]
    assert problems == []


def test_the_form_with_errors_and_its_confirmation_work_under_the_policy(
    live_server: LiveServer, page: Page, console_errors: list[str]
) -> None:
    page.goto(live_server.url + "/klacht/")
    page.get_by_role("button", name="Klacht versturen").click()
    page.wait_for_load_state("load")
    assert page.locator("#error-summary").is_visible()
    page.get_by_label("Naam").fill("Jan Jansen")
    page.locator("#id_email").fill("jan@example.nl")
    page.locator("#id_subject_0").check()
    page.locator("#id_description").fill("De monteur kwam niet.")
    page.get_by_role("button", name="Klacht versturen").click()
    page.wait_for_url("**/klacht/ontvangen/*/")
    assert Complaint.objects.count() == 1
    # The invalid post answers 400 on purpose; Chromium logs that as a failed resource.
    assert [e for e in console_errors if "status of 400" not in e] == []


HOSTILE = {
    "name": '<script>window.__xss="name"</script>',
    "company": '"><img src=x onerror="window.__xss=\'company\'">',
    "about": "<svg onload=\"window.__xss='about'\">",
    "description": (
        "<a href=\"javascript:window.__xss='link'\">klik hier</a> {{ 7|add:1 }} {% now 'Y' %} "
        "<iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe>"
    ),
    "desired_outcome": "</textarea><body onload=\"window.__xss='outcome'\"><style>*{display:none}</style>",
    "postal_address": "javascript:window.__xss='address'",
}


def test_hostile_input_filed_through_the_form_runs_nowhere_staff_look(
    live_server: LiveServer, page: Page, console_errors: list[str], quality_manager: User
) -> None:
    page.goto(live_server.url + "/klacht/")
    for field, value in HOSTILE.items():
        page.locator(f"#id_{field}").fill(value)
    page.locator("#id_email").fill("jan@example.nl")
    page.locator("#id_subject_0").check()
    page.get_by_role("button", name="Klacht versturen").click()
    page.wait_for_url("**/klacht/ontvangen/*/")
    assert page.evaluate(f"typeof {MARKER}") == "undefined"
    complaint = Complaint.objects.get()
    assert complaint.name == HOSTILE["name"]

    sign_in(page, live_server, quality_manager)
    pages = ["/backoffice/", "/backoffice/klachten/", f"/backoffice/klachten/{complaint.reference}/"]
    pages += [f"/backoffice/verzonden-email/{pk}/" for pk in complaint.outbox_messages.values_list("pk", flat=True)]
    for url in pages:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, (url, page.url, page.locator("body").inner_text()[:600])
        page.wait_for_load_state("load")
        assert page.evaluate(f"typeof {MARKER}") == "undefined", url
        assert page.evaluate("document.querySelectorAll('a[href^=\"javascript:\" i]').length") == 0, url
        assert (
            page.evaluate("document.querySelectorAll('main script, main iframe, main svg, main img[src=x]').length")
            == 0
        ), url
        # Every clickable link still leads somewhere harmless.
        for link in page.locator("a[href]").all():
            assert not link.get_attribute("href").strip().lower().startswith(("javascript:", "data:")), url  # type: ignore[union-attr]
    page.goto(live_server.url + f"/backoffice/klachten/{complaint.reference}/")
    body = page.locator("main").inner_text()
    assert HOSTILE["name"] in body
    assert "{{ 7|add:1 }}" in body and "{% now 'Y' %}" in body
    assert page.locator("main").is_visible()
    assert console_errors == []


def test_a_staff_member_logs_in_and_sets_up_two_step_login_in_the_browser(
    live_server: LiveServer, page: Page, console_errors: list[str], quality_manager: User, settings: Any
) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_REQUIRED = True
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("karin")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/accounts/tweestaps/instellen/**")
    # The QR code is an inline SVG image the policy allows; it really rendered.
    qr = page.locator("img.qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    device = TOTPDevice.objects.get(user=quality_manager)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.locator("#id_token").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_load_state("load")
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="Ik heb mijn codes bewaard, verder").click()
    page.wait_for_url("**/backoffice/")
    assert console_errors == []
