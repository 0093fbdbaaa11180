"""The complainant's own page behind the private link in the acknowledgement."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import services as procedure
from complaints.models import TimelineEvent, Visibility
from complaints.sentences import Sentence
from complaints.timeline import record_event
from correspondence import status
from correspondence.models import LetterKind
from outbox.models import OutboxMessage
from tests.correspondence.conftest import stored_pdf

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def acknowledged(client, make_complaint, quality_manager, director, send, smtp_sink):
    """A complaint acknowledged by e-mail and handed to the director, whose link `client` has
    opened; returns (complaint, the status page's path, the letter)."""
    complaint = make_complaint(received_at=timezone.now() - timedelta(days=1))
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    procedure.assign(complaint=complaint, to=director, by=quality_manager)
    [message] = smtp_sink.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"/klacht/status/[A-Za-z0-9_-]{43}/", text)
    assert found, text
    claimed = client.get(found.group(0))
    assert claimed.status_code == 302 and claimed["Location"] == "/klacht/status/"
    complaint.refresh_from_db()
    return complaint, "/klacht/status/", letter


def test_the_right_link_shows_where_the_complaint_stands(client, acknowledged):
    complaint, path, letter = acknowledged
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert complaint.reference in page
    assert "Schriftelijke ontvangstbevestiging" in page
    assert "Dirk Directeur, Directielid" in page
    assert "Komende termijnen" in page
    assert f"{path}brieven/{letter.pk}/" in page
    download = client.get(f"{path}brieven/{letter.pk}/")
    assert download.status_code == 200
    assert download.content == stored_pdf(letter)


@pytest.mark.parametrize(
    "path",
    [
        "/klacht/status/" + "A" * 43 + "/",
        "/klacht/status/kort/",
        "/klacht/status/KL-2026-00001/",
    ],
)
def test_a_wrong_link_answers_404_without_a_hint(client, acknowledged, path):
    complaint, _path, _letter = acknowledged
    response = client.get(path)
    assert response.status_code == 404
    assert complaint.name not in response.content.decode()


def test_the_link_stops_working_when_the_data_is_anonymised(client, acknowledged):
    complaint, path, letter = acknowledged
    type(complaint).objects.filter(pk=complaint.pk).update(anonymised_at=timezone.now())
    assert client.get(path).status_code == 404
    assert client.get(f"{path}brieven/{letter.pk}/").status_code == 404


def test_the_link_expires_some_time_after_closing(client, acknowledged, settings):
    complaint, path, _letter = acknowledged
    # Closing itself is the procedure's business; here only the moment matters.
    type(complaint).objects.filter(pk=complaint.pk).update(status="closed", closed_at=timezone.now())
    page = client.get(path)
    assert page.status_code == 200
    assert "Uw klacht is afgesloten" in page.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=settings.STATUS_LINK_DAYS_AFTER_CLOSING + 1)):
        assert client.get(path).status_code == 404


def test_internal_notes_and_staff_names_are_never_shown(client, acknowledged, quality_manager):
    complaint, path, _letter = acknowledged
    record_event(
        complaint=complaint,
        kind="note",
        actor=quality_manager,
        message=Sentence("Interne notitie: klager is lastig"),
        visibility=Visibility.INTERNAL,
    )
    page = client.get(path).content.decode()
    assert "Interne notitie" not in page
    assert "Karin" not in page  # the quality manager who sent the letter and handed it over
    assert "Overgedragen aan" not in page and "Handed over to" not in page
    assert "Ontvangstbevestiging" in page  # public events are there


def test_another_complaints_letter_is_not_reachable_through_a_link(
    client, acknowledged, make_complaint, quality_manager, send
):
    _complaint, path, _letter = acknowledged
    other = send(
        make_complaint(email="", postal_address="Dorpsstraat 1, 6711 AB Ede"),
        LetterKind.ACKNOWLEDGEMENT,
        quality_manager,
    )
    assert client.get(f"{path}brieven/{other.pk}/").status_code == 404


def test_an_added_message_reaches_the_timeline_and_the_responsible_person(
    client, acknowledged, django_capture_on_commit_callbacks, smtp_sink
):
    complaint, path, _letter = acknowledged
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            path,
            {
                "message": "Ik heb nog een foto {{ x }} <b>",
                "attachment": SimpleUploadedFile("foto.png", PNG, "image/png"),
            },
        )
    assert response.status_code == 302
    event = TimelineEvent.objects.get(complaint=complaint, kind="complainant_information")
    assert event.visibility == Visibility.PUBLIC
    assert "Ik heb nog een foto {{ x }} <b>" in event.message
    assert complaint.attachments.filter(original_name="foto.png").exists()
    [mail] = smtp_sink.wait_for(1)
    assert mail["To"] == "dirk@supportoplus.nl"
    assert complaint.reference in mail["Subject"]
    assert "Ik heb nog een foto" not in mail.get_body(preferencelist=("plain",)).get_content()
    page = client.get(path).content.decode()
    assert "Ik heb nog een foto {{ x }} &lt;b&gt;" in page


def test_without_a_responsible_person_the_quality_inbox_is_told(
    make_complaint, quality_manager, send, client, smtp_sink
):
    complaint = make_complaint(email="", postal_address="Dorpsstraat 1, 6711 AB Ede")
    send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    token = status.issue_status_link(complaint=complaint)
    client.get(f"/klacht/status/{token}/")
    client.post("/klacht/status/", {"message": "Nog iets"})
    message = OutboxMessage.objects.filter(kind="complainant_information").get()
    assert message.to == ["kwaliteit@supportoplus.nl"]


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (SimpleUploadedFile("script.png", b"<svg onload=alert(1)>", "image/png"), "past niet bij de naam"),
        (SimpleUploadedFile("leeg.pdf", b"", "application/pdf"), ""),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_stored(client, acknowledged, upload, error):
    complaint, path, _letter = acknowledged
    response = client.post(path, {"message": "", "attachment": upload})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not complaint.attachments.exists()
    assert not TimelineEvent.objects.filter(complaint=complaint, kind="complainant_information").exists()


def test_a_file_over_the_size_limit_is_refused(client, acknowledged, settings):
    complaint, path, _letter = acknowledged
    settings.UPLOAD_MAX_FILE_BYTES = 10
    response = client.post(path, {"attachment": SimpleUploadedFile("a.txt", b"x" * 50, "text/plain")})
    assert response.status_code == 400
    assert "te groot" in response.content.decode()
    assert not complaint.attachments.exists()


def test_an_empty_form_asks_for_a_message_or_a_file(client, acknowledged):
    _complaint, path, _letter = acknowledged
    response = client.post(path, {"message": "  "})
    assert response.status_code == 400
    assert "Schrijf een bericht of kies een bestand." in response.content.decode()


def test_a_flood_of_messages_is_stopped_before_it_floods_the_handlers_mailbox(client, acknowledged):
    _complaint, path, _letter = acknowledged
    for number in range(10):
        assert client.post(path, {"message": f"Bericht {number}"}).status_code == 302
    response = client.post(path, {"message": "Nog een"})
    assert response.status_code == 400
    assert "Wacht een uur" in response.content.decode()
    assert OutboxMessage.objects.filter(kind="complainant_information").count() == 10


def test_while_processing_is_restricted_nothing_is_added_or_mailed(client, acknowledged, privacy_officer):
    from privacy.services import restrict_processing

    complaint, path, _letter = acknowledged
    restrict_processing(complaint=complaint, by=privacy_officer, reason="Juistheid betwist")
    mails = OutboxMessage.objects.count()
    response = client.post(
        path,
        {"message": "Nog een foto", "attachment": SimpleUploadedFile("foto.png", PNG, "image/png")},
    )
    assert response.status_code == 400
    assert "beperkt" in response.content.decode()
    assert not complaint.attachments.exists()
    assert not TimelineEvent.objects.filter(complaint=complaint, kind="complainant_information").exists()
    assert OutboxMessage.objects.count() == mails
