"""Nobody is left uninformed on a hand-over: the new owner is mailed at once (reference, dates
and a link, nothing of the complaint), the previous one hears it is no longer theirs, and
reminders not yet sent follow the complaint to its new owner."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from complaints import services
from deadlines.models import DeadlineKind, Reminder, ReminderKind
from outbox.models import OutboxMessage
from tests.conftest import ComplaintFactory


def test_the_new_owner_is_mailed_at_once_and_the_previous_one_told(
    make_complaint: ComplaintFactory, quality_manager: User, director: User, operations_manager: User
) -> None:
    complaint = make_complaint(name="Fatima El Amrani", description="De monteur was onbeschoft.")
    services.assign(complaint=complaint, to=director, by=quality_manager)
    [handed] = OutboxMessage.objects.filter(kind="handed_over")
    assert handed.to == [director.email]
    assert complaint.reference in handed.subject
    assert f"/backoffice/klachten/{complaint.reference}/" in handed.body_text
    assert "uiterlijk op" in handed.body_text
    for personal in ("Fatima", "onbeschoft", complaint.email):
        assert personal not in handed.body_text
    assert handed.headers.get("X-Auto-Response-Suppress") == "All"

    services.assign(complaint=complaint, to=operations_manager, by=quality_manager)
    assert [m.to for m in OutboxMessage.objects.filter(kind="handed_over").order_by("pk")] == [
        [director.email],
        [operations_manager.email],
    ]
    [told] = OutboxMessage.objects.filter(kind="handed_on")
    assert told.to == [director.email] and "Olga" in told.body_text


def test_reminders_not_yet_sent_follow_the_complaint(
    make_complaint: ComplaintFactory, quality_manager: User, director: User, operations_manager: User
) -> None:
    complaint = make_complaint(received_at=timezone.now() - timedelta(days=12))
    services.assign(complaint=complaint, to=director, by=quality_manager)
    waiting = Reminder.objects.create(
        complaint=complaint,
        deadline=DeadlineKind.CONTACT,
        kind=ReminderKind.REMINDER,
        due=complaint.contact_due,
        address=director.email,
    )
    for_the_quality_manager = Reminder.objects.create(
        complaint=complaint,
        deadline=DeadlineKind.ACKNOWLEDGE,
        kind=ReminderKind.REMINDER,
        due=complaint.acknowledge_due,
        address=quality_manager.email,
    )
    services.assign(complaint=complaint, to=operations_manager, by=quality_manager)
    waiting.refresh_from_db()
    for_the_quality_manager.refresh_from_db()
    assert waiting.address == operations_manager.email
    assert for_the_quality_manager.address == quality_manager.email
