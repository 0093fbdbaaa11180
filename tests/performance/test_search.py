"""Searching the complaint list by name or by a word from the description, and, on PostgreSQL,
that the queries the list sends can use the trigram indexes (their expressions must match
what the ORM writes, or a million rows are read for every search)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from complaints.models import Complaint
from complaints.selectors import complaints_for
from tests.conftest import PASSWORD, ComplaintFactory

pytestmark = pytest.mark.django_db


def search(user: User, query: str) -> str:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("complaints:list"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_it_finds_a_complaint_by_a_word_from_its_description(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    wanted = make_complaint(name="Els de Wit", description="De thermostaat in de woonkamer is kapot.")
    other = make_complaint(name="Piet Bos", description="De monteur kwam niet.")

    page = search(quality_manager, "THERMOSTAAT")

    assert wanted.reference in page
    assert other.reference not in page


def test_it_still_finds_a_complaint_by_part_of_the_name(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    wanted = make_complaint(name="Els de Wit", description="De monteur kwam niet.")
    other = make_complaint(name="Piet Bos", description="De monteur kwam niet.")

    page = search(quality_manager, "de wit")

    assert wanted.reference in page
    assert other.reference not in page


def test_a_responsible_person_finds_only_what_they_may_read(
    make_complaint: ComplaintFactory, quality_manager: User, director: User
) -> None:
    make_complaint(name="Els de Wit", description="De thermostaat is kapot.")

    assert "Els de Wit" not in search(director, "thermostaat")


def plan(sql: str, params: tuple, *, bitmap_only: bool = False) -> str:
    with connection.cursor() as cursor:
        # A test table is small enough to scan; what matters is whether the index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmap_only:
            # Else walking a btree index in its own order and filtering looks as cheap on a
            # table of one row; a LIKE '%word%' can only become a bitmap scan of a trigram index.
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
@pytest.mark.parametrize(
    ("lookup", "index"),
    [("name__icontains", "complaint_name_trgm_idx"), ("description__icontains", "complaint_description_trgm_idx")],
)
def test_the_search_can_use_its_trigram_index(
    make_complaint: ComplaintFactory, quality_manager: User, lookup: str, index: str
) -> None:
    make_complaint()
    queryset = complaints_for(quality_manager).filter(**{lookup: "thermostaat"}).values("pk")
    sql, params = queryset.query.sql_with_params()

    assert index in plan(sql, params, bitmap_only=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partial indexes are created on PostgreSQL only")
def test_the_work_queue_of_unacknowledged_complaints_can_use_its_partial_index(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    make_complaint()
    queryset = (
        Complaint.objects.filter(status__in=("received", "in_progress"), acknowledged_at__isnull=True)
        .order_by("acknowledge_due", "pk")
        .values("pk")[:50]
    )
    sql, params = queryset.query.sql_with_params()

    assert "complaint_unacknowledged_idx" in plan(sql, params)
