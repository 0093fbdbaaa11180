from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from outbox.models import OutboxMessage
from quality.jobs import send_action_reminders
from quality.models import ActionStatus, Category, Classification, CorrectiveAction, Effectiveness
from quality.selectors import get_action_for, work_queue
from quality.services import complete_action, open_action, record_effectiveness

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def moment(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=AMS)


@pytest.fixture
def action(make_complaint, quality_manager, director):
    with time_machine.travel(moment(2026, 3, 2, 9), tick=False):
        first, second = make_complaint(), make_complaint(name="Piet")
        category = Category.objects.get(name="bereikbaarheid")
        Classification.objects.create(complaint=first, category=category)
        # Due Friday 3 April 2026, the day Good Friday falls on: reminders count working days.
        return open_action(
            by=quality_manager,
            title="Terugbelservice invoeren",
            owner=director,
            due=date(2026, 4, 3),
            complaints=[first, second],
            check_due=date(2026, 6, 1),
        )


def test_an_action_opened_from_two_complaints_is_on_both_timelines_and_watches_their_category(action) -> None:
    assert action.complaints.count() == 2
    assert action.category.name == "bereikbaarheid"
    for complaint in action.complaints.all():
        assert complaint.events.filter(kind="corrective_action").exists()


def test_the_owner_is_reminded_two_working_days_before_once_even_when_the_job_runs_twice(action, director) -> None:
    with time_machine.travel(moment(2026, 3, 31, 7), tick=False):
        assert send_action_reminders() == 0
    # Thursday 2 April: Friday 3 April is Good Friday, so the due date is 1 working day... still
    # within two working days from Wednesday 1 April (Thursday 2, Monday 6).
    with time_machine.travel(moment(2026, 4, 1, 7), tick=False):
        assert send_action_reminders() == 1
        assert send_action_reminders() == 0
    messages = OutboxMessage.objects.filter(kind="action_due_soon")
    assert [m.to for m in messages] == [[director.email]]


def test_an_overdue_action_reaches_the_quality_manager_once_and_a_missed_run_catches_up(
    action, quality_manager
) -> None:
    with time_machine.travel(moment(2026, 4, 10, 7), tick=False):
        send_action_reminders()
        send_action_reminders()
    overdue = OutboxMessage.objects.filter(kind="action_overdue")
    assert overdue.count() == 1
    assert overdue.get().to == [quality_manager.email]
    queue = work_queue(quality_manager)
    with time_machine.travel(moment(2026, 4, 10, 7), tick=False):
        queue = work_queue(quality_manager)
    assert queue.overdue_count == 1


def test_the_effectiveness_check_is_asked_for_once_when_it_comes_due(action, director, quality_manager) -> None:
    with time_machine.travel(moment(2026, 4, 2, 12), tick=False):
        complete_action(action=action, by=director)
    with time_machine.travel(moment(2026, 6, 1, 7), tick=False):
        assert send_action_reminders() == 1
        assert send_action_reminders() == 0
        assert [row.pk for row in work_queue(quality_manager).checks_due] == [action.pk]
        record_effectiveness(action=action, by=quality_manager, result=Effectiveness.EFFECTIVE)
        assert work_queue(quality_manager).checks_due == []


def test_the_effect_counts_complaints_in_the_category_since_the_action_was_done(
    action, director, quality_manager, make_complaint
) -> None:
    category = action.category
    with time_machine.travel(moment(2026, 4, 2, 12), tick=False):
        complete_action(action=action, by=director)
    for day in (5, 20):
        with time_machine.travel(moment(2026, 5, day, 9), tick=False):
            Classification.objects.create(complaint=make_complaint(), category=category)
    with time_machine.travel(moment(2026, 5, 21, 9), tick=False):
        other = make_complaint()
        Classification.objects.create(complaint=other, category=Category.objects.get(name="facturatie"))
    loaded = get_action_for(quality_manager, action.pk)
    assert loaded.complaints_since == 2  # type: ignore[attr-defined]


def test_the_quality_manager_opens_an_action_on_the_page_from_references(
    make_complaint, quality_manager, director
) -> None:
    first, second = make_complaint(), make_complaint()
    client = Client()
    client.force_login(quality_manager)
    response = client.post(
        reverse("quality:action_new"),
        {
            "title": "Script telefonie aanpassen",
            "owner": director.pk,
            "due": "2026-12-01",
            "references": f"{first.reference}, {second.reference.lower()}",
        },
    )
    assert response.status_code == 302
    action = CorrectiveAction.objects.get()
    assert set(action.complaints.all()) == {first, second}
    response = client.post(
        reverse("quality:action_new"),
        {
            "title": "x",
            "owner": director.pk,
            "due": "2026-12-01",
            "references": "KL-2099-00001 onzin",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["references"]


def test_the_owner_marks_the_action_done_but_only_the_quality_manager_cancels(
    action, director, operations_manager
) -> None:
    owner = Client()
    owner.force_login(director)
    owner.post(reverse("quality:action_step", args=[action.pk, "cancel"]))
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    owner.post(reverse("quality:action_step", args=[action.pk, "done"]), {"check_due": "2026-07-01"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.check_due == date(2026, 7, 1)
    stranger = Client()
    stranger.force_login(operations_manager)
    assert stranger.get(reverse("quality:action_detail", args=[action.pk])).status_code == 404


def test_the_reminders_run_from_the_one_scheduler(action, settings) -> None:
    from lib.periodic import run_periodic_jobs

    assert "quality.jobs.send_action_reminders" in settings.PERIODIC_JOBS
    settings.PERIODIC_JOBS = ["quality.jobs.send_action_reminders"]
    with time_machine.travel(moment(2026, 4, 10, 7), tick=False):
        assert run_periodic_jobs() == {"quality.jobs.send_action_reminders": 1}


def test_my_work_shows_the_quality_manager_open_and_overdue_actions(action, quality_manager) -> None:
    client = Client()
    client.force_login(quality_manager)
    with time_machine.travel(moment(2026, 4, 10, 9), tick=False):
        html = client.get(reverse("complaints:home")).content.decode()
    section = html.split('id="quality-queue-heading"', 1)[1]
    assert "Terugbelservice invoeren" in section
    assert "te laat" in section


def test_every_check_is_kept_with_who_when_and_the_evidence(action, director, quality_manager, make_complaint) -> None:
    from complaints.errors import ProcedureError

    category = action.category
    # One complaint in the category in March, before the action was done on 2 April.
    with time_machine.travel(moment(2026, 3, 20, 9), tick=False):
        Classification.objects.create(complaint=make_complaint(), category=category)
    with time_machine.travel(moment(2026, 4, 2, 12), tick=False):
        complete_action(action=action, by=director)
    action.refresh_from_db()
    assert action.done_by == director
    for complaint in action.complaints.all():
        assert complaint.events.filter(kind="corrective_action_done", actor=director).exists()

    with time_machine.travel(moment(2026, 5, 1, 12), tick=False):
        # Planned for 1 June: earlier only with a reason.
        with pytest.raises(ProcedureError, match=r"zeg dan waarom|say why"):
            record_effectiveness(action=action, by=quality_manager, result=Effectiveness.EFFECTIVE)
        first = record_effectiveness(
            action=action,
            by=quality_manager,
            result=Effectiveness.PARTLY,
            notes="Minder telefoonklachten.",
            early_reason="Managementreview op 4 mei.",
        )
    assert (first.checked_by, first.window_days, first.complaints_before, first.complaints_after) == (
        quality_manager,
        29,
        1,
        0,
    )
    with time_machine.travel(moment(2026, 6, 2, 12), tick=False):
        # Not effective: the action opens again with a new date, and the first check stays.
        with pytest.raises(ProcedureError):
            record_effectiveness(action=action, by=quality_manager, result=Effectiveness.NOT_EFFECTIVE)
        record_effectiveness(
            action=action, by=quality_manager, result=Effectiveness.NOT_EFFECTIVE, new_due=date(2026, 7, 1)
        )
    action.refresh_from_db()
    assert [c.result for c in action.checks.all()] == [Effectiveness.PARTLY, Effectiveness.NOT_EFFECTIVE]
    assert (action.status, action.due, action.done_at, action.check_result) == (
        ActionStatus.OPEN,
        date(2026, 7, 1),
        None,
        Effectiveness.NOT_EFFECTIVE,
    )
    for complaint in action.complaints.all():
        messages = list(complaint.events.filter(kind="corrective_action_checked").values_list("message", flat=True))
        assert len(messages) == 2
        assert "1 in de 29 dagen voor de uitvoering, 0 sindsdien" in messages[0]


def test_the_check_form_asks_for_a_reason_when_early_and_a_date_when_not_effective(
    action, director, quality_manager
) -> None:
    with time_machine.travel(moment(2026, 4, 2, 12), tick=False):
        complete_action(action=action, by=director)
    client = Client()
    client.force_login(quality_manager)
    url = reverse("quality:action_step", args=[action.pk, "effect"])
    with time_machine.travel(moment(2026, 5, 1, 12), tick=False):
        page = client.get(reverse("quality:action_detail", args=[action.pk])).content.decode()
        assert "Waarom nu al controleren?" in page
        early = client.post(url, {"result": Effectiveness.EFFECTIVE})
        assert early.status_code == 409
        assert "zeg dan waarom" in early.content.decode()
        no_date = client.post(url, {"result": Effectiveness.NOT_EFFECTIVE, "early_reason": "Review"})
        assert no_date.status_code == 400
        assert "Geef de datum waarop de maatregel opnieuw is uitgevoerd." in no_date.content.decode()
        assert not action.checks.exists()
        done = client.post(url, {"result": Effectiveness.EFFECTIVE, "early_reason": "Review", "notes": "Klachten weg"})
    assert done.status_code == 302
    page = client.get(reverse("quality:action_detail", args=[action.pk])).content.decode()
    assert "Klachten weg" in page and "Review" in page and "Karin Kwaliteit" in page
