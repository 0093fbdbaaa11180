"""The records outside a complaint file go when their own term has passed (privacy.retention)."""

from datetime import datetime, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import User
from complaints.models import Complaint
from mailintake.models import InboundMessage, Outcome
from outbox.models import MessageStatus, OutboxMessage
from privacy.models import AccessAction, AccessLog, DataSubjectRequest, ProcessingRestriction, RequestStatus
from privacy.retention import purge_expired
from privacy.services import log_access

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def ago(days: int) -> datetime:
    return timezone.now() - days * DAY


def a_request(by: User, *, answered_days_ago: int | None) -> DataSubjectRequest:
    return DataSubjectRequest.objects.create(
        kind="access",
        received_at=ago(800),
        due=ago(770).date(),
        requester_email="jan@example.nl",
        created_by=by,
        status=RequestStatus.OPEN if answered_days_ago is None else RequestStatus.DONE,
        completed_at=None if answered_days_ago is None else ago(answered_days_ago),
    )


def test_a_request_goes_two_years_after_its_answer(privacy_officer: User, make_complaint: object) -> None:
    old, recent, still_open = (a_request(privacy_officer, answered_days_ago=d) for d in (740, 700, None))
    complaint: Complaint = make_complaint()  # type: ignore[operator]
    restriction = ProcessingRestriction.objects.create(
        complaint=complaint, request=old, reason="Betwist de juistheid", placed_by=privacy_officer
    )
    assert purge_expired()["requests"] == 1
    assert set(DataSubjectRequest.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    # The restriction is the complaint's record and stays; it no longer points at the request.
    restriction.refresh_from_db()
    assert restriction.request is None


def test_the_access_log_keeps_its_term(quality_manager: User, make_complaint: object) -> None:
    complaint: Complaint = make_complaint()  # type: ignore[operator]
    old = AccessLog.objects.create(user=quality_manager, complaint=complaint, action=AccessAction.VIEW, at=ago(740))
    young = log_access(user=quality_manager, complaint=complaint, action=AccessAction.VIEW)
    assert purge_expired()["access_log"] == 1
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.filter(pk=young.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers: PostgreSQL")
def test_the_database_keeps_every_access_log_entry_at_least_a_year(
    quality_manager: User, make_complaint: object
) -> None:
    complaint: Complaint = make_complaint()  # type: ignore[operator]
    entry = AccessLog.objects.create(user=quality_manager, complaint=complaint, action=AccessAction.VIEW, at=ago(300))
    with pytest.raises(DatabaseError, match="at least a year"), transaction.atomic():
        AccessLog._base_manager.filter(pk=entry.pk).delete()
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_a_former_staff_member_is_forgotten_two_years_after_leaving(quality_manager: User, db: None) -> None:
    def staff(username: str, *, left_days_ago: int | None) -> User:
        user = User.objects.create_user(
            username, f"{username}@example.nl", "x" * 16, first_name=username.title(), last_name="Jansen"
        )
        User.objects.filter(pk=user.pk).update(
            is_active=left_days_ago is None, deactivated_at=None if left_days_ago is None else ago(left_days_ago)
        )
        return user

    gone, recent, active = (
        staff("piet", left_days_ago=740),
        staff("kees", left_days_ago=700),
        staff("anna", left_days_ago=None),
    )
    assert purge_expired()["staff_accounts"] == 1
    gone.refresh_from_db()
    assert (gone.username, gone.first_name, gone.last_name, gone.email) == (f"oud-medewerker-{gone.pk}", "", "", "")
    assert not gone.has_usable_password()
    assert User.objects.get(pk=recent.pk).email == "kees@example.nl"
    assert User.objects.get(pk=active.pk).first_name == "Anna"
    assert purge_expired()["staff_accounts"] == 0


def test_mail_not_about_a_complaint_goes_after_six_months(make_complaint: object) -> None:
    complaint: Complaint = make_complaint()  # type: ignore[operator]

    def mail(n: int, **fields: object) -> OutboxMessage:
        message = OutboxMessage.objects.create(
            kind="invitation", to=["piet@example.nl"], subject="Welkom", body_text="Kies een wachtwoord",
            message_id=f"<{n}@klachten.example.nl>", next_attempt_at=timezone.now(), **fields,
        )  # fmt: skip
        OutboxMessage.objects.filter(pk=message.pk).update(created_at=ago(200))
        return message

    sent = mail(1, status=MessageStatus.SENT)
    about_a_complaint = mail(2, status=MessageStatus.SENT, complaint=complaint)
    waiting = mail(3, status=MessageStatus.PENDING)
    assert purge_expired()["outbox"] == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) >= {about_a_complaint.pk, waiting.pk}
    assert not OutboxMessage.objects.filter(pk=sent.pk).exists()


def test_incoming_mail_no_complaint_took_in_loses_its_sender_after_ninety_days(make_complaint: object) -> None:
    complaint: Complaint = make_complaint()  # type: ignore[operator]

    def inbound(uid: int, outcome: str, **fields: object) -> InboundMessage:
        return InboundMessage.objects.create(
            folder="INBOX", uidvalidity=1, uid=uid, message_id=f"<{uid}@example.nl>", received_at=ago(100),
            outcome=outcome, from_address="jan@example.nl", from_name="Jan Jansen", subject="Mijn klacht",
            headers_excerpt="From: Jan Jansen <jan@example.nl>", **fields,
        )  # fmt: skip

    unreadable = inbound(1, Outcome.QUARANTINED)
    held = inbound(2, Outcome.HELD, complaint=None, held_message=b"From: x")
    taken_in = inbound(3, Outcome.COMPLAINT, complaint=complaint)
    assert purge_expired()["mail_excerpts"] == 1
    unreadable.refresh_from_db()
    assert (unreadable.from_address, unreadable.from_name, unreadable.subject, unreadable.headers_excerpt) == (
        ("", "", "", "")
    )
    # Still there, so the message is not fetched again.
    assert unreadable.uid == 1
    assert InboundMessage.objects.get(pk=held.pk).from_address == "jan@example.nl"
    assert InboundMessage.objects.get(pk=taken_in.pk).subject == "Mijn klacht"
