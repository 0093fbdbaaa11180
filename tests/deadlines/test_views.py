"""The quality manager's pages for closure days and periods."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from organisation.models import ClosureDay
from organisation.selectors import get_organisation


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_quality_manager_adds_and_deletes_a_closure_day(quality_manager):
    client = client_for(quality_manager)
    response = client.post(reverse("deadlines:closure_days"), {"day": "2026-05-15", "description": "Dag na Hemelvaart"})
    assert response.status_code == 302
    closure = ClosureDay.objects.get()
    assert (closure.day, closure.description) == (date(2026, 5, 15), "Dag na Hemelvaart")
    assert "Dag na Hemelvaart" in client.get(reverse("deadlines:closure_days")).content.decode()
    assert client.post(reverse("deadlines:closure_day_delete", args=[closure.pk])).status_code == 302
    assert not ClosureDay.objects.exists()


def test_a_holiday_is_refused_with_a_clear_message(quality_manager):
    response = client_for(quality_manager).post(
        reverse("deadlines:closure_days"), {"day": "2026-12-25", "description": "Kerst"}
    )
    assert response.status_code == 400
    assert "Eerste Kerstdag" in response.content.decode()
    assert not ClosureDay.objects.exists()


def test_a_bad_date_is_refused_not_a_500(quality_manager):
    response = client_for(quality_manager).post(
        reverse("deadlines:closure_days"), {"day": "31-02-2026", "description": "x"}
    )
    assert response.status_code == 400


def test_the_quality_manager_changes_the_periods(quality_manager):
    client = client_for(quality_manager)
    data = {"acknowledgement_working_days": 4, "first_contact_days": 10, "resolution_days": 28}
    assert client.post(reverse("deadlines:periods"), data).status_code == 302
    organisation = get_organisation()
    assert (
        organisation.acknowledgement_working_days,
        organisation.first_contact_days,
        organisation.resolution_days,
    ) == (
        4,
        10,
        28,
    )


def test_periods_that_make_no_sense_are_refused(quality_manager):
    data = {"acknowledgement_working_days": 5, "first_contact_days": 40, "resolution_days": 30}
    response = client_for(quality_manager).post(reverse("deadlines:periods"), data)
    assert response.status_code == 400
    assert get_organisation().first_contact_days == 14


@pytest.mark.parametrize("persona", ["director", "back_office", "privacy_officer", "outsider"])
def test_other_roles_may_not_change_the_calendar(persona, request):
    client = client_for(request.getfixturevalue(persona))
    closure = ClosureDay.objects.create(day=date(2026, 5, 15), description="x")
    assert client.get(reverse("deadlines:closure_days")).status_code == 403
    assert client.post(reverse("deadlines:closure_days"), {"day": "2026-05-22", "description": "x"}).status_code == 403
    assert client.post(reverse("deadlines:closure_day_delete", args=[closure.pk])).status_code == 403
    assert client.post(reverse("deadlines:periods"), {"acknowledgement_working_days": 1}).status_code == 403
    assert ClosureDay.objects.count() == 1
