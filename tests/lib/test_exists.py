"""has_rows(): the EXISTS column the complaint page reads its flags from, on SQLite and PostgreSQL."""

import pytest
from django.utils import timezone

from accounts.models import User
from complaints.models import Complaint
from lib.exists import has_rows
from outbox.models import MessageStatus, OutboxMessage
from quality.models import ComplaintLink, LinkReason
from tests.conftest import ComplaintFactory

pytestmark = pytest.mark.django_db


def flags(column: str, expression: object) -> dict[str, bool]:
    return dict(Complaint.objects.annotate(**{column: expression}).values_list("name", column))


def mail(complaint: Complaint, status: str) -> None:
    OutboxMessage.objects.create(
        kind="letter",
        complaint=complaint,
        to=["jan@example.nl"],
        subject="Brief",
        body_text="...",
        message_id=f"<{complaint.pk}-{status}@example.nl>",
        status=status,
        next_attempt_at=timezone.now(),
    )


def test_a_row_counts_only_when_its_fields_have_the_values_asked_for(make_complaint: ComplaintFactory) -> None:
    failed, sent = make_complaint(name="mislukt"), make_complaint(name="verzonden")
    make_complaint(name="geen")
    mail(failed, MessageStatus.FAILED)
    mail(sent, MessageStatus.SENT)

    assert flags("failed", has_rows(OutboxMessage, "complaint", status=MessageStatus.FAILED.value)) == {
        "mislukt": True,
        "verzonden": False,
        "geen": False,
    }
    assert flags("any", has_rows(OutboxMessage, "complaint")) == {"mislukt": True, "verzonden": True, "geen": False}


def test_any_of_several_foreign_keys_may_point_at_the_row(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    first, second = make_complaint(name="eerste"), make_complaint(name="tweede")
    make_complaint(name="los")
    ComplaintLink.objects.create(first=first, second=second, reason=LinkReason.SAME_CAUSE, created_by=quality_manager)

    assert flags("linked", has_rows(ComplaintLink, "first", "second")) == {
        "eerste": True,
        "tweede": True,
        "los": False,
    }
    assert flags("first", has_rows(ComplaintLink, "first")) == {"eerste": True, "tweede": False, "los": False}


@pytest.mark.parametrize(
    ("links", "problem"),
    [((), "needs the foreign key"), (("reason",), "not all foreign keys"), (("first", "created_by"), "different")],
)
def test_a_wrong_question_is_refused_when_it_is_asked(links: tuple[str, ...], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        has_rows(ComplaintLink, *links)
