"""The privacy officer's data-subject request end to end in a real browser: register it, find and
link the person's complaints, have the export made and download it with its reason, record the answer and mark it
handled; then the register and the access log. Accessible, no CSP errors."""

import json
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from accounts.models import User
from complaints.attachments import UploadedFile
from complaints.models import Complaint
from outbox.models import OutboxMessage
from privacy.models import AccessAction, AccessLog, DataSubjectRequest
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
    assert data["complaints"][0]["complaint"][0]["email"] == "jan@example.nl"
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
    page.goto(f"{base}/backoffice/privacy/verzoeken/nieuw/")
    page.get_by_label("Soort verzoek").select_option("erasure")
    page.get_by_label("E-mailadres").fill("jan@example.nl")
    page.get_by_role("button", name="Registreren").click()
    page.get_by_label(complaint.reference, exact=False).check()
    page.get_by_role("button", name="Koppelen aan dit verzoek").click()
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
