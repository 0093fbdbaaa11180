"""The complainant's journey in a real browser: the public form, the acknowledgement in the
mailbox, the private link, and the status page (keyboard only, checked by axe)."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.roles import Role
from complaints.models import Complaint, TimelineEvent
from correspondence import services, status
from correspondence.models import LetterKind
from tests.conftest import make_user
from tests.support.browser import assert_no_axe_violations
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_complainant_follows_the_acknowledgements_link_to_their_status_page_and_adds_information(
    live_server: object, page: Page, console_errors: list[str], smtp_sink: SmtpSink
) -> None:
    page.goto(f"{live_server}/klacht/")
    page.get_by_label("Naam", exact=True).press_sequentially("Anouk Bakker")
    page.get_by_label("E-mailadres").press_sequentially("anouk@example.nl")
    page.get_by_label("Onze dienstverlening").check()
    page.get_by_label("Omschrijving van de klacht").press_sequentially("De monteur kwam niet. {{ x }} <b>vet</b>")
    page.get_by_role("button", name="Klacht versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt, we hebben uw klacht ontvangen")
    reference = page.locator("#reference").inner_text()
    smtp_sink.wait_for(1)  # the notice to the quality inbox
    smtp_sink.clear()

    # The quality manager reviews and sends the acknowledgement.
    quality_manager: User = make_user("karin", Role.QUALITY_MANAGER, last_name="Kwaliteit")
    complaint = Complaint.objects.get(reference=reference)
    letter = services.draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=quality_manager)
    services.send_letter(letter=letter, by=quality_manager)

    [mail] = smtp_sink.wait_for(1)
    assert mail["To"] == "anouk@example.nl"
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"http://\S+/klacht/status/[A-Za-z0-9_-]{43}/", text)
    assert link is not None
    path = link.group(0).split("/klacht/", 1)[1]

    page.goto(f"{live_server}/klacht/{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uw klacht {reference}")
    main = page.locator("main")
    expect(main).to_contain_text("Schriftelijke ontvangstbevestiging: gedaan")
    expect(main).to_contain_text("Komende termijnen")
    expect(page.get_by_role("link", name=re.compile("Ontvangstbevestiging van uw klacht"))).to_be_visible()
    assert_no_axe_violations(page, context="status page")

    # Keyboard only: focus the message field, type, tab on to the button and press Enter.
    page.get_by_label("Uw bericht").focus()
    page.keyboard.type("Ik heb nog een bon gevonden.")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.textContent").strip() == "Versturen"
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Dank u wel")
    expect(main).to_contain_text("Bericht van de klager: Ik heb nog een bon gevonden.")
    assert TimelineEvent.objects.filter(complaint=complaint, kind="complainant_information").exists()
    assert_no_axe_violations(page, context="status page after adding information")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Ontvangstbevestiging van uw klacht")).click()
    assert download.value.suggested_filename == f"{reference}-ontvangstbevestiging.pdf"
    assert console_errors == []


def test_a_wrong_link_shows_a_plain_not_found_page(live_server: object, page: Page) -> None:
    response = page.goto(f"{live_server}/klacht/status/{'x' * 43}/")
    assert response is not None and response.status == 404


def sign_in(page: Page, live_server: object, user: User) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": str(live_server),
            }
        ]
    )


def test_the_quality_manager_reviews_and_sends_the_acknowledgement_from_the_complaint_page(
    live_server: object, page: Page, console_errors: list[str], smtp_sink: SmtpSink
) -> None:
    from django.utils import timezone

    from complaints.models import Channel
    from intake.registration import register_complaint
    from tests.conftest import details

    quality_manager = make_user("karin", Role.QUALITY_MANAGER, last_name="Kwaliteit")
    complaint, _ = register_complaint(channel=Channel.WEB, received_at=timezone.now(), details=details())
    smtp_sink.wait_for(1)
    smtp_sink.clear()
    sign_in(page, live_server, quality_manager)

    page.goto(f"{live_server}/backoffice/klachten/{complaint.reference}/")
    page.get_by_role("button", name="Opstellen: ontvangstbevestiging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ontvangstbevestiging")
    body = page.get_by_label("Tekst van de brief")
    expect(body).to_contain_text("Geachte Jan Jansen,")
    assert_no_axe_violations(page, context="letter editor")
    body.fill(body.input_value().replace("Geachte Jan Jansen,", "Beste heer Jansen,"))
    # The preview opens in another window; the send button works at once afterwards.
    with page.context.expect_page() as preview:
        page.get_by_role("button", name="Voorbeeld-PDF (opent in een nieuw venster)").click()
    preview.value.close()
    page.get_by_role("button", name="Per e-mail versturen").click()

    expect(page.locator(".messages")).to_contain_text("per e-mail verstuurd naar jan@example.nl")
    [mail] = smtp_sink.wait_for(1)
    assert mail["To"] == "jan@example.nl"
    page.goto(f"{live_server}/backoffice/klachten/{complaint.reference}/")
    expect(page.locator("#brieven")).to_contain_text("Ontvangstbevestiging")
    assert_no_axe_violations(page, context="complaint page with its letters")
    page.goto(f"{live_server}/backoffice/briefsjablonen/confirmation/")
    assert_no_axe_violations(page, context="letter template editor")
    assert console_errors == []


def test_an_empty_message_is_explained_accessibly_on_the_status_page(
    live_server: object, page: Page, console_errors: list[str]
) -> None:
    from django.utils import timezone

    from complaints.models import Channel
    from intake.registration import register_complaint
    from tests.conftest import details

    complaint, _ = register_complaint(channel=Channel.WEB, received_at=timezone.now(), details=details())
    token = status.issue_status_link(complaint=complaint)
    page.goto(f"{live_server}/klacht/status/{token}/")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#error-summary")).to_contain_text("Schrijf een bericht of kies een bestand.")
    assert_no_axe_violations(page, context="status page with an error")
    # The form answers 400 on purpose; anything else in the console would be a fault.
    assert [error for error in console_errors if "status of 400" not in error] == []
