"""Data-subject requests: find, export, rectify, restrict, erase — each within a month."""

import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import User
from complaints.errors import ProcedureError
from complaints.models import Complaint, Outcome, Status, Visibility
from complaints.sentences import Sentence
from complaints.services import acknowledge
from complaints.timeline import record_event
from organisation.selectors import get_organisation
from outbox.models import OutboxMessage
from outbox.services import queue_mail
from privacy.export_jobs import purge_expired_exports
from privacy.models import AccessAction, AccessLog, DataSubjectRequest, RequestExport, RequestKind, RequestStatus
from privacy.registry import TOKEN
from privacy.restriction import ProcessingRestricted, ensure_not_restricted
from privacy.selectors import find_person
from privacy.services import (
    extend_request,
    lift_restriction,
    link_complaints,
    place_legal_hold,
    register_request,
    restrict_processing,
)
from privacy.statement import statement
from tests.conftest import ComplaintFactory
from tests.privacy.conftest import close, hand_over
from tests.support.pdf import assert_archival_and_tagged

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(privacy_officer: User) -> Client:
    client = Client()
    client.force_login(privacy_officer)
    return client


@pytest.fixture
def jansen(make_complaint: ComplaintFactory, back_office: User, director: User) -> Complaint:
    complaint = hand_over(make_complaint(by=back_office), director)
    record_event(complaint=complaint, kind="note", actor=director, message=Sentence("Intern: Dirk belt morgen terug."))
    record_event(
        complaint=complaint,
        kind="called",
        actor=director,
        message=Sentence("U bent gebeld."),
        visibility=Visibility.PUBLIC,
    )
    return complaint


@pytest.fixture
def dsr(privacy_officer: User, jansen: Complaint) -> DataSubjectRequest:
    request = register_request(
        kind=RequestKind.ACCESS, received_at=timezone.now(), by=privacy_officer, requester_email="jan@example.nl"
    )
    link_complaints(request=request, complaints=[jansen], by=privacy_officer)
    return request


@time_machine.travel(datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
def test_a_request_is_due_one_month_after_receipt(privacy_officer: User) -> None:
    request = register_request(
        kind=RequestKind.ERASURE,
        received_at=datetime(2027, 1, 30, 23, 30, tzinfo=UTC),  # 31 January in Amsterdam
        by=privacy_officer,
        requester_name="Jan Jansen",
    )
    # 28 February 2027 is a Sunday: the term ends on Monday 1 March.
    assert request.due == date(2027, 3, 1)
    with time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=UTC)):
        assert request.on_time(timezone.localdate())
    with time_machine.travel(datetime(2027, 3, 2, 12, 0, tzinfo=UTC)):
        assert not request.on_time(timezone.localdate())


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 4, 30), date(2026, 6, 1)),  # Saturday 30 May: Monday
        (date(2026, 11, 25), date(2026, 12, 28)),  # Christmas, Boxing Day, Sunday: Monday 28th
        (date(2026, 4, 27), date(2026, 5, 27)),  # a Wednesday stays
    ],
)
def test_the_answer_is_due_on_a_working_day(privacy_officer: User, received: date, due: date) -> None:
    at = datetime(received.year, received.month, received.day, 10, 0, tzinfo=UTC)
    with time_machine.travel(at):
        request = register_request(kind=RequestKind.ACCESS, received_at=at, by=privacy_officer, requester_name="A")
    assert request.due == due


def test_the_answer_can_be_put_off_once_by_two_months_with_a_mail_to_the_person(
    officer: Client, privacy_officer: User
) -> None:
    at = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(at):
        request = register_request(
            kind=RequestKind.ACCESS,
            received_at=at,
            by=privacy_officer,
            requester_name="Jan",
            requester_email="jan@example.nl",
        )
    url = reverse("privacy:request_extend", args=[request.pk])
    with time_machine.travel(datetime(2026, 9, 20, 9, 0, tzinfo=UTC)):
        no_reason = officer.post(url, {"extend-reason": " "})
        assert no_reason.status_code == 400 and "Dit veld is verplicht." in no_reason.content.decode()
        assert officer.post(url, {"extend-reason": "Vijf klachten over tien jaar."}).status_code == 302
        request.refresh_from_db()
        # 1 December 2026, a Tuesday: three months after receipt.
        assert request.due == date(2026, 12, 1) and request.extended_by == privacy_officer
        assert request.extension_notice == "per e-mail aan jan@example.nl"
        [mail] = OutboxMessage.objects.filter(kind="dsr_extension")
        assert mail.to == ["jan@example.nl"]
        assert "Vijf klachten over tien jaar." in mail.body_text and "dinsdag 1 december 2026" in mail.body_text
        again = officer.post(url, {"extend-reason": "Nog meer tijd nodig."})
    assert again.status_code == 400 and "kan niet nog eens" in again.content.decode()
    page = officer.get(reverse("privacy:request_detail", args=[request.pk])).content.decode()
    assert "Vijf klachten over tien jaar." in page and "Antwoord uitstellen" not in page


def test_putting_off_the_answer_after_the_first_month_is_refused(privacy_officer: User) -> None:
    at = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(at):
        request = register_request(kind=RequestKind.ACCESS, received_at=at, by=privacy_officer, requester_name="Jan")
    with time_machine.travel(datetime(2026, 9, 20, 9, 0, tzinfo=UTC)), pytest.raises(ProcedureError, match="per brief"):
        extend_request(request=request, by=privacy_officer, reason="Veel klachten.")
    with (
        time_machine.travel(datetime(2026, 10, 2, 9, 0, tzinfo=UTC)),
        pytest.raises(ProcedureError, match="verstreken"),
    ):
        extend_request(request=request, by=privacy_officer, reason="Veel klachten.", notice="per brief van 2 oktober")
    request.refresh_from_db()
    assert request.due == date(2026, 10, 1) and request.extended_at is None


def test_the_list_shows_open_requests_as_on_time_or_overdue(privacy_officer: User) -> None:
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=UTC)):
        register_request(kind=RequestKind.ACCESS, received_at=timezone.now(), by=privacy_officer, requester_name="A")
    with time_machine.travel(datetime(2027, 2, 10, 9, 0, tzinfo=UTC)):
        register_request(kind=RequestKind.ACCESS, received_at=timezone.now(), by=privacy_officer, requester_name="B")
        officer = Client()
        officer.force_login(privacy_officer)
        page = officer.get(reverse("privacy:requests")).content.decode()
    assert page.count("badge late") == 1 and page.count("badge ok") == 1


def test_a_request_without_any_way_to_find_the_person_is_refused(officer: Client) -> None:
    response = officer.post(reverse("privacy:request_new"), {"kind": "access", "received_at": "2026-01-05T10:00"})
    assert response.status_code == 400
    assert not DataSubjectRequest.objects.exists()
    response = officer.post(
        reverse("privacy:request_new"), {"kind": "access", "received_at": "2026-01-05T10:00", "requester_name": "Jan"}
    )
    assert response.status_code == 302


def test_the_person_is_found_by_email_phone_digits_or_name(make_complaint: ComplaintFactory, jansen: Complaint) -> None:
    make_complaint(name="Piet Pieters", email="piet@example.nl", phone="0201234567")
    assert list(find_person(email="JAN@example.nl")) == [jansen]
    assert list(find_person(phone="06-1234 5678")) == [jansen]
    assert list(find_person(name="jansen")) == [jansen]
    assert not find_person(name="ja").exists()  # too short to tell people apart
    Complaint.objects.filter(pk=jansen.pk).update(anonymised_at=timezone.now())
    assert not find_person(email="jan@example.nl").exists()


def exported(officer: Client, dsr: DataSubjectRequest, data: dict[str, str], capture) -> tuple[str, bytes]:
    """Ask for the export as the privacy officer does, let the worker make it, download it."""
    with capture(execute=True):
        asked = officer.post(reverse("privacy:request_export", args=[dsr.pk]), data)
    export = RequestExport.objects.latest("pk")
    assert asked.status_code == 302 and asked["Location"] == reverse("privacy:export_detail", args=[export.pk])
    page = officer.get(asked["Location"]).content.decode()
    assert "De export is klaar: 1 klacht." in page and data["reason"] in page
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()  # asked for, not handed out yet
    response = officer.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    return response["Content-Type"], b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_json_export_holds_the_persons_data_and_nobody_elses(
    officer: Client,
    dsr: DataSubjectRequest,
    make_complaint: ComplaintFactory,
    privacy_officer: User,
    django_capture_on_commit_callbacks,
) -> None:
    make_complaint(name="Piet Pieters", email="piet@example.nl")
    content_type, content = exported(
        officer, dsr, {"format": "json", "reason": "Inzageverzoek per e-mail"}, django_capture_on_commit_callbacks
    )
    assert content_type == "application/json"
    data = json.loads(content)
    [complaint] = data["complaints"]
    # Readable names, not the code's (art. 20: a copy a person or another organisation can use).
    assert complaint["complaint"][0]["name"] == "Jan Jansen"
    assert complaint["complaint"][0]["e_mail_address"] == "jan@example.nl"
    assert complaint["complaint"][0]["description_of_the_complaint"] == "De monteur kwam niet opdagen."
    assert "timelineevent" not in complaint and "email" not in complaint["complaint"][0]
    messages = [event["message"] for event in complaint["history"]]
    assert "U bent gebeld." in messages
    # Art. 15(1): the source, the purposes with their ground, the recipients, the retention, the rights.
    assert complaint["source"].startswith("U hebt de klacht zelf ingediend")
    information = data["information"]
    assert [p["purpose"] for p in information["purposes"]] == [
        "Behandeling van de klacht",
        "Verbeteren van de dienstverlening",
    ]
    assert all(p["legal_basis"] for p in information["purposes"]) and information["recipients"]
    assert "maanden" in information["retention"]
    assert any("Autoriteit Persoonsgegevens" in paragraph for paragraph in information["rights"])
    # Nobody else's data in the person's own records (the general information names roles, not people).
    text = json.dumps(data["complaints"], ensure_ascii=False)
    for other in ("Piet", "Intern: Dirk", "Bart", "Balie", "Directeur", "Planning", "bart@supportoplus.nl"):
        assert other not in text, other
    log = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert (log.user, log.complaint, log.reason) == (privacy_officer, dsr.complaints.get(), "Inzageverzoek per e-mail")


def test_an_export_needs_a_reason(officer: Client, dsr: DataSubjectRequest) -> None:
    response = officer.post(reverse("privacy:request_export", args=[dsr.pk]), {"format": "json", "reason": ""})
    assert response.status_code == 400
    assert not RequestExport.objects.exists()
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()


def test_the_pdf_export_is_a_readable_document(
    officer: Client, dsr: DataSubjectRequest, django_capture_on_commit_callbacks
) -> None:
    content_type, content = exported(
        officer, dsr, {"format": "pdf", "reason": "Inzage"}, django_capture_on_commit_callbacks
    )
    assert content_type == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Jan Jansen" in text and "jan@example.nl" in text and dsr.complaints.get().reference in text
    assert "Directeur" not in text and "Intern" not in text
    # Art. 15(1): where the data came from, and how it is used (purposes, recipients, retention, rights).
    flat = " ".join(text.split())
    assert "Waar deze gegevens vandaan komen: U hebt de klacht zelf ingediend" in flat
    assert "Autoriteit Persoonsgegevens" in flat and "maanden" in flat
    assert_archival_and_tagged(content, title="Uw persoonsgegevens")


def test_an_export_is_made_once_shown_only_to_who_asked_and_removed_later(
    officer: Client, dsr: DataSubjectRequest, privacy_officer: User, django_capture_on_commit_callbacks
) -> None:
    url = reverse("privacy:request_export", args=[dsr.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = officer.post(url, {"format": "pdf", "reason": "Inzage"})
        second = officer.post(url, {"format": "pdf", "reason": "Inzage"})
    assert first["Location"] == second["Location"] and len(queued) == 1
    export = RequestExport.objects.get()
    page = officer.get(first["Location"]).content.decode()
    assert "Wacht op de start" in page and "<progress" in page and "data-progress-url" in page
    progress = officer.get(reverse("privacy:export_progress", args=[export.pk])).json()
    assert progress["status"] == "queued" and progress["rows_done"] == 0
    # Not ready: nothing to download.
    assert officer.get(reverse("privacy:export_download", args=[export.pk])).status_code == 404
    queued[0]()
    export.refresh_from_db()
    assert (export.status, export.rows_done, export.rows_total) == ("done", 1, 1)
    # The request's page lists it for who asked; another privacy officer cannot reach it.
    assert export.filename in officer.get(reverse("privacy:request_detail", args=[dsr.pk])).content.decode()
    colleague = User.objects.create_user(username="fg2", password="x")
    colleague.groups.add(*privacy_officer.groups.all())
    other = Client()
    other.force_login(colleague)
    for name in ("privacy:export_detail", "privacy:export_progress", "privacy:export_download"):
        assert other.get(reverse(name, args=[export.pk])).status_code == 404, name
    stored = str(export.file.name)
    with time_machine.travel(timezone.now() + timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)):
        assert purge_expired_exports() == 1
    assert not RequestExport.objects.exists() and not default_storage.exists(stored)


def test_rectifying_a_field_is_recorded_without_the_old_value(
    officer: Client, dsr: DataSubjectRequest, jansen: Complaint
) -> None:
    url = reverse("privacy:request_rectify", args=[dsr.pk])
    bad = officer.post(url, {"complaint": jansen.reference, "field": "email", "value": "geen adres"})
    assert bad.status_code == 400 and "geen adres" in bad.content.decode()
    response = officer.post(url, {"complaint": jansen.reference, "field": "email", "value": "j.jansen@example.nl"})
    assert response.status_code == 302
    jansen.refresh_from_db()
    assert jansen.email == "j.jansen@example.nl"
    event = jansen.events.get(kind="rectified")
    assert "jan@example.nl" not in event.message and "jan@example.nl" not in str(event.data)
    assert (event.data["field"], event.data["request"]) == ("email", dsr.pk)


def test_a_restricted_complaint_gets_no_mail_and_no_steps_until_lifted(
    officer: Client, dsr: DataSubjectRequest, jansen: Complaint
) -> None:
    response = officer.post(
        reverse("privacy:request_restrict", args=[dsr.pk]),
        {"complaint": jansen.reference, "reason": "Betwist juistheid"},
    )
    assert response.status_code == 302
    with pytest.raises(ProcessingRestricted):
        ensure_not_restricted(jansen)
    with pytest.raises(ProcessingRestricted):
        queue_mail(kind="x", to=["jan@example.nl"], subject="s", text="t", complaint=jansen)
    restriction = jansen.restrictions.get()
    officer.post(reverse("privacy:restriction_lift", args=[restriction.pk]))
    ensure_not_restricted(jansen)
    assert queue_mail(kind="x", to=["jan@example.nl"], subject="s", text="t", complaint=jansen).pk


def test_an_open_complaint_is_not_erased_before_its_handling_has_ended(
    officer: Client, dsr: DataSubjectRequest, jansen: Complaint
) -> None:
    response = officer.post(
        reverse("privacy:request_erase", args=[dsr.pk]), {"complaint": jansen.reference, "confirm": "on"}
    )
    assert response.status_code == 400 and "beëindig eerst de behandeling" in response.content.decode()
    assert Complaint.objects.get(pk=jansen.pk).anonymised_at is None


def test_the_privacy_officer_ends_the_handling_and_then_erases(
    officer: Client, dsr: DataSubjectRequest, jansen: Complaint, director: User
) -> None:
    detail = reverse("privacy:request_detail", args=[dsr.pk])
    page = officer.get(detail).content.decode()
    assert "De behandeling beëindigen voor een verzoek om verwijdering" in page
    # Only the privacy officer takes this step; the responsible person records withdrawals their way.
    from complaints.services import withdraw_for_erasure

    with pytest.raises(ProcedureError):
        withdraw_for_erasure(complaint=jansen, by=director, reason="x")
    url = reverse("privacy:request_withdraw", args=[dsr.pk])
    assert officer.post(url, {"complaint": jansen.reference, "reason": ""}).status_code == 400
    response = officer.post(url, {"complaint": jansen.reference, "reason": "Per brief van 3 februari"})
    assert response.status_code == 302
    ended = Complaint.objects.get(pk=jansen.pk)
    assert ended.status == Status.WITHDRAWN and ended.outcome == Outcome.WITHDRAWN
    event = ended.events.get(kind="withdrawn")
    assert "vroeg om verwijdering" in event.message and "Per brief van 3 februari" in event.message
    # The privacy officer did not open the complaint for it.
    assert not AccessLog.objects.filter(complaint=jansen, action=AccessAction.VIEW).exists()
    # No longer open: the form offers it no more, and the erasure goes ahead.
    assert "De behandeling beëindigen voor een verzoek om verwijdering" not in officer.get(detail).content.decode()
    erase = reverse("privacy:request_erase", args=[dsr.pk])
    assert officer.post(erase, {"complaint": jansen.reference, "confirm": "on"}).status_code == 302
    assert Complaint.objects.get(pk=jansen.pk).anonymised_at is not None


def test_erasure_is_refused_with_the_reason_while_a_legal_hold_applies(
    officer: Client, dsr: DataSubjectRequest, jansen: Complaint, privacy_officer: User
) -> None:
    close(jansen)
    hold = place_legal_hold(complaint=jansen, by=privacy_officer, reason="Aansprakelijkheidsclaim verzekeraar")
    url = reverse("privacy:request_erase", args=[dsr.pk])
    response = officer.post(url, {"complaint": jansen.reference, "confirm": "on"})
    assert response.status_code == 400
    assert "Aansprakelijkheidsclaim verzekeraar" in response.content.decode()
    assert Complaint.objects.get(pk=jansen.pk).name == "Jan Jansen"
    officer.post(reverse("privacy:hold_lift", args=[hold.pk]))
    assert officer.post(url, {"complaint": jansen.reference, "confirm": "on"}).status_code == 302
    erased = Complaint.objects.get(pk=jansen.pk)
    assert erased.anonymised_at is not None and erased.name == TOKEN and erased.email == ""
    assert erased.events.filter(kind="anonymised", data__reason="erasure").exists()


def test_a_handled_request_records_the_answer(officer: Client, dsr: DataSubjectRequest) -> None:
    url = reverse("privacy:request_complete", args=[dsr.pk])
    assert officer.post(url, {"outcome": ""}).status_code == 400
    assert officer.post(url, {"outcome": "Export per post verstuurd."}).status_code == 302
    dsr.refresh_from_db()
    assert dsr.status == RequestStatus.DONE and dsr.completed_at is not None
    assert officer.post(url, {"outcome": "Nog eens"}).status_code == 400


def test_the_request_page_finds_and_links_the_persons_complaints(
    officer: Client, privacy_officer: User, jansen: Complaint
) -> None:
    request = register_request(
        kind=RequestKind.ACCESS, received_at=timezone.now(), by=privacy_officer, requester_phone="0612345678"
    )
    page = officer.get(reverse("privacy:request_detail", args=[request.pk])).content.decode()
    assert jansen.reference in page
    officer.post(reverse("privacy:request_detail", args=[request.pk]), {"complaints": [jansen.pk]})
    assert list(request.complaints.all()) == [jansen]
    assert AccessLog.objects.filter(complaint=jansen, action=AccessAction.REQUEST).exists()


def test_the_register_and_the_public_statement_take_the_retention_period_from_the_settings(
    officer: Client, db: None
) -> None:
    organisation = get_organisation()
    organisation.retention_months = 18
    organisation.save()
    register = officer.get(reverse("privacy:register")).content.decode()
    public = Client().get(reverse("intake:privacy_statement")).content.decode()
    for page in (register, public):
        assert "18 maanden" in page
    # The register also names the terms of other records, which have their own settings.
    assert "24 maanden" not in public
    with translation.override("nl"):
        purposes = [str(purpose.title) for purpose in statement().purposes]
    assert organisation.quality_inbox in register and all(purpose in register for purpose in purposes)


def test_no_procedure_step_is_taken_on_a_restricted_complaint(
    jansen: Complaint, privacy_officer: User, quality_manager: User
) -> None:
    restriction = restrict_processing(complaint=jansen, by=privacy_officer, reason="Betwist juistheid")
    with pytest.raises(ProcessingRestricted):
        acknowledge(complaint=jansen, by=quality_manager)
    assert Complaint.objects.get(pk=jansen.pk).acknowledged_at is None
    lift_restriction(restriction=restriction, by=privacy_officer)
    acknowledge(complaint=jansen, by=quality_manager)
    assert Complaint.objects.get(pk=jansen.pk).acknowledged_at is not None


@pytest.mark.parametrize(
    ("kind", "label"), [("objection", "bezwaar tegen de verwerking"), ("portability", "overdraagbaarheid")]
)
def test_an_objection_and_a_portability_request_can_be_registered(officer: Client, kind: str, label: str) -> None:
    form = officer.get(reverse("privacy:request_new")).content.decode()
    assert label in form
    response = officer.post(
        reverse("privacy:request_new"),
        {"kind": kind, "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "requester_name": "Jan"},
    )
    assert response.status_code == 302
    assert DataSubjectRequest.objects.get().kind == kind


def test_the_archive_holds_the_pdf_the_json_and_the_files_under_safe_names(
    make_complaint: ComplaintFactory, privacy_officer: User
) -> None:
    import zipfile

    from complaints.attachments import UploadedFile
    from privacy.export import generate_zip
    from tests.intake import files

    complaint = make_complaint(
        files=(
            UploadedFile(name="../../etc/scan.pdf", content=files.pdf(), content_type="application/pdf"),
            UploadedFile(name="scan.pdf", content=files.pdf("Tweede"), content_type="application/pdf"),
        )
    )
    request = register_request(
        kind=RequestKind.ACCESS, received_at=timezone.now(), by=privacy_officer, requester_email="jan@example.nl"
    )
    name, mimetype, content = generate_zip(request=request, complaints=[complaint])
    assert (name, mimetype) == (f"persoonsgegevens-verzoek-{request.pk}.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(archive.namelist())
    assert names == sorted(
        [
            "persoonsgegevens.json",
            "persoonsgegevens.pdf",
            f"{complaint.reference}/bestanden/scan.pdf",
            f"{complaint.reference}/bestanden/scan (2).pdf",
        ]
    )


def test_the_register_names_the_term_of_every_record_outside_a_complaint_file(
    officer: Client, settings: object, db: None
) -> None:
    settings.REQUEST_RETENTION_MONTHS = 30  # type: ignore[attr-defined]
    settings.ACCESS_LOG_RETENTION_MONTHS = 13  # type: ignore[attr-defined]
    settings.STAFF_ACCOUNT_RETENTION_MONTHS = 7  # type: ignore[attr-defined]
    settings.OUTBOX_RETENTION_MONTHS = 1  # type: ignore[attr-defined]
    settings.MAIL_EXCERPT_RETENTION_DAYS = 45  # type: ignore[attr-defined]
    register = officer.get(reverse("privacy:register")).content.decode()
    for sentence in (
        "Privacyverzoeken: verwijderd 30 maanden na het antwoord.",
        "Toegangslog: een regel wordt na 13 maanden verwijderd.",
        "naam, e-mailadres en functie worden 7 maanden na het deactiveren verwijderd.",
        "verwijderd 1 maand na verzending.",
        "worden na 45 dagen verwijderd.",
    ):
        assert sentence in register


def test_the_export_withholds_other_complainants_and_uninvolved_staff_in_its_texts(
    make_complaint: ComplaintFactory, quality_manager: User, privacy_officer: User
) -> None:
    """Art. 15(4): the person's copy does not disclose other people's data."""
    from privacy.export import complaint_sections
    from quality.models import ComplaintLink, LinkReason

    own = make_complaint(name="Jan Jansen", email="jan@example.nl")
    other = make_complaint(name="Karel Bakker", email="karel@example.nl")
    first, second = sorted((own, other), key=lambda c: c.pk)
    ComplaintLink.objects.create(first=first, second=second, reason=LinkReason.SAME_CAUSE)
    colleague = User.objects.create_user("sanne", "sanne@example.nl", "x" * 16, first_name="Sanne", last_name="de Wit")
    Complaint.objects.filter(pk=own.pk).update(
        assigned_to=quality_manager,
        discussion_summary=f"Besproken met {quality_manager.first_name} {quality_manager.last_name}. Karel Bakker "
        "(karel@example.nl) had dezelfde klacht; collega Sanne de Wit was die dag ziek. Jan Jansen is tevreden.",
    )
    own.refresh_from_db()
    with translation.override("nl"):
        sections = complaint_sections(own)
    [summary] = [row["discussion_summary"] for s in sections for row in s.rows if "discussion_summary" in row]
    assert "Karel Bakker" not in summary and "karel@example.nl" not in summary and "Sanne de Wit" not in summary
    assert summary.count("[afgeschermd]") == 3
    # The person themselves, and the staff member who handled it, are named.
    assert "Jan Jansen is tevreden" in summary
    assert f"{quality_manager.first_name} {quality_manager.last_name}" in summary
    assert not colleague.is_staff  # a colleague with an account, not involved in this complaint
