"""The administrator of a new organisation, in Chromium, by the labels a person reads: the first
administrator made with one command, a quality manager and two responsible persons invited in the
back office, each logging in (with a second factor when the installation demands it), the retention
period changed, and one of them deactivated, whose open session stops at once."""

import io
import re
from base64 import b32decode
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from accounts.roles import Role
from organisation.models import AdminAction, AdminLogEntry
from organisation.selectors import get_organisation
from outbox.models import OutboxMessage
from tests.support.browser import assert_no_axe_violations

PASSWORD = "Klachten-beheer-2026!"
LINK = re.compile(r"https?://\S+")


def new_page(browser: Browser) -> Page:
    return browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam").new_page()


def code_from_authenticator(page: Page) -> str:
    """What an authenticator app shows for the key printed under "Lukt scannen niet?"."""
    key = page.locator("#manual-key").inner_text().replace(" ", "")
    secret = b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(secret):06d}"


def choose_password_and_log_in(page: Page, link: str, username: str, *, two_factor: bool) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Kies uw wachtwoord")).to_be_visible()
    expect(page.get_by_text(f"Uw gebruikersnaam is {username}")).to_be_visible()
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_text("Uw wachtwoord is ingesteld")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if two_factor:
        expect(page.get_by_role("heading", name="Inloggen in twee stappen instellen")).to_be_visible()
        page.get_by_label("Code uit de app").fill(code_from_authenticator(page))
        page.get_by_role("button", name="Bevestigen").click()
        page.get_by_role("link", name="Ik heb mijn codes bewaard, verder").click()
    page.wait_for_url("**/backoffice/**")


def invitation_link(username: str) -> str:
    user = User.objects.get(username=username)
    mail = OutboxMessage.objects.filter(kind="invitation", to=[user.email]).latest("pk")
    return LINK.search(mail.body_text).group(0)  # type: ignore[union-attr]


def invite(page: Page, *, username: str, first: str, last: str, email: str, job: str, role: str) -> None:
    page.get_by_role("navigation", name="Backoffice").get_by_role("link", name="Medewerkers").click()
    page.get_by_role("link", name="Medewerker uitnodigen").click()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Voornaam").fill(first)
    page.get_by_label("Achternaam").fill(last)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Functie").fill(job)
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text(f"de uitnodiging is naar {email} gestuurd")).to_be_visible()


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "navy").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("two_factor", [False, True], ids=["development", "production-second-factor"])
def test_the_administrator_sets_up_the_organisation_in_the_browser(
    live_server: Any, browser: Browser, settings: Any, two_factor: bool
) -> None:
    settings.SITE_URL = live_server.url
    settings.TWO_FACTOR_REQUIRED = two_factor
    out = StringIO()
    call_command(
        "create_administrator",
        "beheer",
        "beheer@supportoplus.nl",
        "--first-name",
        "Bea",
        "--last-name",
        "Beheer",
        stdout=out,
    )
    admin = new_page(browser)
    choose_password_and_log_in(admin, LINK.search(out.getvalue()).group(0), "beheer", two_factor=two_factor)  # type: ignore[union-attr]

    invite(
        admin,
        username="kmanager",
        first="Karin",
        last="Kwaliteit",
        email="karin@supportoplus.nl",
        job="kwaliteitsmanager",
        role="Kwaliteitsmanager",
    )
    assert_no_axe_violations(admin, context="staff member's page after inviting")
    for username, first, job in (("dirk", "Dirk", "directeur"), ("olga", "Olga", "operationeel manager")):
        invite(
            admin,
            username=username,
            first=first,
            last="Jansen",
            email=f"{username}@supportoplus.nl",
            job=job,
            role="Verantwoordelijke",
        )

    sessions: dict[str, Page] = {}
    for username in ("kmanager", "dirk", "olga"):
        sessions[username] = new_page(browser)
        choose_password_and_log_in(sessions[username], invitation_link(username), username, two_factor=two_factor)
    expect(sessions["kmanager"].get_by_role("link", name="Klachten", exact=True)).to_be_visible()
    assert User.objects.get(username="dirk").roles == {Role.RESPONSIBLE}

    admin.get_by_role("link", name="Organisatie").click()
    assert_no_axe_violations(admin, context="organisation settings")
    expect(admin.get_by_text("Beginwaarde uit de omgeving: 24.")).to_be_visible()
    admin.get_by_label("Afgesloten klachten bewaren (maanden)").fill("36")
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_text("zijn opgeslagen en gelden vanaf nu")).to_be_visible()
    assert get_organisation().retention_months == 36
    admin.get_by_label("Logo op het briefpapier").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}
    )
    admin.get_by_role("button", name="Opslaan").click()
    preview = admin.get_by_role("img", name="Het huidige logo op het briefpapier")
    expect(preview).to_be_visible()
    # decode() waits for the image to load, and fails for a broken one.
    assert preview.evaluate("image => image.decode().then(() => image.naturalWidth)") == 120

    # On a phone the staff table scrolls in its own box; the page itself does not.
    admin.set_viewport_size({"width": 320, "height": 640})
    admin.get_by_role("link", name="Medewerkers").click()
    assert admin.evaluate("document.documentElement.scrollWidth") <= 320
    admin.set_viewport_size({"width": 1280, "height": 800})

    admin.get_by_role("link", name="Medewerkers").click()
    admin.get_by_role("link", name="Olga Jansen").click()
    admin.get_by_role("button", name="Account deactiveren").click()
    expect(admin.get_by_text("Vink het vakje aan")).to_be_visible()
    admin.get_by_label("Ja, Olga Jansen kan niet meer inloggen").check()
    admin.get_by_role("button", name="Account deactiveren").click()
    expect(admin.get_by_text("Olga Jansen is gedeactiveerd")).to_be_visible()

    olga = sessions["olga"]
    olga.reload()
    expect(olga.get_by_role("button", name="Inloggen")).to_be_visible()
    olga.get_by_label("Gebruikersnaam").fill("olga")
    olga.get_by_label("Wachtwoord").fill(PASSWORD)
    olga.get_by_role("button", name="Inloggen").click()
    expect(olga.get_by_role("button", name="Inloggen")).to_be_visible()

    admin.get_by_role("link", name="Beheerlogboek", exact=True).first.click()
    assert_no_axe_violations(admin, context="administration log")
    for text in ("uitgenodigd", "instellingen van de organisatie gewijzigd", "24 → 36", "gedeactiveerd"):
        expect(admin.get_by_role("cell", name=text).first).to_be_visible()
    assert AdminLogEntry.objects.filter(action=AdminAction.INVITED).count() == 4
    for page in (admin, *sessions.values()):
        page.context.close()
