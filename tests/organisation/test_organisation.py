"""The organisation's settings: one row, created from the environment's defaults."""

from datetime import date

import pytest
from django.test import Client

from organisation.models import ClosureDay, OrganisationSettings
from organisation.selectors import closure_days, get_organisation

pytestmark = pytest.mark.django_db


def test_the_settings_start_from_the_published_procedure() -> None:
    organisation = get_organisation()

    assert organisation.name == "Supportoplus"
    assert organisation.postal_address == "Rokin 1, 3542 AB Amsterdam"
    assert organisation.phone == "088-0443888"
    assert organisation.quality_inbox == "kwaliteit@supportoplus.nl"
    assert (organisation.acknowledgement_working_days, organisation.first_contact_days) == (5, 14)
    assert organisation.resolution_days == 30


def test_there_is_only_ever_one_row() -> None:
    first = get_organisation()
    first.name = "Supportoplus B.V."
    first.save()

    assert get_organisation().name == "Supportoplus B.V."
    assert OrganisationSettings.objects.count() == 1


def test_closure_days_are_the_days_entered() -> None:
    ClosureDay.objects.create(day=date(2026, 5, 15), description="Dag na Hemelvaart")

    assert closure_days() == frozenset({date(2026, 5, 15)})


def test_pages_show_the_organisation_from_its_settings(client: Client) -> None:
    organisation = get_organisation()
    organisation.phone = "020-1112222"
    organisation.save()

    assert "020-1112222" in client.get("/").content.decode()
