"""The complaint page's actions: POST takes a step, GET opens a step's form on the page; 404
outside the user's reach, 403 for a role that may not, a clear message (never a 500) when the
procedure refuses, and only allowed buttons."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from complaints import errors, services
from complaints.models import Complaint, Status, TimelineEvent
from privacy.models import AccessAction, AccessLog
from tests.complaints.procedure import at, classify, steps_done

NOW = at(2026, 3, 3, 11)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def complaint(make_complaint, back_office, quality_manager, director) -> Complaint:
    complaint = make_complaint(received_at=at(2026, 3, 2, 9), by=back_office)
    classify(complaint, quality_manager)
    return services.assign(complaint=complaint, to=director, by=quality_manager)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, complaint: Complaint, **extra: object) -> str:
    return reverse(f"complaints:{name}", kwargs={"reference": complaint.reference, **extra})


# (url name, extra URL args from the complaint, POST data) for every action.
def actions(complaint: Complaint, director) -> list[tuple[str, dict, dict]]:
    meeting = services.plan_meeting(complaint=complaint, by=director, starts_at=at(2026, 3, 5, 14), location="Rokin")
    agreement = services.add_agreement(
        complaint=complaint, by=director, description="x", owner="y", due=date(2026, 3, 9)
    )
    return [
        ("assign", {}, {"assign-to": director.pk}),
        ("log_call", {}, {"call-at": "2026-03-03T10:00", "call-summary": "Gebeld."}),
        ("plan_meeting", {}, {"meeting-starts_at": "2026-03-06T10:00", "meeting-location": "Rokin"}),
        (
            "reschedule_meeting",
            {"contact_id": meeting.pk},
            {"reschedule-starts_at": "2026-03-06T10:00", "reschedule-location": "Rokin"},
        ),
        ("meeting_held", {"contact_id": meeting.pk}, {"held-at": "2026-03-03T10:00"}),
        ("cancel_meeting", {"contact_id": meeting.pk}, {"cancel-reason": "Ziek."}),
        ("record_discussion", {}, {"discussion-summary": "Besproken."}),
        ("add_agreement", {}, {"agreement-description": "x", "agreement-owner": "y", "agreement-due": "2026-03-10"}),
        ("complete_agreement", {"agreement_id": agreement.pk}, {}),
        ("extend", {}, {"extend-new_due": "2026-04-15", "extend-reason": "Onderzoek."}),
        ("close", {}, {"close-outcome": "unfounded", "close-resolution": "x", "close-complainant_agrees": "yes"}),
        ("reopen", {}, {"reopen-reason": "x"}),
        ("withdraw", {}, {"withdraw-reason": "x"}),
    ]


QUALITY_ONLY = {"assign", "extend", "reopen"}
# The steps with a form of their own, which the complaint page links to.
OPENED_BY_GET = {"assign", "log_call", "plan_meeting", "record_discussion", "add_agreement", "extend", "close"}
OPENED_BY_GET |= {"reopen", "withdraw"}


def test_get_opens_a_steps_form_and_anonymous_users_are_sent_to_log_in(complaint, director):
    for name, extra, _data in actions(complaint, director):
        target = url(name, complaint, **extra)
        assert Client().post(target).status_code == 302
        response = client_for(director).get(target)
        if name not in OPENED_BY_GET:
            assert response.status_code == 405, name
        elif name in QUALITY_ONLY:
            assert response.status_code == 403, name
        elif name == "reopen":
            assert response.status_code == 200
        else:
            assert response.status_code == 200, name
            assert f'<form method="post" action="{target}">' in response.content.decode(), name


def test_the_page_shows_only_the_opened_form_and_links_to_the_others(complaint, quality_manager):
    client = client_for(quality_manager)
    page = client.get(url("detail", complaint)).content.decode()
    assert f'action="{url("extend", complaint)}"' not in page
    assert f'href="{url("extend", complaint)}#actie"' in page
    page = client.get(url("extend", complaint)).content.decode()
    assert f'<form method="post" action="{url("extend", complaint)}">' in page
    assert 'name="extend-new_due"' in page
    assert f'action="{url("close", complaint)}"' not in page
    assert f'href="{url("close", complaint)}#actie"' in page
    assert f'href="{url("extend", complaint)}#actie"' not in page
    # A step that the complaint's state does not allow opens nothing (a link kept from before).
    page = client.get(url("reopen", complaint)).content.decode()
    assert f'action="{url("reopen", complaint)}"' not in page


def test_opening_a_form_is_a_view_in_the_access_log(complaint, quality_manager):
    client_for(quality_manager).get(url("log_call", complaint))
    entry = AccessLog.objects.filter(complaint=complaint, user=quality_manager).latest("pk")
    assert entry.action == AccessAction.VIEW


@pytest.mark.parametrize("persona", ["operations_manager", "back_office", "privacy_officer", "outsider"])
def test_users_who_cannot_see_the_complaint_get_404_for_every_action(persona, complaint, director, request):
    client = client_for(request.getfixturevalue(persona))
    events = TimelineEvent.objects.filter(complaint=complaint).count()
    for name, extra, data in actions(complaint, director):
        assert client.post(url(name, complaint, **extra), data).status_code == 404, name
    assert TimelineEvent.objects.filter(complaint=complaint).count() == events + 2  # the two set up above


def test_the_responsible_person_gets_403_for_the_quality_managers_actions(complaint, director):
    client = client_for(director)
    due = complaint.resolve_due
    for name, extra, data in actions(complaint, director):
        if name in QUALITY_ONLY:
            assert client.post(url(name, complaint, **extra), data).status_code == 403, name
    complaint.refresh_from_db()
    assert complaint.resolve_due == due


def test_the_back_office_may_only_record_a_withdrawal_of_what_it_still_sees(make_complaint, back_office, director):
    complaint = make_complaint(received_at=at(2026, 3, 2, 9), by=back_office)
    client = client_for(back_office)
    assert client.post(url("assign", complaint), {"assign-to": director.pk}).status_code == 403
    assert (
        client.post(url("log_call", complaint), {"call-at": "2026-03-03T10:00", "call-summary": "x"}).status_code == 403
    )
    response = client.post(url("withdraw", complaint), {"withdraw-reason": "Belde om in te trekken."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN


def test_a_complaint_about_the_quality_manager_is_404_for_them(complaint, quality_manager):
    complaint.about_staff.add(quality_manager)
    assert client_for(quality_manager).post(url("extend", complaint), {}).status_code == 404


def test_the_acknowledgement_and_confirmation_are_recorded_only_by_their_letter(complaint, quality_manager):
    page = client_for(quality_manager).get(url("detail", complaint)).content.decode()
    assert "ontvangst-bevestigd" not in page and "bevestiging-verzonden" not in page
    assert "worden vastgelegd door hun brief te versturen" in page
    for path in ("ontvangst-bevestigd/", "bevestiging-verzonden/"):
        assert client_for(quality_manager).post(url("detail", complaint) + path).status_code == 404
    complaint.refresh_from_db()
    assert complaint.acknowledged_at is None


def test_the_quality_manager_hands_over_and_is_sent_back_with_a_message(complaint, quality_manager, operations_manager):
    client = client_for(quality_manager)
    response = client.post(url("assign", complaint), {"assign-to": operations_manager.pk}, follow=True)
    assert response.redirect_chain[-1] == (url("detail", complaint), 302)
    complaint.refresh_from_db()
    assert complaint.assigned_to == operations_manager
    assert 'class="message success"' in response.content.decode()


def test_a_refused_step_shows_the_reason_and_no_500(complaint, quality_manager):
    client = client_for(quality_manager)
    services.close(
        complaint=complaint,
        by=quality_manager,
        outcome="unfounded",
        resolution="x",
        complainant_agrees=True,
        skip_reason="Ingetrokken aan de telefoon.",
    )
    response = client.post(url("withdraw", complaint), {"withdraw-reason": "Ingetrokken."})
    assert response.status_code == 409
    assert "error-summary" in response.content.decode()
    assert errors.ProcedureError.__name__ not in response.content.decode()


def test_invalid_input_shows_the_form_again_with_its_errors(complaint, director):
    response = client_for(director).post(url("log_call", complaint), {"call-at": "gisteren", "call-summary": "Gebeld."})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Gebeld." in body  # nothing typed is lost
    assert "error-summary" in body


def test_the_person_the_complaint_is_about_is_not_offered_and_not_accepted(
    complaint, quality_manager, operations_manager
):
    complaint.about_staff.add(operations_manager)
    client = client_for(quality_manager)
    page = client.get(url("assign", complaint)).content.decode()
    select = page[page.index('name="assign-to"') :]
    select = select[: select.index("</select>")]
    assert operations_manager.display_name not in select
    assert 'value=""' in select
    response = client.post(url("assign", complaint), {"assign-to": operations_manager.pk})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.assigned_to_id != operations_manager.pk


def test_contacts_and_agreements_of_another_complaint_are_404(complaint, make_complaint, director, quality_manager):
    other = make_complaint(received_at=at(2026, 3, 2, 9))
    services.assign(complaint=other, to=director, by=quality_manager)
    agreement = services.add_agreement(complaint=other, by=director, description="x", owner="y", due=date(2026, 3, 9))
    meeting = services.plan_meeting(complaint=other, by=director, starts_at=at(2026, 3, 5, 14), location="Rokin")
    client = client_for(director)
    assert client.post(url("complete_agreement", complaint, agreement_id=agreement.pk)).status_code == 404
    assert (
        client.post(url("cancel_meeting", complaint, contact_id=meeting.pk), {"cancel-reason": "x"}).status_code == 404
    )


def test_the_responsible_person_logs_a_call_and_records_and_ticks_off_an_agreement(complaint, director):
    client = client_for(director)
    assert (
        client.post(url("log_call", complaint), {"call-at": "2026-03-03T10:00", "call-summary": "Gebeld."}).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.first_contact_at == at(2026, 3, 3, 10)
    data = {"agreement-description": "Creditnota", "agreement-owner": "Administratie", "agreement-due": "2026-03-10"}
    assert client.post(url("add_agreement", complaint), data).status_code == 302
    agreement = complaint.agreements.get()
    assert client.post(url("complete_agreement", complaint, agreement_id=agreement.pk)).status_code == 302
    agreement.refresh_from_db()
    assert agreement.done_by == director


def test_closing_with_open_agreements_is_refused_with_a_message(complaint, director):
    services.add_agreement(complaint=complaint, by=director, description="x", owner="y", due=date(2026, 3, 9))
    data = {
        "close-outcome": "unfounded",
        "close-resolution": "Uitgelegd.",
        "close-complainant_agrees": "yes",
        # Not a field for the responsible person: ignored, so no override.
        "close-override_reason": "Toch sluiten.",
    }
    response = client_for(director).post(url("close", complaint), data)
    assert response.status_code == 409
    assert "Uitgelegd." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


def test_the_quality_manager_closes_with_open_agreements_giving_a_reason(complaint, director, quality_manager):
    services.add_agreement(complaint=complaint, by=director, description="x", owner="y", due=date(2026, 3, 9))
    data = {
        "close-outcome": "unfounded",
        "close-resolution": "Uitgelegd.",
        "close-complainant_agrees": "unknown",
        "close-override_reason": "Klager reageert niet.",
    }
    # The override covers the open agreements only, not the steps that did not happen.
    assert client_for(quality_manager).post(url("close", complaint), data).status_code == 409
    data["close-skip_reason"] = "Klager is niet bereikbaar geweest."
    assert client_for(quality_manager).post(url("close", complaint), data).status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.complainant_agrees) == (Status.CLOSED, None)


def test_a_meeting_is_planned_moved_and_recorded_through_the_page(complaint, director, clock):
    client = client_for(director)
    client.post(
        url("plan_meeting", complaint),
        {"meeting-starts_at": "2026-03-05T14:00", "meeting-location": "Rokin", "meeting-participants": "Jan"},
    )
    meeting = complaint.contacts.get()
    client.post(
        url("reschedule_meeting", complaint, contact_id=meeting.pk),
        {"reschedule-starts_at": "2026-03-06T14:00", "reschedule-video_link": "https://meet.example/a"},
    )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (at(2026, 3, 6, 14), 1)
    clock.move_to(at(2026, 3, 6, 16))
    assert (
        client.post(url("meeting_held", complaint, contact_id=meeting.pk), {"held-summary": "Goed."}).status_code == 302
    )
    complaint.refresh_from_db()
    assert complaint.first_contact_at == at(2026, 3, 6, 14)


def buttons(client: Client, complaint: Complaint) -> set[str]:
    """The steps the complaint page links to (each link opens its form)."""
    page = client.get(url("detail", complaint)).content.decode()
    return {
        name
        for name in [
            "assign",
            "log_call",
            "plan_meeting",
            "record_discussion",
            "add_agreement",
            "extend",
            "close",
            "reopen",
            "withdraw",
        ]
        if f'href="{url(name, complaint)}#actie"' in page
    }


def test_the_page_offers_only_what_role_and_state_allow(complaint, quality_manager, director):
    assert buttons(client_for(quality_manager), complaint) == {
        "assign",
        "log_call",
        "plan_meeting",
        "record_discussion",
        "add_agreement",
        "extend",
        "close",
        "withdraw",
    }
    assert buttons(client_for(director), complaint) == {
        "log_call",
        "plan_meeting",
        "record_discussion",
        "add_agreement",
        "close",
        "withdraw",
    }
    steps_done(complaint, quality_manager)
    services.close(complaint=complaint, by=director, outcome="unfounded", resolution="x", complainant_agrees=True)
    assert buttons(client_for(director), complaint) == set()
    assert buttons(client_for(quality_manager), complaint) == {"reopen"}


def test_the_page_shows_steps_deadlines_contacts_and_agreements(complaint, director, quality_manager):
    services.acknowledge(complaint=complaint, by=quality_manager, at=at(2026, 3, 2, 15))
    services.log_call(complaint=complaint, by=director, at=at(2026, 3, 3, 10), summary="Uitleg gegeven.")
    services.add_agreement(
        complaint=complaint, by=director, description="Nieuwe afspraak monteur", owner="Planning", due=date(2026, 3, 10)
    )
    body = client_for(director).get(url("detail", complaint)).content.decode()
    for text in ("Uitleg gegeven.", "Nieuwe afspraak monteur", "Planning", 'datetime="2026-04-01"', "badge ok"):
        assert text in body, text


def test_the_complaint_page_costs_the_same_queries_however_long_its_history(
    complaint, director, quality_manager, django_assert_max_num_queries
):
    client = client_for(director)
    with django_assert_max_num_queries(60) as few:
        assert client.get(url("detail", complaint)).status_code == 200
    for index in range(10):
        services.log_call(complaint=complaint, by=director, at=at(2026, 3, 3, 9, index), summary=f"Gesprek {index}")
        agreement = services.add_agreement(
            complaint=complaint, by=director, description=f"Afspraak {index}", owner="y", due=date(2026, 3, 9)
        )
        if index % 2:
            services.complete_agreement(agreement=agreement, by=director)
        services.plan_meeting(complaint=complaint, by=director, starts_at=at(2026, 3, 5, 9 + index), location="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("detail", complaint)).status_code == 200
