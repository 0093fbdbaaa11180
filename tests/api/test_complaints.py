"""Registering, listing and reading complaints through the API, with the back office's role rules."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from complaints.models import Channel, Complaint, Status
from privacy.models import AccessAction, AccessLog
from tests.api.conftest import ApiFor
from tests.complaints.procedure import at
from tests.conftest import ComplaintFactory, make_user

pytestmark = pytest.mark.django_db
LIST = "/api/v1/complaints"


def new_complaint(**overrides: object) -> dict[str, object]:
    return {
        "channel": "letter",
        "received_at": "2026-04-24T09:30:00+02:00",
        "name": "Jan Jansen",
        "company": "Jansen B.V.",
        "email": "jan@example.nl",
        "description": "De monteur kwam niet opdagen.",
        "subject": "service",
        **overrides,
    }


@time_machine.travel("2026-04-29 12:00 +02:00", tick=False)
def test_the_back_office_registers_a_letter_with_its_date_of_receipt(api_for: ApiFor, back_office: User) -> None:
    response = api_for(back_office).post(LIST, new_complaint())
    assert response.status_code == 201, response.json()
    body = response.json()
    complaint = Complaint.objects.get(reference=body["reference"])
    assert complaint.channel == Channel.LETTER
    assert complaint.registered_by == back_office
    assert complaint.received_at == at(2026, 4, 24, 9, 30)
    # Deadlines count from Friday 24 April; Koningsdag (Monday 27 April) is no working day.
    assert body["deadlines"]["acknowledge"] == {"due": "2026-05-04", "done_at": None, "met": None, "overdue": False}
    assert body["contact_due"] == "2026-05-08"
    assert body["complaint_date"] == "2026-04-24"
    assert body["timeline"][0]["kind"] == "received"


@time_machine.travel("2026-04-29 12:00 +02:00", tick=False)
def test_a_repeated_submission_key_returns_the_first_complaint(api_for: ApiFor, back_office: User) -> None:
    api = api_for(back_office)
    key = "6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5"
    first = api.post(LIST, new_complaint(submission_key=key))
    again = api.post(LIST, new_complaint(submission_key=key))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("persona", ["director", "privacy_officer", "outsider"])
def test_roles_that_do_not_register_complaints_get_403(
    request: pytest.FixtureRequest, api_for: ApiFor, persona: str
) -> None:
    response = api_for(request.getfixturevalue(persona)).post(LIST, new_complaint())
    assert response.status_code == 403
    assert response.json()["message"]
    assert not Complaint.objects.exists()


@time_machine.travel("2026-04-29 12:00 +02:00", tick=False)
@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        (new_complaint(colour="red"), "colour", "unknown field"),
        (new_complaint(channel="fax"), "channel", "web"),
        (new_complaint(name=""), "name", "at least 1"),
        (new_complaint(name=["Jan"]), "name", "string"),
        (new_complaint(received_at="2026-04-24T09:30:00"), "received_at", "timezone"),
        (new_complaint(received_at="2026-05-24T09:30:00+02:00"), "received_at", "future"),
        (new_complaint(received_at="9999-12-31T23:59:59+00:00"), "received_at", "between"),
        (new_complaint(complaint_date="2026-02-30"), "complaint_date", "date"),
        (new_complaint(email="not an address"), "email", "e-mail"),
        (new_complaint(description="null\x00byte"), "description", "NUL"),
        (new_complaint(description="x" * 10001), "description", "at most 10000"),
        (new_complaint(subject=10**400), "subject", ""),
        (new_complaint(submission_key="not-a-uuid"), "submission_key", "pattern"),
    ],
)
def test_it_refuses_bad_fields_with_a_message_per_field(
    api_for: ApiFor, back_office: User, body: dict[str, object], field: str, fragment: str
) -> None:
    response = api_for(back_office).post(LIST, body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in errors, errors
    assert fragment.lower() in " ".join(errors[field]).lower()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"channel": "web",', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"just a string"', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"channel=web&name=Jan", "application/x-www-form-urlencoded"),
        (b"<complaint/>", "application/xml"),
        (b'{"n": ' + b"1" * 5000 + b"}", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b"", "application/json"),
    ],
)
def test_malformed_bodies_get_a_4xx_in_json_never_a_500(
    api_for: ApiFor, back_office: User, body: bytes, content_type: str
) -> None:
    response = api_for(back_office).raw("POST", LIST, body, content_type)
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response.json()["message"]


def test_the_list_shows_only_complaints_within_the_users_reach(
    api_for: ApiFor, make_complaint: ComplaintFactory, back_office: User, director: User, quality_manager: User
) -> None:
    mine = make_complaint(by=back_office)
    other = make_complaint()
    assigned = make_complaint()
    Complaint.objects.filter(pk=assigned.pk).update(assigned_to=director)
    about_director = make_complaint()
    Complaint.objects.filter(pk=about_director.pk).update(assigned_to=director)
    about_director.about_staff.add(director)

    def references(user: User) -> set[str]:
        return {item["reference"] for item in api_for(user).get(LIST).json()["items"]}

    assert references(back_office) == {mine.reference}
    assert references(director) == {assigned.reference}
    assert references(quality_manager) == {
        mine.reference,
        other.reference,
        assigned.reference,
        about_director.reference,
    }


def test_reading_a_complaint_outside_reach_is_404(
    api_for: ApiFor, make_complaint: ComplaintFactory, back_office: User, director: User
) -> None:
    complaint = make_complaint()
    for user in (back_office, director):
        response = api_for(user).get(f"{LIST}/{complaint.reference}")
        assert response.status_code == 404
        assert response.json() == {"message": "Not found.", "errors": {}}
    assert api_for(back_office).get(f"{LIST}/not-a-reference\x00").status_code == 404
    # Each refused read is in the access log, against the complaint that was asked for.
    refused = AccessLog.objects.filter(action=AccessAction.DENIED).order_by("pk")
    assert [(log.user, log.complaint) for log in refused] == [(back_office, complaint), (director, complaint)]
    assert refused[0].detail == f"{LIST}/{complaint.reference}"


def test_the_list_filters_by_status_channel_and_date_of_receipt(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    with time_machine.travel("2026-06-10 12:00 +02:00", tick=False):
        letter = make_complaint(channel=Channel.LETTER, received_at=at(2026, 6, 1, 0, 10))
        phone = make_complaint(channel=Channel.PHONE, received_at=at(2026, 6, 3, 23, 50))
        web = make_complaint(channel=Channel.WEB, received_at=at(2026, 6, 4, 0, 5))
        Complaint.objects.filter(pk=web.pk).update(status=Status.CLOSED)
        api = api_for(quality_manager)

        def references(**params: object) -> list[str]:
            response = api.get(LIST, **params)
            assert response.status_code == 200, response.content
            return [item["reference"] for item in response.json()["items"]]

        assert references(channel="letter") == [letter.reference]
        assert references(status="closed") == [web.reference]
        # Days are Amsterdam days: 23:50 on 3 June is 3 June, 00:05 on 4 June is not.
        assert references(received_from="2026-06-01", received_to="2026-06-03") == [phone.reference, letter.reference]
        assert references(received_from="2026-06-04") == [web.reference]
        assert api.get(LIST, status="lost").status_code == 422
        assert api.get(LIST, received_from="yesterday").status_code == 422
        assert api.get(LIST, colour="red").status_code == 422


def test_the_overdue_filter_finds_open_complaints_past_a_deadline(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    with time_machine.travel("2026-03-02 10:00 +01:00", tick=False):
        late = make_complaint(received_at=at(2026, 3, 2))
        acknowledged = make_complaint(received_at=at(2026, 3, 2))
        Complaint.objects.filter(pk=acknowledged.pk).update(acknowledged_at=at(2026, 3, 3))
    # The acknowledgement was due Monday 9 March; on the 9th it is not late yet, on the 10th it is.
    with time_machine.travel("2026-03-09 18:00 +01:00", tick=False):
        assert api_for(quality_manager).get(LIST, overdue="true").json()["items"] == []
    with time_machine.travel("2026-03-10 08:00 +01:00", tick=False):
        api = api_for(quality_manager)
        overdue = api.get(LIST, overdue="true").json()["items"]
        assert [item["reference"] for item in overdue] == [late.reference]
        assert overdue[0]["overdue"] is True
        assert [item["reference"] for item in api.get(LIST, overdue="false").json()["items"]] == [
            acknowledged.reference
        ]
        detail = api.get(f"{LIST}/{late.reference}").json()["deadlines"]
        assert detail["acknowledge"] == {"due": "2026-03-09", "done_at": None, "met": False, "overdue": True}
        met = api.get(f"{LIST}/{acknowledged.reference}").json()["deadlines"]["acknowledge"]
        assert (met["met"], met["overdue"]) == (True, False)


def test_cursor_pagination_walks_every_complaint_once_without_offset_or_count(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    moment = at(2026, 5, 1)
    created = {make_complaint(received_at=moment).reference for _ in range(7)}  # one moment: ties on received_at
    api = api_for(quality_manager)
    seen: list[str] = []
    cursor = None
    with CaptureQueriesContext(connection) as queries:
        while True:
            params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
            page = api.get(LIST, **params).json()
            seen += [item["reference"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(created)
    complaint_queries = [query["sql"].upper() for query in queries if "COMPLAINTS_COMPLAINT" in query["sql"].upper()]
    assert complaint_queries
    assert not any(" OFFSET " in sql or "COUNT(" in sql for sql in complaint_queries)


def test_a_cursor_that_was_not_given_out_is_refused(api_for: ApiFor, quality_manager: User) -> None:
    response = api_for(quality_manager).get(LIST, cursor="bm9wZQ")
    assert response.status_code == 422
    assert "cursor" in response.json()["errors"]


def test_reading_a_complaint_gives_every_field_and_the_timeline(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = make_complaint(phone="06 12345678", desired_outcome="Excuses")
    body = api_for(quality_manager).get(f"{LIST}/{complaint.reference}").json()
    assert body["phone"] == "06 12345678"
    assert body["desired_outcome"] == "Excuses"
    assert body["complaint_date"] == date(2026, 3, 2).isoformat()
    assert set(body["deadlines"]) == {"acknowledge", "contact", "resolve"}
    assert [event["kind"] for event in body["timeline"]] == ["received"]


def test_the_person_a_complaint_is_about_cannot_read_it_even_as_quality_manager(
    api_for: ApiFor, make_complaint: ComplaintFactory
) -> None:
    manager = make_user("kees", Role.QUALITY_MANAGER)
    complaint = make_complaint()
    complaint.about_staff.add(manager)
    assert api_for(manager).get(f"{LIST}/{complaint.reference}").status_code == 404


def test_reading_through_the_api_is_recorded_in_the_access_log(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = make_complaint()
    api_for(quality_manager).get(f"{LIST}/{complaint.reference}")
    entry = AccessLog.objects.get(complaint=complaint, user=quality_manager)
    assert (entry.action, entry.detail) == (AccessAction.VIEW, "api.read")


def test_after_handover_the_back_office_keeps_reference_and_status_but_not_the_contents(
    api_for: ApiFor, make_complaint: ComplaintFactory, back_office: User, director: User
) -> None:
    complaint = make_complaint(by=back_office)
    Complaint.objects.filter(pk=complaint.pk).update(assigned_to=director, status=Status.IN_PROGRESS)
    api = api_for(back_office)
    [item] = api.get(LIST).json()["items"]
    assert (item["reference"], item["status"], item["name"]) == (complaint.reference, "in_progress", None)
    assert api.get(f"{LIST}/{complaint.reference}").status_code == 404
    # No read is logged, only the refusal.
    assert list(AccessLog.objects.filter(complaint=complaint).values_list("action", flat=True)) == [AccessAction.DENIED]


def test_a_page_of_the_list_costs_the_same_queries_however_many_complaints_it_shows(
    api_for: ApiFor, make_complaint: ComplaintFactory, quality_manager: User, director: User
) -> None:
    api = api_for(quality_manager)

    def queries_for_page() -> int:
        api.get(LIST)  # the token's last-used stamp is written on first use only
        with CaptureQueriesContext(connection) as queries:
            assert api.get(LIST, limit=100).status_code == 200
        return len(queries)

    for _ in range(3):
        Complaint.objects.filter(pk=make_complaint().pk).update(assigned_to=director)
    few = queries_for_page()
    for _ in range(27):
        Complaint.objects.filter(pk=make_complaint().pk).update(assigned_to=director)
    assert queries_for_page() == few


@time_machine.travel("2026-04-29 12:00 +02:00", tick=False)
def test_a_complaint_registered_about_a_staff_member_is_hidden_from_them(
    api_for: ApiFor, back_office: User, director: User
) -> None:
    response = api_for(back_office).post(LIST, new_complaint(about="Dirk", about_staff=["dirk"]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["about_staff"] == ["dirk"]
    assert api_for(director).get(f"{LIST}/{body['reference']}").status_code == 404
    refused = api_for(back_office).post(LIST, new_complaint(about_staff=["niemand"]))
    assert refused.status_code == 422 and "about_staff" in refused.json()["errors"]


@time_machine.travel("2026-04-29 12:00 +02:00", tick=False)
def test_a_complaint_can_be_about_several_staff_members_and_an_unknown_one_saves_nothing(
    api_for: ApiFor, back_office: User, director: User, operations_manager: User
) -> None:
    before = Complaint.objects.count()
    refused = api_for(back_office).post(LIST, new_complaint(about_staff=["dirk", "niemand"]))
    assert refused.status_code == 422 and "about_staff" in refused.json()["errors"]
    assert Complaint.objects.count() == before
    response = api_for(back_office).post(LIST, new_complaint(about_staff=["olga", "dirk", "olga"]))
    assert response.status_code == 201, response.json()
    assert response.json()["about_staff"] == ["dirk", "olga"]
    for person in (director, operations_manager):
        assert api_for(person).get(f"{LIST}/{response.json()['reference']}").status_code == 404
