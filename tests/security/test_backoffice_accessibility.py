"""Every back-office page, in Chromium, as the first role the policy table lets open it: axe-core
finds no WCAG 2.0, 2.1 or 2.2 level A or AA violation, Tab reaches every control and shows where
the focus is, and opened on a 320 px wide screen nothing scrolls sideways."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from intake.accessibility import AXE_TAGS
from tests.security.policy import OK, POLICY
from tests.security.world import World, build_world
from tests.support.browser import assert_keyboard_reaches_everything

BACK_OFFICE_ROLES = ("kwaliteitsmanager", "privacy", "verantwoordelijke", "backoffice", "management")
# Pages of the back office: not the public pages, the login and account pages, the API or files.
PUBLIC_OR_NOT_A_PAGE = ("intake:", "accounts:", "api:", "satisfaction:", "status", "health", "set_language", "favicon")
TAGS = list(AXE_TAGS)
_AXE = Axe()


def pages_by_role(world: World) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {role: [] for role in BACK_OFFICE_ROLES}
    for name, row in sorted(POLICY.items()):
        if name.startswith(PUBLIC_OR_NOT_A_PAGE) or ":" not in name:
            continue
        role = next((r for r in BACK_OFFICE_ROLES if row.answer_for(r) == OK), None)
        if role is not None:
            result[role].append(reverse(name, kwargs={k: world.resolve(v) for k, v in row.kwargs.items()}) + row.query)
    return result


@pytest.mark.django_db(transaction=True)
def test_every_back_office_page_passes_axe_and_reflows_at_320_px(live_server: Any, browser: Browser) -> None:
    world = build_world()
    problems: list[str] = []
    for role, urls in pages_by_role(world).items():
        client = Client()
        client.force_login(world.users[role])
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
              "url": live_server.url}]
        )  # fmt: skip
        page = context.new_page()
        narrow = context.new_page()
        narrow.set_viewport_size({"width": 320, "height": 640})
        for url in urls:
            try:
                response = page.goto(live_server.url + url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file, not a page
                raise
            if response is None or response.status != 200:
                problems.append(f"{url} as {role}: {response.status if response else 'no answer'}")
                continue
            if not page.url.endswith(url) or not response.headers.get("content-type", "").startswith("text/html"):
                continue  # a redirect, a PDF or JSON for a page's script: no page of its own
            found = _AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
            for violation in found.response["violations"]:
                targets = ", ".join(str(node.get("target")) for node in violation["nodes"][:3])
                problems.append(f"{url} as {role}: {violation['id']} ({violation['impact']}): {targets}")
            # WCAG 2.1.1, 2.4.7, 2.4.11: every control reached by Tab, its focus seen.
            try:
                assert_keyboard_reaches_everything(page)
            except AssertionError as error:
                problems.append(f"{url} as {role}: {error}")
            # WCAG 1.4.10: at 320 CSS px nothing scrolls sideways.
            narrow.goto(live_server.url + url)
            width = narrow.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                problems.append(f"{url} as {role}: {width} px wide at 320 px")
        context.close()
    assert not problems, "\n".join(problems)
