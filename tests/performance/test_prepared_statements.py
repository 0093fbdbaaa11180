"""On PostgreSQL the pages' queries become prepared statements, planned once per connection;
a search for part of a name or a word never does, so it is planned for the words at hand."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lib.db import planned_for_each_value
from tests.conftest import PASSWORD, ComplaintFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def client_of_quality_manager(quality_manager: User, make_complaint: ComplaintFactory) -> Client:
    make_complaint(name="Jan Jansen", description="De thermostaat is kapot.")
    make_complaint(name="Piet de Vries", description="De monteur kwam niet.")
    client = Client()
    assert client.login(username=quality_manager.username, password=PASSWORD)
    return client


def test_a_page_asked_for_again_and_again_runs_prepared_statements(client_of_quality_manager: Client) -> None:
    for _ in range(7):
        assert client_of_quality_manager.get(reverse("complaints:list")).status_code == 200

    assert [s for s in prepared_statements() if '"complaints_complaint"' in s]


def test_a_search_for_a_name_or_a_word_is_never_prepared(client_of_quality_manager: Client) -> None:
    for term in ["jansen", "vries", "thermostaat", "monteur"] * 3:
        response = client_of_quality_manager.get(reverse("complaints:list"), {"q": term})
        assert response.status_code == 200
        assert b"KL-" in response.content

    assert not [s for s in prepared_statements() if " LIKE " in s.upper()]


def test_finding_a_persons_complaints_by_name_is_never_prepared(
    privacy_officer: User, make_complaint: ComplaintFactory
) -> None:
    from django.utils import timezone

    from privacy.models import RequestKind
    from privacy.services import register_request

    make_complaint(name="Jan Jansen")
    request = register_request(
        kind=RequestKind.ACCESS, received_at=timezone.now(), by=privacy_officer, requester_name="Jansen"
    )
    officer = Client()
    officer.force_login(privacy_officer)
    for name in ["Jansen", "Jan Jansen", "ansen"] * 3:
        page = officer.get(reverse("privacy:request_detail", args=[request.pk]), {"name": name})
        assert "Jan Jansen" in page.content.decode()

    assert not [s for s in prepared_statements() if " LIKE " in s.upper()]


def test_planned_for_each_value_restores_preparing_afterwards(db: None) -> None:
    connection.ensure_connection()
    before = connection.connection.prepare_threshold
    with planned_for_each_value():
        assert connection.connection.prepare_threshold is None
    assert connection.connection.prepare_threshold == before == 5
