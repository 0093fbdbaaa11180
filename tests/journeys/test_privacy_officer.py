"""The privacy officer's data-subject request end to end in a real browser: register it, find and
link the person's complaints, have the export made and download it with its reason, record the answer and mark it
handled; then the register and the access log. Also: reading the processing register and downloading it as a PDF;
an objection (art. 21) answered by restricting the processing while it is weighed; an erasure refused while a legal
hold applies and done once the hold is lifted. Accessible, no CSP errors."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import User
from complaints import services as procedure
from complaints.attachments import UploadedFile
from complaints.models import Complaint, Outcome, Status
from organisation.selectors import get_organisation
from outbox.models import OutboxMessage
from privacy.models import (
    AccessAction,
    AccessLog,
    DataSubjectRequest,
    LegalHold,
    ProcessingRestriction,
    RequestKind,
    RequestStatus,
)
from privacy.registry import TOKEN
from privacy.services import place_legal_hold
from quality.models import Category
from quality.services import classify
from tests.intake import files
from tests.support.browser import assert_no_axe_violations


def log_in(page: Page, base: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


@pytest.mark.django_db(transaction=True)
def test_the_privacy_officer_answers_an_access_request_in_the_browser(
    live_server: object, page: Page, console_errors: list[str], privacy_officer: User, make_complaint: object
) -> None:
    complaint: Complaint = make_complaint(  # type: ignore[operator]
        files=(UploadedFile(name="scan.pdf", content=files.pdf(), content_type="application/pdf"),)
    )
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, privacy_officer)

    page.goto(f"{base}/backoffice/privacy/verzoeken/")
    assert_no_axe_violations(page, context="request list")
    page.get_by_role("link", name="Verzoek registreren").click()
    page.get_by_label("Soort verzoek").select_option("access")
    page.get_by_label("E-mailadres").fill("jan@example.nl")
    page.get_by_role("button", name="Registreren").click()
    page.get_by_text("Gevonden klachten").wait_for()
    assert_no_axe_violations(page, context="request page with search results")
    page.get_by_label(complaint.reference, exact=False).check()
    page.get_by_role("button", name="Koppelen aan dit verzoek").click()
    page.get_by_role("button", name="Export maken").wait_for()
    assert_no_axe_violations(page, context="request page with linked complaint")

    # A complex request: the answer is put off by two months, and the person gets an e-mail.
    page.get_by_text("Meer tijd nodig? Stel het antwoord twee maanden uit").click()
    page.get_by_label("Waarom er meer tijd nodig is").fill(
        "Vijf klachten over drie jaar; de dossiers liggen deels op papier."
    )
    assert_no_axe_violations(page, context="request page with the extension form open")
    page.get_by_role("button", name="Antwoord uitstellen").click()
    page.get_by_text("Het antwoord is uitgesteld; de persoon is ingelicht.").wait_for()
    extended = DataSubjectRequest.objects.get()
    assert page.get_by_text("persoon ingelicht per e-mail aan jan@example.nl").is_visible()
    assert OutboxMessage.objects.get(kind="dsr_extension").to == ["jan@example.nl"]
    assert (extended.due - extended.received_at.date()).days > 80

    # The worker makes the export (at once, with the test settings' task backend); the page
    # that follows offers it to this privacy officer only.
    page.get_by_label("Reden voor de export").fill("Inzageverzoek van 24 november")
    page.get_by_role("button", name="Export maken").click()
    page.get_by_role("status").filter(has_text="De export is klaar: 1 klacht.").wait_for()
    assert_no_axe_violations(page, context="export ready")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"persoonsgegevens-verzoek-{DataSubjectRequest.objects.get().pk}.zip").click()
    # One archive: the readable PDF, the machine-readable file and what the person sent us.
    with zipfile.ZipFile(download.value.path()) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("persoonsgegevens.json"))
        assert archive.read(f"{complaint.reference}/bestanden/scan.pdf").startswith(b"%PDF")
    assert "persoonsgegevens.pdf" in names
    assert data["complaints"][0]["complaint"][0]["e_mail_address"] == "jan@example.nl"
    assert AccessLog.objects.get(action=AccessAction.EXPORT).reason == "Inzageverzoek van 24 november"
    assert DataSubjectRequest.objects.get().complaints.get() == complaint
    page.get_by_role("link", name="Privacyverzoek: inzage (export)").click()

    page.get_by_label("Gegeven antwoord").fill("Export van 24 november per e-mail gestuurd.")
    page.get_by_role("button", name="Markeren als afgehandeld").click()
    page.get_by_role("button", name="Markeren als afgehandeld").wait_for(state="detached")
    handled = DataSubjectRequest.objects.get()
    assert handled.completed_at is not None and "24 november" in handled.outcome
    assert_no_axe_violations(page, context="handled request")

    page.goto(f"{base}/backoffice/privacy/register/")
    page.get_by_role("heading", name="Verwerkingsregister").wait_for()
    assert_no_axe_violations(page, context="processing register")
    page.goto(f"{base}/backoffice/privacy/toegang/klacht/{complaint.reference}/")
    assert_no_axe_violations(page, context="access log of a complaint")
    page.goto(f"{base}/backoffice/privacy/bewaarplicht/")
    assert_no_axe_violations(page, context="legal holds")
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_privacy_officer_ends_an_open_complaint_and_erases_it_in_the_browser(
    live_server: object, page: Page, console_errors: list[str], privacy_officer: User, make_complaint: object
) -> None:
    complaint: Complaint = make_complaint()  # type: ignore[operator]
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, privacy_officer)
    register_and_link(page, base, RequestKind.ERASURE, complaint)
    page.get_by_role("button", name="Nu verwijderen").wait_for()

    # Still being handled: erasing is refused, with what to do first.
    erase = page.locator("form", has=page.get_by_role("button", name="Nu verwijderen"))
    erase.get_by_label("Klacht").select_option(complaint.reference)
    erase.get_by_label("Ik heb de identiteit").check()
    erase.get_by_role("button", name="Nu verwijderen").click()
    page.locator("#error-summary").filter(has_text="beëindig eerst de behandeling").wait_for()

    end = page.locator("form", has=page.get_by_role("button", name="Behandeling beëindigen"))
    end.get_by_label("Klacht").select_option(complaint.reference)
    end.get_by_label("Hoe de persoon om verwijdering vroeg").fill("Telefonisch op 3 februari, identiteit gecontroleerd")
    assert_no_axe_violations(page, context="request page with the form to end the handling")
    end.get_by_role("button", name="Behandeling beëindigen").click()
    page.get_by_text("De behandeling is beëindigd; de klacht kan nu worden verwijderd.").wait_for()

    erase = page.locator("form", has=page.get_by_role("button", name="Nu verwijderen"))
    erase.get_by_label("Klacht").select_option(complaint.reference)
    erase.get_by_label("Ik heb de identiteit").check()
    erase.get_by_role("button", name="Nu verwijderen").click()
    page.get_by_text("De persoonsgegevens van de klacht zijn verwijderd.").wait_for()
    erased = Complaint.objects.get(pk=complaint.pk)
    assert erased.anonymised_at is not None and erased.status == "withdrawn"
    # Only the refused erasure's answer (400, with its message on the page).
    assert [error for error in console_errors if "status of 400" not in error] == []


def closed_complaint(make_complaint: object, quality_manager: User) -> Complaint:
    """A complaint handled to the end through the procedure's own steps."""
    complaint: Complaint = make_complaint()  # type: ignore[operator]
    # get_or_create: a transactional test before this one may have flushed the migrated categories.
    category, _ = Category.objects.get_or_create(parent=None, name="bejegening")
    classify(complaint=complaint, by=quality_manager, category=category)
    procedure.close(
        complaint=complaint,
        by=quality_manager,
        outcome=Outcome.WELL_FOUNDED,
        resolution="Excuses aangeboden.",
        complainant_agrees=True,
        skip_reason="Opgelost aan de telefoon.",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    return complaint


def register_and_link(page: Page, base: str, kind: RequestKind, complaint: Complaint) -> DataSubjectRequest:
    """Register a request of `kind` for jan@example.nl and link the complaint found for it."""
    page.goto(f"{base}/backoffice/privacy/verzoeken/nieuw/")
    page.get_by_label("Soort verzoek").select_option(kind.value)
    page.get_by_label("E-mailadres").fill("jan@example.nl")
    page.get_by_role("button", name="Registreren").click()
    page.get_by_text("Gevonden klachten").wait_for()
    page.get_by_label(complaint.reference, exact=False).check()
    page.get_by_role("button", name="Koppelen aan dit verzoek").click()
    # Linked: the complaint is a row in the table of the person's complaints.
    page.get_by_role("row").filter(has_text=complaint.reference).wait_for()
    dsr = DataSubjectRequest.objects.get()
    assert dsr.kind == kind and list(dsr.complaints.all()) == [complaint]
    return dsr


@pytest.mark.django_db(transaction=True)
def test_the_privacy_officer_reads_the_processing_register_and_downloads_it_as_a_pdf(
    live_server: object, page: Page, console_errors: list[str], privacy_officer: User
) -> None:
    # What the administrator recorded under Organisation.
    organisation = get_organisation()
    organisation.privacy_contact_name = "Fatima Gegevens"
    organisation.privacy_contact_email = "fg@supportoplus.nl"
    organisation.processors = "Hosting: Voorbeeld Cloud BV, Amsterdam"
    organisation.save()
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, privacy_officer)

    page.goto(f"{base}/backoffice/privacy/verzoeken/")
    page.get_by_role("link", name="Verwerkingsregister").click()
    page.get_by_role("heading", name="Verwerkingsregister", level=1).wait_for()
    assert page.get_by_text("Register van verwerkingsactiviteiten (AVG artikel 30): klachtbehandeling.").is_visible()
    # The data protection officer (FG) under its heading, and the processor among the recipients.
    officer = page.get_by_role("heading", name="Functionaris gegevensbescherming")
    expect(officer.locator("xpath=following-sibling::p[1]")).to_have_text("Fatima Gegevens, fg@supportoplus.nl")
    recipients = page.get_by_role("heading", name="Ontvangers").locator("xpath=following-sibling::ul[1]")
    expect(recipients.get_by_role("listitem")).to_contain_text(["Verwerker: Hosting: Voorbeeld Cloud BV, Amsterdam"])
    assert_no_axe_violations(page, context="processing register with the officer and a processor")

    with page.expect_download() as download:
        page.get_by_role("link", name="Het register downloaden als pdf").click()
    assert download.value.suggested_filename == "verwerkingsregister.pdf"
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Fatima Gegevens" in text and "Voorbeeld Cloud BV" in text
    # Downloading leaves the page as it was.
    page.get_by_role("heading", name="Verwerkingsregister", level=1).wait_for()
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_privacy_officer_restricts_the_processing_for_an_objection_and_answers_it(
    live_server: object, page: Page, console_errors: list[str], privacy_officer: User, make_complaint: object
) -> None:
    complaint: Complaint = make_complaint()  # type: ignore[operator]
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, privacy_officer)
    dsr = register_and_link(page, base, RequestKind.OBJECTION, complaint)
    page.get_by_role("heading", name="Privacyverzoek: bezwaar tegen de verwerking").wait_for()
    assert_no_axe_violations(page, context="objection with its complaint linked")

    # While the objection is weighed, the complaint is only stored (art. 18(1)(d)).
    restrict = page.locator("form", has=page.get_by_role("button", name="Beperken", exact=True))
    restrict.get_by_label("Klacht").select_option(complaint.reference)
    restrict.get_by_label("Reden").fill("Bezwaar tegen de verwerking; wordt beoordeeld")
    restrict.get_by_role("button", name="Beperken", exact=True).click()
    page.get_by_role("status").filter(has_text="De verwerking is beperkt.").wait_for()
    row = page.get_by_role("row").filter(has_text=complaint.reference)
    assert row.get_by_text("beperkt", exact=True).is_visible()
    assert row.get_by_role("button", name="Beperking opheffen").is_visible()
    assert_no_axe_violations(page, context="objection with the processing restricted")
    restriction = ProcessingRestriction.objects.get(complaint=complaint)
    assert restriction.lifted_at is None and restriction.request_id == dsr.pk
    assert "wordt beoordeeld" in restriction.reason
    assert complaint.events.filter(kind="restricted").exists()

    page.get_by_label("Gegeven antwoord").fill("Bezwaar toegewezen: de klacht wordt alleen nog bewaard.")
    page.get_by_role("button", name="Markeren als afgehandeld").click()
    page.get_by_role("status").filter(has_text="Het verzoek is afgehandeld.").wait_for()
    assert page.get_by_role("button", name="Markeren als afgehandeld").count() == 0
    assert page.get_by_text("Bezwaar toegewezen: de klacht wordt alleen nog bewaard.").is_visible()
    assert_no_axe_violations(page, context="objection handled")
    handled = DataSubjectRequest.objects.get(pk=dsr.pk)
    assert handled.status == RequestStatus.DONE and handled.completed_at is not None
    assert handled.completed_by == privacy_officer and handled.outcome.startswith("Bezwaar toegewezen")
    # Handling the objection does not lift the restriction.
    assert ProcessingRestriction.objects.get(pk=restriction.pk).lifted_at is None

    page.get_by_role("link", name="Privacyverzoeken").click()
    # The overview lists the complaint among the restricted ones.
    restricted = page.get_by_role("heading", name="Klachten met beperkte verwerking")
    expect(restricted.locator("xpath=following-sibling::*[1]")).to_contain_text(complaint.reference)
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_privacy_officer_erases_a_closed_complaint_only_after_lifting_its_legal_hold(
    live_server: object,
    page: Page,
    console_errors: list[str],
    privacy_officer: User,
    quality_manager: User,
    make_complaint: object,
) -> None:
    complaint = closed_complaint(make_complaint, quality_manager)
    hold = place_legal_hold(complaint=complaint, by=quality_manager, reason="Aansprakelijkheidsclaim verzekeraar")
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, privacy_officer)
    register_and_link(page, base, RequestKind.ERASURE, complaint)
    row = page.get_by_role("row").filter(has_text=complaint.reference)
    assert row.get_by_text("bewaarplicht", exact=True).is_visible()
    # Closed: there is no handling to end first.
    assert page.get_by_role("button", name="Behandeling beëindigen").count() == 0

    erase = page.locator("form", has=page.get_by_role("button", name="Nu verwijderen"))
    erase.get_by_label("Klacht").select_option(complaint.reference)
    erase.get_by_label("Ik heb de identiteit").check()
    erase.get_by_role("button", name="Nu verwijderen").click()
    refusal = page.locator("#error-summary")
    refusal.wait_for()
    assert refusal.get_by_role("listitem").inner_text() == (
        f"Verwijdering geweigerd: voor klacht {complaint.reference} geldt een bewaarplicht "
        "(Aansprakelijkheidsclaim verzekeraar)."
    )
    assert_no_axe_violations(page, context="erasure refused for a legal hold")
    kept = Complaint.objects.get(pk=complaint.pk)
    assert kept.anonymised_at is None and kept.name == "Jan Jansen" and kept.email == "jan@example.nl"

    page.get_by_role("link", name="Privacyverzoeken").click()
    page.get_by_role("link", name="Bewaarplichten").click()
    page.get_by_role("heading", name="Bewaarplichten", level=1).wait_for()
    held = page.get_by_role("row").filter(has_text=complaint.reference)
    assert held.get_by_text("Aansprakelijkheidsclaim verzekeraar").is_visible()
    assert_no_axe_violations(page, context="legal holds with one hold")
    held.get_by_role("button", name="Opheffen").click()
    page.get_by_role("status").filter(has_text="Bewaarplicht opgeheven.").wait_for()
    assert page.get_by_text("Voor geen enkele klacht geldt een bewaarplicht.").is_visible()
    assert_no_axe_violations(page, context="legal holds after lifting")
    lifted = LegalHold.objects.get(pk=hold.pk)
    assert lifted.lifted_at is not None and lifted.lifted_by == privacy_officer

    page.get_by_role("link", name="Privacyverzoeken").click()
    page.get_by_role("row").filter(has_text="verwijdering").get_by_role("link").click()
    page.get_by_role("heading", name="Privacyverzoek: verwijdering").wait_for()
    assert page.get_by_role("row").filter(has_text=complaint.reference).get_by_text("bewaarplicht").count() == 0
    erase = page.locator("form", has=page.get_by_role("button", name="Nu verwijderen"))
    erase.get_by_label("Klacht").select_option(complaint.reference)
    erase.get_by_label("Ik heb de identiteit").check()
    erase.get_by_role("button", name="Nu verwijderen").click()
    page.get_by_role("status").filter(has_text="De persoonsgegevens van de klacht zijn verwijderd.").wait_for()
    row = page.get_by_role("row").filter(has_text=complaint.reference)
    expect(row.get_by_role("cell", name="afgesloten · geanonimiseerd")).to_be_visible()
    assert_no_axe_violations(page, context="erased after the hold was lifted")
    erased = Complaint.objects.get(pk=complaint.pk)
    assert erased.anonymised_at is not None and erased.name == TOKEN and erased.email == ""
    assert erased.events.filter(kind="anonymised", data__reason="erasure").exists()
    # Only the refused erasure's answer (400, with its message on the page).
    assert [error for error in console_errors if "status of 400" not in error] == []
