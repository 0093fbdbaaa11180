"""The timeline and the access log only grow: no change, no deletion, also in the database."""

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction

from accounts.models import User
from complaints.models import Complaint, TimelineEvent
from privacy.anonymise import anonymise_complaint
from privacy.models import AccessAction, AccessLog, AppendOnlyError
from privacy.services import log_access
from tests.privacy.conftest import close

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers: PostgreSQL")


def test_a_timeline_event_cannot_be_changed_or_deleted(phoned_in: Complaint) -> None:
    event = phoned_in.events.get()
    event.message = "Rewritten history"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        event.save()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        event.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        phoned_in.events.all().delete()
    assert phoned_in.events.get().message != "Rewritten history"


def test_an_access_log_entry_cannot_be_changed_or_deleted(phoned_in: Complaint, quality_manager: User) -> None:
    entry = log_access(user=quality_manager, complaint=phoned_in, action=AccessAction.VIEW)
    entry.detail = "nothing happened"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        entry.save()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        entry.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(detail="x")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=entry.pk).detail == ""


def test_a_complaint_cannot_be_deleted(phoned_in: Complaint) -> None:
    with pytest.raises(AppendOnlyError), transaction.atomic():
        phoned_in.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        Complaint.objects.filter(pk=phoned_in.pk).delete()
    assert Complaint.objects.filter(pk=phoned_in.pk).exists()


def test_the_admin_offers_no_change_or_delete_of_either_record(rf: object, privacy_officer: User) -> None:
    request = rf.get("/admin/")  # type: ignore[attr-defined]
    request.user = privacy_officer
    for model in (TimelineEvent, AccessLog, Complaint):
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:
            assert not model_admin.has_change_permission(request)
            assert not model_admin.has_delete_permission(request)


@postgresql_only
def test_the_database_refuses_a_bulk_update_or_delete_of_the_timeline(phoned_in: Complaint) -> None:
    for attempt in (
        lambda: TimelineEvent.objects.filter(complaint=phoned_in).update(message="x"),
        lambda: TimelineEvent._base_manager.filter(complaint=phoned_in)._raw_delete(connection.alias),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert phoned_in.events.get().message != "x"


@postgresql_only
def test_the_database_refuses_changes_to_the_access_log(phoned_in: Complaint, quality_manager: User) -> None:
    log_access(user=quality_manager, complaint=phoned_in, action=AccessAction.VIEW)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog._base_manager.update(reason="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog._base_manager.all()._raw_delete(connection.alias)


@postgresql_only
def test_the_anonymiser_may_scrub_personal_columns_but_nothing_else(phoned_in: Complaint) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('klachten.anonymising', 'on', true)")
        # Even when announced, the moment and kind of an event stay as they were.
        TimelineEvent.objects.filter(complaint=phoned_in).update(kind="forged")
    close(phoned_in)
    assert anonymise_complaint(complaint_pk=phoned_in.pk, reason="retention")
    assert set(phoned_in.events.values_list("kind", flat=True)) == {"received", "anonymised"}
    # The permission ended with the anonymiser's transaction.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TimelineEvent.objects.filter(complaint=phoned_in).update(message="x")
