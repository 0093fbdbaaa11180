"""Keyset pagination over a real table."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lib.pagination import decode_cursor, encode_cursor, newest_first_page
from outbox.models import OutboxMessage
from outbox.services import new_message_id


def test_a_cursor_survives_the_round_trip() -> None:
    moment = timezone.now()
    assert decode_cursor(encode_cursor(moment, 42)) == (moment, 42)


@pytest.mark.parametrize("cursor", ["", "nonsense", "W10", "WyJ4IiwgMV0"])
def test_a_malformed_cursor_decodes_to_nothing(cursor: str) -> None:
    assert decode_cursor(cursor) is None


@pytest.mark.django_db
def test_pages_follow_each_other_without_gaps_or_repeats_also_on_equal_moments() -> None:
    now = timezone.now()
    for minutes in (1, 2, 2, 2, 3, 4, 5):
        message = OutboxMessage.objects.create(
            kind="t", to=[], subject="s", body_text="t", message_id=new_message_id(), next_attempt_at=now
        )
        OutboxMessage.objects.filter(pk=message.pk).update(created_at=now - timedelta(minutes=minutes))
    queryset = OutboxMessage.objects.all()

    seen, cursor, pages = [], None, 0
    while True:
        page = newest_first_page(queryset, field="created_at", cursor=cursor, size=3)
        pages += 1
        assert page.is_first == (cursor is None)
        seen += [m.pk for m in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor

    assert pages == 3
    assert seen == list(queryset.order_by("-created_at", "-pk").values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_malformed_cursor_gives_the_first_page() -> None:
    page = newest_first_page(OutboxMessage.objects.all(), field="created_at", cursor="@@", size=3)
    assert page.is_first
