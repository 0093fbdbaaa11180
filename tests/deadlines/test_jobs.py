"""Reminders two working days before a deadline, escalation the day after a missed one,
one digest per person per run, each reminder exactly once."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection, connections

from complaints import services
from deadlines.jobs import send_reminders
from deadlines.models import DeadlineKind, Digest, Reminder, ReminderKind
from outbox.models import OutboxMessage
from tests.complaints.procedure import at
from tests.conftest import make_user

# Received Monday 2 March 2026: acknowledgement due Monday 9 March, first contact Monday
# 16 March, resolution Wednesday 1 April.
RECEIVED = at(2026, 3, 2, 9)


def digests() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind="deadline_digest").order_by("pk"))


def run_on(year: int, month: int, day: int, hour: int = 7):
    with time_machine.travel(at(year, month, day, hour), tick=False):
        return send_reminders()


@pytest.fixture
def complaint(make_complaint, quality_manager):
    with time_machine.travel(RECEIVED, tick=False):
        return make_complaint(received_at=RECEIVED)


def test_nothing_is_sent_before_the_reminder_day(complaint):
    # Wednesday 4 March: two working days later is Friday 6 March, the deadline is Monday 9 March.
    assert run_on(2026, 3, 4) == {"claimed": 0, "digests": 0}
    assert digests() == []


def test_the_quality_manager_is_reminded_two_working_days_before_the_acknowledgement(complaint, quality_manager):
    result = run_on(2026, 3, 5)
    assert result == {"claimed": 1, "digests": 1}
    [mail] = digests()
    assert mail.to == [quality_manager.email]
    assert complaint.reference in mail.body_text
    assert f"/backoffice/klachten/{complaint.reference}/" in mail.body_text
    reminder = Reminder.objects.get()
    assert (reminder.deadline, reminder.kind, reminder.due) == (
        DeadlineKind.ACKNOWLEDGE,
        ReminderKind.REMINDER,
        date(2026, 3, 9),
    )


def test_a_second_run_the_same_day_or_the_next_sends_nothing_again(complaint):
    run_on(2026, 3, 5, 7)
    run_on(2026, 3, 5, 8)
    run_on(2026, 3, 6, 7)
    assert len(digests()) == 1
    assert Reminder.objects.count() == 1


def test_a_met_deadline_is_not_reminded(complaint, quality_manager):
    with time_machine.travel(at(2026, 3, 4), tick=False):
        services.acknowledge(complaint=complaint, by=quality_manager)
    run_on(2026, 3, 5)
    run_on(2026, 3, 10)
    assert digests() == []


def test_the_day_after_a_missed_deadline_the_quality_manager_gets_an_escalation(complaint, quality_manager):
    run_on(2026, 3, 5)
    run_on(2026, 3, 9)  # the deadline day itself: not yet missed
    assert Reminder.objects.filter(kind=ReminderKind.ESCALATION).count() == 0
    run_on(2026, 3, 10)
    escalation = Reminder.objects.get(kind=ReminderKind.ESCALATION)
    assert (escalation.deadline, escalation.address) == (DeadlineKind.ACKNOWLEDGE, quality_manager.email)
    assert len(digests()) == 2
    # Staff mail is Dutch.
    assert "TE LAAT: de termijn voor ontvangstbevestiging was" in digests()[1].body_text
    assert digests()[1].subject == "Klachten: 1 termijn vraagt aandacht"


def test_a_missed_run_catches_up(complaint):
    # The job did not run from Wednesday 4 to Tuesday 10 March. On Wednesday 11 the reminder
    # window is past, but the escalation of the missed acknowledgement still goes out.
    run_on(2026, 3, 11)
    assert list(Reminder.objects.values_list("deadline", "kind")) == [
        (DeadlineKind.ACKNOWLEDGE, ReminderKind.ESCALATION)
    ]


def test_a_reminder_missed_on_its_day_is_sent_the_next_run_before_the_deadline(complaint):
    run_on(2026, 3, 9)
    assert list(Reminder.objects.values_list("deadline", "kind")) == [(DeadlineKind.ACKNOWLEDGE, ReminderKind.REMINDER)]


def test_the_responsible_person_is_reminded_of_the_contact_deadline(complaint, quality_manager, director):
    with time_machine.travel(at(2026, 3, 3), tick=False):
        services.acknowledge(complaint=complaint, by=quality_manager)
        services.assign(complaint=complaint, to=director, by=quality_manager)
    # Thursday 12 March: two working days later is Monday 16 March, the contact deadline.
    run_on(2026, 3, 12)
    [mail] = digests()
    assert mail.to == [director.email]
    assert Reminder.objects.get().deadline == DeadlineKind.CONTACT


def test_an_unassigned_complaint_reminds_the_quality_manager_of_the_contact_deadline(complaint, quality_manager):
    with time_machine.travel(at(2026, 3, 3), tick=False):
        services.acknowledge(complaint=complaint, by=quality_manager)
    run_on(2026, 3, 12)
    assert [m.to for m in digests()] == [[quality_manager.email]]


def test_several_deadlines_make_one_digest_per_person(make_complaint, quality_manager):
    second_manager = make_user("kees", *quality_manager.roles)
    with time_machine.travel(RECEIVED, tick=False):
        first = make_complaint(received_at=RECEIVED)
        second = make_complaint(received_at=RECEIVED)
        third = make_complaint(received_at=at(2026, 3, 3))
    run_on(2026, 3, 6)  # Friday: acknowledgements of 9 and 10 March are within two working days
    mails = digests()
    assert sorted(m.to[0] for m in mails) == sorted([quality_manager.email, second_manager.email])
    for mail in mails:
        for complaint in (first, second, third):
            assert complaint.reference in mail.body_text
    assert Digest.objects.count() == 2


def test_a_reminder_claimed_after_the_mornings_digest_goes_out_in_the_next_run(make_complaint, quality_manager):
    with time_machine.travel(RECEIVED, tick=False):
        make_complaint(received_at=RECEIVED)
    run_on(2026, 3, 5, 7)
    with time_machine.travel(at(2026, 3, 5, 12), tick=False):
        # Registered late (a letter received on 2 March), already due soon.
        late = make_complaint(received_at=at(2026, 3, 2, 15))
    run_on(2026, 3, 5, 13)
    # Not tomorrow: the run that claims it mails it, in a second message of the day.
    assert len(digests()) == 2
    assert late.reference in digests()[1].body_text
    run_on(2026, 3, 5, 14)
    assert len(digests()) == 2


def test_an_extended_resolution_deadline_gets_a_new_reminder(complaint, quality_manager, director):
    with time_machine.travel(at(2026, 3, 3), tick=False):
        services.acknowledge(complaint=complaint, by=quality_manager)
        services.assign(complaint=complaint, to=director, by=quality_manager)
        services.log_call(complaint=complaint, by=director, at=at(2026, 3, 3, 9), summary="x")
    run_on(2026, 3, 30)  # reminder for 1 April
    with time_machine.travel(at(2026, 3, 31), tick=False):
        services.extend_resolution(complaint=complaint, by=quality_manager, new_due=date(2026, 4, 15), reason="x")
    run_on(2026, 4, 13)  # reminder for 15 April
    assert list(Reminder.objects.order_by("due").values_list("due", flat=True)) == [
        date(2026, 4, 1),
        date(2026, 4, 15),
    ]


def test_closed_or_withdrawn_complaints_are_never_reminded(complaint, quality_manager):
    with time_machine.travel(at(2026, 3, 3), tick=False):
        services.withdraw(complaint=complaint, by=quality_manager, reason="Ingetrokken.")
    for day in (5, 10, 20, 31):
        run_on(2026, 3, day)
    assert digests() == []


def test_without_a_quality_manager_account_the_quality_inbox_is_told(make_complaint):
    with time_machine.travel(RECEIVED, tick=False):
        make_complaint(received_at=RECEIVED)
    run_on(2026, 3, 5)
    [mail] = digests()
    assert mail.to == ["kwaliteit@supportoplus.nl"]


def test_a_run_with_nothing_due_costs_the_same_whatever_the_number_of_complaints(
    make_complaint, quality_manager, django_assert_max_num_queries
):
    with time_machine.travel(RECEIVED, tick=False):
        for _ in range(30):
            make_complaint(received_at=RECEIVED)
    with django_assert_max_num_queries(12):
        run_on(2026, 3, 3)


def test_the_job_is_registered_with_the_scheduler(settings):
    assert "deadlines.jobs.send_reminders" in settings.PERIODIC_JOBS


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_once(make_complaint, quality_manager, director):
    """Two workers at the same moment, each on its own database connection."""
    with time_machine.travel(RECEIVED, tick=False):
        for _ in range(5):
            make_complaint(received_at=RECEIVED)
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite database is not shared between threads; runs on PostgreSQL")
    barrier = threading.Barrier(2)
    results: list[object] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(send_reminders())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    with time_machine.travel(at(2026, 3, 5, 7), tick=False):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert Reminder.objects.count() == 5
    assert len(results) == 2
    assert len(digests()) == 1
    assert Digest.objects.count() == 1


def test_the_quality_manager_a_complaint_is_about_is_not_reminded_of_it(complaint, quality_manager):
    from accounts.roles import Role

    other = make_user("kees", Role.QUALITY_MANAGER)
    complaint.about_staff.add(quality_manager)
    run_on(2026, 3, 5)
    run_on(2026, 3, 10)
    addresses = set(Reminder.objects.values_list("address", flat=True))
    assert addresses == {other.email}
    assert all(quality_manager.email not in message.to for message in digests())
