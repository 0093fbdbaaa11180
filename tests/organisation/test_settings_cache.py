from datetime import date

import pytest
from django.core.cache import cache

from organisation.models import ClosureDay, OrganisationSettings
from organisation.selectors import closure_days, get_organisation
from organisation.versioning import VERSION_KEY

pytestmark = pytest.mark.django_db


def test_it_reads_the_settings_and_closure_days_once_while_nothing_changes(django_assert_num_queries):
    get_organisation()
    closure_days()
    with django_assert_num_queries(0):
        assert get_organisation().name
        assert closure_days() == frozenset()


def test_it_sees_a_change_saved_in_this_process_at_once():
    organisation = get_organisation()
    organisation.name = "Zorggroep Noord"
    organisation.save()
    ClosureDay.objects.create(day=date(2026, 5, 15), description="Dag na Hemelvaart")
    assert get_organisation().name == "Zorggroep Noord"
    assert closure_days() == {date(2026, 5, 15)}


def test_it_sees_a_change_made_by_another_process_once_the_shared_version_moves():
    get_organisation()
    closure_days()
    # Another process: writes the rows and replaces the token in the shared cache.
    OrganisationSettings.objects.update(name="Elders gewijzigd")
    ClosureDay.objects.bulk_create([ClosureDay(day=date(2026, 12, 24), description="Kerstavond")])
    assert get_organisation().name != "Elders gewijzigd"
    cache.set(VERSION_KEY, "another-token")
    assert get_organisation().name == "Elders gewijzigd"
    assert closure_days() == {date(2026, 12, 24)}


def test_a_caller_changing_its_copy_does_not_change_what_others_read():
    mine = get_organisation()
    mine.name = "Niet opgeslagen"
    assert get_organisation().name != "Niet opgeslagen"


def _reads_of_the_version(monkeypatch) -> list[str]:
    reads: list[str] = []
    original = cache.get

    def counting_get(key, *args, **kwargs):
        if key == VERSION_KEY:
            reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    return reads


def test_a_request_reads_the_shared_version_once_however_often_it_asks(client, monkeypatch):
    get_organisation()
    reads = _reads_of_the_version(monkeypatch)
    # The public form shows the organisation's name and privacy text, and its deadlines.
    assert client.get("/klacht/").status_code == 200
    assert len(reads) == 1
    # Outside a request every call asks again.
    get_organisation()
    closure_days()
    assert len(reads) == 3


def test_a_change_made_elsewhere_is_seen_by_the_next_request():
    from django.test import Client

    get_organisation()
    Client().get("/klacht/")
    OrganisationSettings.objects.update(name="Elders gewijzigd")
    cache.set(VERSION_KEY, "another-token")
    assert "Elders gewijzigd" in Client().get("/klacht/").content.decode()
