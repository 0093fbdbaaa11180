"""Agreements carried out by a member of staff: chosen on the complaint page, reminded before
the date and when it passes, shown on their "my work" with an overdue mark; never the person the
complaint is about."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from complaints import errors, services
from complaints.models import Complaint
from deadlines.jobs import send_reminders
from deadlines.models import DeadlineKind, Reminder, ReminderKind
from outbox.models import OutboxMessage
from tests.complaints.procedure import at
from tests.conftest import ComplaintFactory


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def assigned(make_complaint: ComplaintFactory, quality_manager: User, director: User) -> Complaint:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        complaint = make_complaint(received_at=at(2026, 3, 2, 9))
        services.assign(complaint=complaint, to=director, by=quality_manager)
    return complaint


def test_a_staff_member_is_chosen_reminded_and_sees_it_under_my_work(
    assigned: Complaint, director: User, back_office: User
) -> None:
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        response = client_for(director).post(
            reverse("complaints:add_agreement", args=[assigned.reference]),
            {
                "agreement-description": "Creditnota sturen",
                "agreement-owner_user": back_office.pk,
                "agreement-owner": "",
                "agreement-due": "2026-03-10",
            },
        )
        assert response.status_code == 302
        agreement = assigned.agreements.get()
        assert agreement.owner_user == back_office and agreement.owner == back_office.display_name
        home = client_for(back_office).get(reverse("complaints:home")).content.decode()
        assert "Afspraken die ik uitvoer" in home and "Creditnota sturen" in home and assigned.reference in home
    with time_machine.travel(at(2026, 3, 6, 7), tick=False):  # Friday: 10 March is two working days away
        send_reminders()
    reminder = Reminder.objects.get(deadline=DeadlineKind.AGREEMENT)
    assert (reminder.kind, reminder.address, reminder.due) == (
        ReminderKind.REMINDER,
        back_office.email,
        date(2026, 3, 10),
    )
    digest = OutboxMessage.objects.get(kind="deadline_digest", to=[back_office.email])
    assert assigned.reference in digest.body_text
    with time_machine.travel(at(2026, 3, 11, 7), tick=False):
        send_reminders()
        assert Reminder.objects.filter(deadline=DeadlineKind.AGREEMENT, kind=ReminderKind.ESCALATION).exists()
        home = client_for(back_office).get(reverse("complaints:home")).content.decode()
        section = home.split('id="my-agreements"')[1].split("</section>")[0]
        assert '<span class="badge late">verlopen</span>' in section


def test_the_person_a_complaint_is_about_cannot_carry_out_its_agreements(
    assigned: Complaint, director: User, operations_manager: User
) -> None:
    assigned.about_staff.add(operations_manager)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        with pytest.raises(errors.ProcedureError):
            services.add_agreement(
                complaint=assigned, by=director, description="x", owner=operations_manager, due=date(2026, 3, 10)
            )
        page = client_for(director).get(reverse("complaints:add_agreement", args=[assigned.reference])).content.decode()
        choices = page.split('name="agreement-owner_user"')[1].split("</select>")[0]
        assert f'value="{operations_manager.pk}"' not in choices


def test_an_agreement_needs_a_staff_member_or_someone_else(assigned: Complaint, director: User) -> None:
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        response = client_for(director).post(
            reverse("complaints:add_agreement", args=[assigned.reference]),
            {
                "agreement-description": "x",
                "agreement-owner_user": "",
                "agreement-owner": "",
                "agreement-due": "2026-03-10",
            },
        )
    assert response.status_code == 400
    assert "Kies de medewerker die het doet" in response.content.decode()
    assert not assigned.agreements.exists()


def test_the_staff_member_who_carries_it_out_ticks_it_off_from_my_work(
    assigned: Complaint, director: User, back_office: User, operations_manager: User
) -> None:
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        agreement = services.add_agreement(
            complaint=assigned, by=director, description="Creditnota sturen", owner=back_office, due=date(2026, 3, 10)
        )
        # The back office does not see the complaint itself, yet ticks its own agreement off.
        assert client_for(back_office).get(reverse("complaints:detail", args=[assigned.reference])).status_code == 404
        done = reverse("complaints:complete_my_agreement", args=[agreement.pk])
        assert client_for(operations_manager).post(done).status_code == 404
        assert client_for(back_office).get(done).status_code == 405
        response = client_for(back_office).post(done, follow=True)
    assert response.status_code == 200
    assert "De afspraak is afgevinkt." in response.content.decode()
    assert "Creditnota sturen" not in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.done_by == back_office and agreement.done_at is not None
    event = assigned.events.get(kind="agreement_done")
    assert event.actor == back_office
    # Once done, it is gone from the owner's reach.
    assert client_for(back_office).post(done).status_code == 404
