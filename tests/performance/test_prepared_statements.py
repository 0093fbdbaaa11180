"""On PostgreSQL the app keeps Django's default: parameters bound by the client and no
statement prepared, so any connection pooler works and each query is planned for its values."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.conftest import ComplaintFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def test_pages_asked_for_again_and_again_prepare_no_statement(
    quality_manager: User, make_complaint: ComplaintFactory
) -> None:
    make_complaint(name="Jan Jansen", description="De thermostaat is kapot.")
    client = Client()
    client.force_login(quality_manager)
    for _ in range(7):
        assert client.get(reverse("complaints:list")).status_code == 200
        assert client.get(reverse("complaints:list"), {"q": "jansen"}).status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)
