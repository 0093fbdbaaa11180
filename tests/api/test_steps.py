"""The procedure's steps through the API: the same services and rules as the back office;
a step the state does not allow is 409 with the procedure's message, a role that may not is 403."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.models import User
from complaints.models import Complaint, Status
from outbox.models import OutboxMessage
from tests.api.conftest import ApiFor
from tests.complaints.procedure import at, classify
from tests.conftest import ComplaintFactory
from tests.intake import files

pytestmark = pytest.mark.django_db


def url(complaint: Complaint, step: str = "") -> str:
    return f"/api/v1/complaints/{complaint.reference}" + (f"/{step}" if step else "")


@time_machine.travel("2026-03-20 10:00 +01:00", tick=False)
def test_the_whole_procedure_runs_through_the_api(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User, director: User
) -> None:
    complaint = make_complaint(received_at=at(2026, 3, 16))
    manager, responsible = api_for(quality_manager), api_for(director)

    response = manager.post(url(complaint, "acknowledge"), {})
    assert response.status_code == 200, response.json()
    assert response.json()["deadlines"]["acknowledge"]["met"] is True
    # Sent as the acknowledgement letter, with the complainant's status link.
    letter = complaint.letters.get(kind="acknowledgement")
    assert letter.status == "sent" and letter.outbox_message is not None
    assert "/klacht/status/" in letter.outbox_message.body_text
    assert manager.post(url(complaint, "acknowledge"), {"at": "2026-03-18T09:00:00+01:00"}).status_code == 422

    response = manager.post(url(complaint, "assign"), {"to": "dirk"})
    assert response.status_code == 200, response.json()
    assert (response.json()["assigned_to"], response.json()["status"]) == ("dirk", "in_progress")

    response = responsible.post(url(complaint, "contacts"), {"at": "2026-03-19T14:00:00+01:00", "summary": "Gebeld."})
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "call"

    response = responsible.post(
        url(complaint, "agreements"), {"description": "Nieuwe afspraak", "owner": "Planning", "due": "2026-03-27"}
    )
    assert response.status_code == 201, response.json()

    classify(complaint, quality_manager)
    response = responsible.post(
        url(complaint, "close"),
        {"outcome": "well_founded", "resolution": "Opgelost", "complainant_agrees": True},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # An open agreement blocks closing by the responsible person: the procedure's own message.
    assert response.status_code == 409
    assert "agreement" in response.json()["message"]
    response = manager.post(
        url(complaint, "close"),
        {"outcome": "well_founded", "resolution": "Opgelost", "complainant_agrees": True, "override_reason": "Loopt"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "closed"
    assert body["deadlines"]["contact"]["met"] is True
    assert {"received", "acknowledged", "assigned", "call_logged", "agreement_added", "closed"} <= {
        event["kind"] for event in body["timeline"]
    }


def test_a_step_the_state_does_not_allow_is_409_with_the_reason(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = make_complaint()
    manager = api_for(quality_manager)
    assert manager.post(url(complaint, "acknowledge"), {}).status_code == 200
    response = manager.post(url(complaint, "acknowledge"), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/json")
    assert "already" in response.json()["message"]


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("acknowledge", {}),
        ("assign", {"to": "dirk"}),
        ("contacts", {"at": "2026-03-02T10:00:00+01:00", "summary": "x"}),
        ("agreements", {"description": "x", "owner": "y", "due": "2026-04-01"}),
        ("close", {"outcome": "unfounded", "resolution": "x"}),
    ],
)
def test_the_back_office_may_not_take_handling_steps_on_its_own_registration(
    api_for: ApiFor, make_complaint: ComplaintFactory, back_office: User, director: User, step: str, body: dict
) -> None:
    complaint = make_complaint(by=back_office)
    response = api_for(back_office).post(url(complaint, step), body)
    assert response.status_code == 403
    assert response.json()["message"]


def test_a_responsible_person_cannot_reach_a_complaint_handed_to_someone_else(
    api_for: ApiFor, make_complaint: ComplaintFactory, director: User, operations_manager: User
) -> None:
    complaint = make_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(assigned_to=operations_manager, status=Status.IN_PROGRESS)
    response = api_for(director).post(url(complaint, "contacts"), {"at": "2026-03-02T10:00:00+01:00", "summary": "x"})
    assert response.status_code == 404


def test_assigning_to_someone_who_is_not_a_responsible_person_is_refused_per_field(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User, back_office: User
) -> None:
    complaint = make_complaint()
    for username in ("bart", "nobody", ""):
        response = api_for(quality_manager).post(url(complaint, "assign"), {"to": username})
        assert response.status_code == 422
        assert "to" in response.json()["errors"]


def test_an_attachment_is_added_after_checking_its_content(
    api_for: ApiFor, make_complaint: ComplaintFactory, back_office: User
) -> None:
    complaint = make_complaint(by=back_office)
    api = api_for(back_office)
    response = api.upload(url(complaint, "attachments"), {"file": SimpleUploadedFile("brief.pdf", files.pdf())})
    assert response.status_code == 201, response.json()
    assert [item["name"] for item in response.json()["attachments"]] == ["brief.pdf"]
    assert response.json()["timeline"][-1]["kind"] == "attachment_added"

    disguised = SimpleUploadedFile("foto.png", b"<html><script>alert(1)</script></html>")
    response = api.upload(url(complaint, "attachments"), {"file": disguised})
    assert response.status_code == 422
    assert "file" in response.json()["errors"]

    response = api.upload(url(complaint, "attachments"), {"nofile": disguised})
    assert response.status_code == 422
    assert complaint.attachments.count() == 1


def test_a_restricted_complaint_takes_no_attachment_through_the_api(
    api_for: ApiFor, make_complaint: ComplaintFactory, back_office: User, privacy_officer: User
) -> None:
    from privacy.services import restrict_processing

    complaint = make_complaint(by=back_office)
    restrict_processing(complaint=complaint, by=privacy_officer, reason="Juistheid betwist")
    events = complaint.events.count()
    response = api_for(back_office).upload(
        url(complaint, "attachments"), {"file": SimpleUploadedFile("brief.pdf", files.pdf())}
    )
    assert response.status_code == 409, response.json()
    assert "beperkt" in response.json()["message"] or "restricted" in response.json()["message"]
    assert not complaint.attachments.exists()
    assert complaint.events.count() == events


@override_settings(UPLOAD_MAX_FILE_BYTES=1000, UPLOAD_MAX_FILES=2)
def test_attachment_limits_per_file_and_per_complaint_apply(
    api_for: ApiFor, make_complaint: ComplaintFactory, back_office: User
) -> None:
    complaint = make_complaint(by=back_office)
    api = api_for(back_office)
    response = api.upload(url(complaint, "attachments"), {"file": SimpleUploadedFile("groot.txt", b"a" * 1001)})
    assert response.status_code == 422
    for number in range(2):
        response = api.upload(url(complaint, "attachments"), {"file": SimpleUploadedFile(f"{number}.txt", b"tekst")})
        assert response.status_code == 201
    response = api.upload(url(complaint, "attachments"), {"file": SimpleUploadedFile("3.txt", b"tekst")})
    assert response.status_code == 409
    assert complaint.attachments.count() == 2


def test_registering_through_the_api_notifies_the_quality_inbox_like_any_channel(
    api_for: ApiFor, back_office: User, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel("2026-04-29 12:00 +02:00", tick=False), django_capture_on_commit_callbacks(execute=True):
        response = api_for(back_office).post(
            "/api/v1/complaints",
            {
                "channel": "phone",
                "received_at": "2026-04-29T11:00:00+02:00",
                "name": "Piet",
                "description": "Te laat.",
                "subject": "working_method",
            },
        )
    assert response.status_code == 201
    assert OutboxMessage.objects.filter(
        kind="new_complaint", complaint__reference=response.json()["reference"]
    ).exists()


@time_machine.travel("2026-03-20 10:00 +01:00", tick=False)
def test_an_agreement_can_be_carried_out_by_a_staff_member_by_username(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User, director: User, back_office: User
) -> None:
    complaint = make_complaint(received_at=at(2026, 3, 16))
    manager = api_for(quality_manager)
    body = {"description": "Creditnota", "owner_username": back_office.username, "due": "2026-03-27"}
    response = manager.post(url(complaint, "agreements"), body)
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == back_office.display_name
    assert complaint.agreements.get().owner_user == back_office
    missing = manager.post(url(complaint, "agreements"), {"description": "x", "due": "2026-03-27"})
    assert missing.status_code == 422 and "owner" in missing.json()["errors"]
    unknown = manager.post(url(complaint, "agreements"), {**body, "owner_username": "niemand"})
    assert unknown.status_code == 422 and "owner_username" in unknown.json()["errors"]
