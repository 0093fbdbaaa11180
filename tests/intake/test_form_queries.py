import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint
from organisation.selectors import closure_days, get_organisation

from .helpers import form_data

pytestmark = pytest.mark.django_db

FORM_URL = "/klacht/"


def test_sending_the_form_asks_a_fixed_small_number_of_queries(client: Client) -> None:
    # As in a running server: the organisation's settings were read by an earlier request.
    get_organisation()
    closure_days()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(FORM_URL, form_data())

    assert response.status_code == 302
    assert Complaint.objects.count() == 1
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in statements if "COUNT(" in s.upper()]  # the notice is given the number of attachments
    assert not [s for s in statements if "organisation_" in s]
    assert not [s for s in statements if "django_session" in s]
    # The key check, the year's number (update, or insert for the first of a year, in a
    # savepoint), the complaint, its first event, the privacy restriction check, the outbox
    # message: no reads of settings, no counts, no session.
    assert len(statements) <= 11
