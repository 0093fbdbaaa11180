"""My work: the quality manager's queues with counts, a responsible person's complaints by
next deadline, and pages whose number of queries does not grow with the complaints."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import services
from tests.complaints.procedure import at


@pytest.fixture(autouse=True)
def clock():
    # Thursday 5 March 2026: "due soon" runs to Monday 9 March.
    with time_machine.travel(at(2026, 3, 5, 9), tick=False) as traveller:
        yield traveller


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queues(user):
    response = client_for(user).get(reverse("complaints:home"))
    assert response.status_code == 200
    return {queue.key: queue for queue in response.context["queues"]}


def test_the_quality_manager_sees_what_needs_action_with_counts(make_complaint, quality_manager, director):
    due_soon = make_complaint(received_at=at(2026, 3, 2))  # acknowledgement due Monday 9 March
    overdue = make_complaint(received_at=at(2026, 2, 20))  # acknowledgement was due 27 February
    later = make_complaint(received_at=at(2026, 3, 5))  # acknowledgement due 12 March
    handled = make_complaint(received_at=at(2026, 3, 4))
    services.acknowledge(complaint=handled, by=quality_manager)
    services.assign(complaint=handled, to=director, by=quality_manager)

    result = queues(quality_manager)
    assert [c.reference for c in result["not_acknowledged"].items] == [
        overdue.reference,
        due_soon.reference,
        later.reference,
    ]
    assert result["not_acknowledged"].count == 3
    assert handled not in result["not_assigned"].items and result["not_assigned"].count == 3
    # The overdue one's first contact (6 March) is due soon as well.
    assert {c.pk for c in result["due_soon"].items} == {due_soon.pk, overdue.pk}
    assert [c.pk for c in result["overdue"].items] == [overdue.pk]
    body = client_for(quality_manager).get(reverse("complaints:home")).content.decode()
    assert "badge late" in body and "badge soon" in body


def test_a_responsible_person_sees_their_complaints_by_next_deadline(
    make_complaint, quality_manager, director, operations_manager
):
    first = make_complaint(received_at=at(2026, 2, 25))
    second = make_complaint(received_at=at(2026, 2, 20))
    contacted = make_complaint(received_at=at(2026, 2, 10))
    someone_elses = make_complaint(received_at=at(2026, 2, 1))
    for complaint in (first, second, contacted):
        services.assign(complaint=complaint, to=director, by=quality_manager)
    services.assign(complaint=someone_elses, to=operations_manager, by=quality_manager)
    # Contacted: its next deadline is the resolution (12 March), after the others' contact deadlines.
    services.log_call(complaint=contacted, by=director, at=at(2026, 2, 11), summary="x")

    result = queues(director)
    assert list(result) == ["mine_new", "mine_overdue", "mine_due_soon", "mine_agreements", "mine"]
    assert [c.pk for c in result["mine"].items] == [second.pk, first.pk, contacted.pk]


def test_a_responsible_person_has_queues_with_counts(make_complaint, quality_manager, director):
    new = make_complaint(received_at=at(2026, 2, 25))  # contact due 11 March
    soon = make_complaint(received_at=at(2026, 2, 20))  # contact due 6 March
    late = make_complaint(received_at=at(2026, 2, 12))  # contact due 26 February
    agreed = make_complaint(received_at=at(2026, 2, 10))
    for complaint in (new, soon, late, agreed):
        services.assign(complaint=complaint, to=director, by=quality_manager)
    services.log_call(complaint=agreed, by=director, at=at(2026, 2, 11), summary="x")
    services.add_agreement(
        complaint=agreed, by=director, description="Creditnota", owner="Administratie", due=date(2026, 3, 9)
    )

    result = queues(director)
    assert {key: [c.pk for c in queue.items] for key, queue in result.items()} == {
        "mine_new": [late.pk, soon.pk, new.pk],
        "mine_overdue": [late.pk],
        "mine_due_soon": [soon.pk],
        "mine_agreements": [agreed.pk],
        "mine": [late.pk, soon.pk, new.pk, agreed.pk],
    }
    page = client_for(director).get(reverse("complaints:home")).content.decode()
    assert "Nieuw voor mij: nog geen contact: <strong>3</strong>" in page


def test_the_back_office_sees_its_latest_registrations(make_complaint, back_office):
    registered = make_complaint(received_at=at(2026, 3, 4), by=back_office)
    response = client_for(back_office).get(reverse("complaints:home"))
    assert response.context["queues"] == []
    assert registered.reference in response.content.decode()


def many(make_complaint, quality_manager, director, count: int) -> None:
    for index in range(count):
        complaint = make_complaint(received_at=at(2026, 2, 1 + index % 27))
        if index % 2:
            services.assign(complaint=complaint, to=director, by=quality_manager)
        if index % 3 == 0:
            services.acknowledge(complaint=complaint, by=quality_manager)


@pytest.mark.parametrize("page", ["complaints:home", "complaints:list"])
@pytest.mark.parametrize("persona", ["quality_manager", "director"])
def test_the_number_of_queries_does_not_grow_with_the_complaints(
    page, persona, make_complaint, quality_manager, director, request, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    many(make_complaint, quality_manager, director, 3)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse(page)).status_code == 200
    many(make_complaint, quality_manager, director, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(page)).status_code == 200


def test_the_complaint_list_shows_each_deadline(make_complaint, quality_manager):
    complaint = make_complaint(received_at=at(2026, 3, 2))
    services.acknowledge(complaint=complaint, by=quality_manager, at=at(2026, 3, 3))
    body = client_for(quality_manager).get(reverse("complaints:list")).content.decode()
    assert 'datetime="2026-03-09"' in body and 'datetime="2026-04-01"' in body
    assert date(2026, 3, 3).strftime("%-d") in body


def test_the_counts_are_kept_until_a_complaint_changes_and_then_follow_it(
    make_complaint, quality_manager, django_capture_on_commit_callbacks
):
    waiting = make_complaint(received_at=at(2026, 3, 2))
    make_complaint(received_at=at(2026, 3, 3))
    client = client_for(quality_manager)
    assert queues(quality_manager)["not_acknowledged"].count == 2

    # Nothing changed: the counts and the choice of rows come from the cache; the rows of all
    # four queues are read afresh, in one query.
    with CaptureQueriesContext(connection) as seen:
        client.get(reverse("complaints:home"))
    assert not [q for q in seen.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len([q for q in seen.captured_queries if q["sql"].startswith('SELECT "complaints_complaint".')]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(complaint=waiting, by=quality_manager)
    assert queues(quality_manager)["not_acknowledged"].count == 1

    # A complaint registered by another process: its change replaces the shared token as well.
    with django_capture_on_commit_callbacks(execute=True):
        make_complaint(received_at=at(2026, 3, 4))
    assert queues(quality_manager)["not_acknowledged"].count == 2


def test_counts_are_counted_again_on_the_next_day(make_complaint, quality_manager, clock):
    make_complaint(received_at=at(2026, 3, 2))  # acknowledgement due Monday 9 March
    assert queues(quality_manager)["overdue"].count == 0

    clock.move_to(at(2026, 3, 10, 9))

    assert queues(quality_manager)["overdue"].count == 1


def test_the_quality_part_is_kept_too_and_shows_a_new_corrective_action_at_once(
    make_complaint, quality_manager, director
):
    from quality.models import CorrectiveAction
    from quality.services import open_action

    complaint = make_complaint(received_at=at(2026, 3, 2))
    client = client_for(quality_manager)
    client.get(reverse("complaints:home"))

    # Nothing changed: the quality loop's part of the page costs no query either.
    with CaptureQueriesContext(connection) as seen:
        assert client.get(reverse("complaints:home")).status_code == 200
    assert not [q for q in seen.captured_queries if "quality_" in q["sql"]]

    title = "Terugbelservice invoeren"
    open_action(by=quality_manager, title=title, owner=director, due=date(2026, 3, 4), complaints=[complaint])
    body = client.get(reverse("complaints:home")).content.decode()
    assert "Terugbelservice invoeren" in body
    assert "Dirk Directeur" in body

    CorrectiveAction.objects.get().delete()
    assert "Terugbelservice invoeren" not in client.get(reverse("complaints:home")).content.decode()
