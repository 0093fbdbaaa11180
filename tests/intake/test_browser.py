"""The public form and the back-office registration in a real browser (headless Chromium):
filled in like a person would, with the keyboard alone, and checked by axe for WCAG 2.1 A/AA."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from accounts.models import User
from accounts.roles import Role
from complaints.models import Channel, Complaint
from tests.conftest import PASSWORD
from tests.support.browser import assert_no_axe_violations
from tests.support.smtp import SmtpSink

from . import files

REFERENCE = re.compile(r"^KL-\d{4}-\d{5}$")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db: None) -> None:
    """The role groups come from a data migration, which an earlier test's flush removed."""
    for role in Role:
        Group.objects.get_or_create(name=role)


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.tagName"))


def tab_to_next_element(page: Page) -> str:
    """Press Tab until focus leaves the current element (a date input takes several Tabs)."""
    current = focused_id(page)
    for _ in range(5):
        page.keyboard.press("Tab")
        if focused_id(page) != current:
            return focused_id(page)
    raise AssertionError(f"focus stays on {current}")


def unexpected(console_errors: list[str]) -> list[str]:
    """Console errors other than the 400 status the form answers with when it has errors."""
    return [error for error in console_errors if "status of 400 (Bad Request)" not in error]


def outline_of_focused(page: Page) -> str:
    return str(
        page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement); "
            "return s.outlineStyle + ' ' + s.outlineWidth; })()"
        )
    )


def test_a_person_files_a_complaint_reads_the_reference_and_the_mail_arrives(
    live_server: object, page: Page, console_errors: list[str], smtp_sink: SmtpSink
) -> None:
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Klacht indienen").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Klachtenformulier")
    page.get_by_label("Naam", exact=True).press_sequentially("Anouk Bakker")
    page.get_by_label("Bedrijf").press_sequentially("Bakker Bouw")
    page.get_by_label("Persoon / functie").press_sequentially("Planning")
    page.get_by_label("E-mailadres").press_sequentially("anouk@example.nl")
    page.get_by_label("Onze werkwijze").check()
    page.get_by_label("Omschrijving van de klacht").press_sequentially("Ik kreeg nooit antwoord op mijn e-mail.")
    page.get_by_label("Bijlagen").set_input_files(
        files=[FilePayload(name="schermafdruk.png", mimeType="image/png", buffer=files.png())]
    )
    page.get_by_role("button", name="Klacht versturen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt, we hebben uw klacht ontvangen")
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.match(reference)
    expect(page.locator("main")).to_contain_text("Binnen 5 werkdagen")
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.name == "Anouk Bakker"
    assert complaint.subject == "working_method"
    assert complaint.attachments.get().original_name == "schermafdruk.png"
    [mail] = smtp_sink.wait_for(1)
    assert reference in mail["Subject"]
    # The notice names no one: the complaint is read in the back office.
    assert "Anouk Bakker" not in mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert console_errors == []


def test_a_double_click_on_send_files_one_complaint(live_server: object, page: Page, smtp_sink: SmtpSink) -> None:
    page.goto(f"{live_server}/klacht/")
    page.get_by_label("Naam", exact=True).fill("Jan Jansen")
    page.get_by_label("Telefoonnummer").fill("06 12345678")
    page.get_by_label("Onze dienstverlening").check()
    page.get_by_label("Omschrijving van de klacht").fill("De monteur kwam niet.")

    page.get_by_role("button", name="Klacht versturen").dblclick()

    expect(page.locator("#reference")).to_have_text(REFERENCE)
    assert Complaint.objects.count() == 1
    smtp_sink.wait_for(1)
    with pytest.raises(AssertionError):
        smtp_sink.wait_for(2, timeout=0.5)


def test_axe_finds_no_violations_on_the_public_pages(
    live_server: object, page: Page, console_errors: list[str]
) -> None:
    page.goto(f"{live_server}/")
    assert_no_axe_violations(page, context="start page")

    page.goto(f"{live_server}/klacht/")
    assert_no_axe_violations(page, context="complaint form")
    page.get_by_role("link", name="Hoe wij met uw persoonsgegevens omgaan, en uw rechten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw persoonsgegevens")
    assert_no_axe_violations(page, context="privacy statement")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Its long heading, like the one of an unknown survey link, breaks rather than scrolls sideways.
    survey = page.context.new_page()  # its 404 is expected, not a console error of this page
    survey.set_viewport_size({"width": 320, "height": 800})
    survey.goto(f"{live_server}/tevredenheid/onbekend/")
    assert survey.evaluate("document.documentElement.scrollWidth") <= 320
    survey.close()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Naar het klachtenformulier").click()

    page.get_by_role("button", name="Klacht versturen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_no_axe_violations(page, context="complaint form with errors")

    page.get_by_label("Naam", exact=True).fill("Jan Jansen")
    page.get_by_label("Telefoonnummer").fill("06 12345678")
    page.get_by_label("Onze dienstverlening").check()
    page.get_by_label("Omschrijving van de klacht").fill("De monteur kwam niet.")
    page.get_by_role("button", name="Klacht versturen").click()
    expect(page.locator("#reference")).to_be_visible()
    assert_no_axe_violations(page, context="confirmation")
    assert unexpected(console_errors) == []


def test_the_form_works_with_the_keyboard_alone(live_server: object, page: Page, console_errors: list[str]) -> None:
    page.goto(f"{live_server}/klacht/")

    # From the top of the page, Tab reaches the skip link first, then the header, then the form.
    page.keyboard.press("Tab")
    assert focused_id(page) == "A"
    expect(page.locator(":focus")).to_have_text("Direct naar de inhoud")
    while focused_id(page) != "id_name":
        tab_to_next_element(page)
    assert outline_of_focused(page) == "solid 3px"
    page.keyboard.type("Jan Jansen")

    order = [tab_to_next_element(page) for _ in range(10)]
    assert order == [
        "id_company",
        "id_complaint_date",
        "id_about",
        "id_email",
        "id_postal_address",
        "id_phone",
        "id_subject_0",  # the radio group is one stop
        "id_description",
        "id_desired_outcome",
        "id_attachments",
    ]
    # The notice by the button links the whole privacy statement; then the button.
    assert tab_to_next_element(page) == "A"
    expect(page.locator(":focus")).to_have_text("Hoe wij met uw persoonsgegevens omgaan, en uw rechten")
    submit = tab_to_next_element(page)
    assert submit == "BUTTON"
    expect(page.locator(":focus")).to_have_text("Klacht versturen")
    assert outline_of_focused(page) == "solid 3px"

    # Submit without contact details, subject or description: the error summary takes focus.
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Omschrijving van de klacht: Dit veld is verplicht.")
    assert page.get_by_label("Naam", exact=True).input_value() == "Jan Jansen"

    # Each error links to its field.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text(re.compile("^E-mailadres: Geef ten minste"))
    page.keyboard.press("Enter")
    assert focused_id(page) == "id_email"
    page.keyboard.type("jan@example.nl")
    while focused_id(page) != "id_subject_0":
        tab_to_next_element(page)
    page.keyboard.press("ArrowDown")  # moves to and chooses "Onze werkwijze"
    assert focused_id(page) == "id_subject_1"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    expect(page.get_by_label("Onze dienstverlening")).to_be_checked()
    tab_to_next_element(page)
    assert focused_id(page) == "id_description"
    page.keyboard.type("De monteur kwam twee keer niet opdagen.")
    while focused_id(page) != "BUTTON" or "versturen" not in page.locator(":focus").inner_text():
        tab_to_next_element(page)
    page.keyboard.press("Space")

    expect(page.locator("#reference")).to_have_text(REFERENCE)
    assert Complaint.objects.get().email == "jan@example.nl"
    assert unexpected(console_errors) == []


def test_the_back_office_logs_in_and_registers_a_phone_call(
    live_server: object, page: Page, console_errors: list[str], back_office: User
) -> None:
    page.goto(f"{live_server}/backoffice/registreren/")
    page.get_by_label("Gebruikersnaam").fill(back_office.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Telefoontje of brief registreren")
    assert_no_axe_violations(page, context="registration form")
    called_at = timezone.localtime() - timedelta(days=2)
    page.get_by_label("Telefoon", exact=True).check()
    page.get_by_label("Ontvangen op").fill(called_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Naam", exact=True).press_sequentially("Fatima El Amrani")
    page.get_by_label("Datum klachtmelding").fill(called_at.strftime("%Y-%m-%d"))
    page.get_by_label("Telefoonnummer").press_sequentially("020 1234567")
    page.get_by_label("Onze dienstverlening").check()
    page.get_by_label("Omschrijving van de klacht").press_sequentially("Drie keer doorverbonden.")
    page.get_by_role("button", name="Klacht registreren").click()

    complaint = Complaint.objects.get()
    expect(page).to_have_url(f"{live_server}/backoffice/klachten/{complaint.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(complaint.reference)
    assert complaint.channel == Channel.PHONE
    assert timezone.localtime(complaint.received_at).strftime("%Y-%m-%d %H:%M") == called_at.strftime("%Y-%m-%d %H:%M")
    assert complaint.received_by == back_office
    assert console_errors == []


def _luminance(rgb: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", rgb)[:3])

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


FOCUS_COLOURS = """(() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const shadow = style.boxShadow.match(/rgba?\\([^)]*\\)/);
  // What the ring stands on: the first background behind the element.
  let node = element.parentElement, around = "rgba(0, 0, 0, 0)";
  while (node && around === "rgba(0, 0, 0, 0)") {
    around = getComputedStyle(node).backgroundColor;
    node = node.parentElement;
  }
  return [style.outlineColor, shadow ? shadow[0] : style.outlineColor, around];
})()"""


def test_the_focus_ring_stands_out_by_3_to_1_on_every_background(live_server, page: Page) -> None:
    """WCAG 1.4.11: the ring is near-black around yellow; on each background one of them is at
    least 3:1 (near-black on the white page and the grey footer, yellow on the blue header)."""
    page.goto(f"{live_server}/klacht/")
    for target, background in (
        (page.get_by_label("Naam", exact=True), "white page"),
        (page.get_by_role("link", name="Privacy"), "grey footer"),
        (page.locator(".site-header button, .site-header a").first, "blue header"),
    ):
        target.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focused by keyboard, so :focus-visible applies
        outline, inner, around = page.evaluate(FOCUS_COLOURS)
        best = max(_contrast(outline, around), _contrast(inner, around))
        assert best >= 3, (background, outline, inner, around, best)
