"""The timeline and the access log only grow: no change, no deletion, also in the database."""

import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from psycopg import sql

from accounts.models import User
from complaints.models import Complaint, TimelineEvent
from complaints.sentences import Sentence
from complaints.timeline import record_event
from privacy.anonymise import anonymise_complaint
from privacy.checks import check_database_role
from privacy.models import AccessAction, AccessLog, AppendOnlyError, LegalHold
from privacy.registry import TOKEN
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
def test_the_database_lets_through_nothing_but_anonymising_a_finished_complaint(phoned_in: Complaint) -> None:
    # The old switch of migration 0002 opens nothing any more.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('klachten.anonymising', 'on', true)")
        TimelineEvent.objects.filter(complaint=phoned_in).update(message=TOKEN)
    close(phoned_in)
    # Closed now, yet the moment and kind of an event stay, and a message can only be anonymised.
    for change in ({"kind": "forged"}, {"message": "Rewritten history"}, {"data": {"forged": True}}):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            TimelineEvent.objects.filter(complaint=phoned_in).update(**change)
    assert anonymise_complaint(complaint_pk=phoned_in.pk, reason="retention")
    assert set(phoned_in.events.values_list("kind", flat=True)) == {"received", "anonymised"}


def app_role_name() -> str:
    return f"{connection.settings_dict['NAME']}_app"


@pytest.fixture
def as_app_role() -> Callable[[], AbstractContextManager[None]]:
    """The application's own database role with the grants of docs/deployment.md
    (`manage.py grant_app_role`). Made inside the test's transaction, so it is gone after."""
    name = app_role_name()
    role = sql.Identifier(name)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(role))
    call_command("grant_app_role", name, stdout=io.StringIO())

    @contextmanager
    def acting() -> Iterator[None]:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(role))
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")

    return acting


def trail(complaint: Complaint) -> list[tuple[object, ...]]:
    events = TimelineEvent.objects.filter(complaint=complaint).order_by("pk")
    log = AccessLog.objects.filter(complaint=complaint).order_by("pk")
    return [*events.values_list("kind", "at", "message", "actor_label", "data"), *log.values_list("detail", "reason")]


ATTACKS = {
    "the old switch, then a new message": [
        "SELECT set_config('klachten.anonymising', 'on', true)",
        "UPDATE complaints_timelineevent SET message = 'Nothing happened' WHERE complaint_id = %(pk)s",
    ],
    "another kind of event": ["UPDATE complaints_timelineevent SET kind = 'forged' WHERE complaint_id = %(pk)s"],
    "another reason in the access log": ["UPDATE privacy_accesslog SET reason = 'routine' WHERE complaint_id = %(pk)s"],
    "deleting events": ["DELETE FROM complaints_timelineevent WHERE complaint_id = %(pk)s"],
    "deleting the access log": ["DELETE FROM privacy_accesslog"],
    "truncating the timeline": ["TRUNCATE complaints_timelineevent"],
    "truncating the complaints with what hangs on them": ["TRUNCATE complaints_complaint CASCADE"],
    "switching the triggers off": ["ALTER TABLE complaints_timelineevent DISABLE TRIGGER ALL"],
    "dropping the trigger": ["DROP TRIGGER complaints_timelineevent_append_only ON complaints_timelineevent"],
    "replacing the rule": [
        "CREATE OR REPLACE FUNCTION klachten_append_only() RETURNS trigger LANGUAGE plpgsql"
        " AS $$ BEGIN RETURN NEW; END; $$"
    ],
    "replicating past the triggers": ["SET LOCAL session_replication_role = replica"],
    "anonymising an open complaint early": [
        "UPDATE complaints_timelineevent SET message = '[geanonimiseerd]' WHERE complaint_id = %(pk)s"
    ],
}


@postgresql_only
@pytest.mark.parametrize("attack", ATTACKS)
def test_the_applications_own_role_cannot_change_the_trail(
    attack: str, phoned_in: Complaint, quality_manager: User, as_app_role: Callable[[], AbstractContextManager[None]]
) -> None:
    log_access(user=quality_manager, complaint=phoned_in, action=AccessAction.VIEW, reason="Vraag van de klager")
    before = trail(phoned_in)
    with as_app_role(), pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        for statement in ATTACKS[attack]:
            cursor.execute(statement, {"pk": phoned_in.pk})
    assert trail(phoned_in) == before


@postgresql_only
def test_the_applications_own_role_anonymises_a_finished_complaint_unless_on_hold(
    phoned_in: Complaint,
    quality_manager: User,
    privacy_officer: User,
    as_app_role: Callable[[], AbstractContextManager[None]],
) -> None:
    # Structured data of every shape, which the database anonymises exactly as the anonymiser.
    record_event(
        complaint=phoned_in,
        kind="note",
        message=Sentence(gettext_noop("Note added.")),
        data={"by": "Jan Jansen", "on": "2026-03-02", "at": "2026-03-02T10:15:00+01:00", "n": 3, "empty": "",
              "ok": True, "nested": [{"street": "Dorpsstraat 1"}, None, 2.5]},
    )  # fmt: skip
    log_access(user=quality_manager, complaint=phoned_in, action=AccessAction.VIEW, reason="Vraag van Jan Jansen")
    close(phoned_in)
    hold = LegalHold.objects.create(complaint=phoned_in, reason="Rechtszaak", placed_by=privacy_officer)
    with as_app_role(), pytest.raises(DatabaseError, match="legal hold"), transaction.atomic():
        TimelineEvent.objects.filter(complaint=phoned_in).update(message=TOKEN)
    LegalHold.objects.filter(pk=hold.pk).update(lifted_at=timezone.now(), lifted_by=privacy_officer)
    with as_app_role():
        assert anonymise_complaint(complaint_pk=phoned_in.pk, reason="retention")
    note = phoned_in.events.get(kind="note")
    assert note.message == TOKEN
    assert note.data == {"sentence": {"text": TOKEN, "values": {}}, "by": TOKEN, "on": "2026-03-02",
                         "at": "2026-03-02T10:15:00+01:00", "n": 3, "empty": "", "ok": True,
                         "nested": [{"street": TOKEN}, None, 2.5]}  # fmt: skip
    assert AccessLog.objects.get(complaint=phoned_in, action=AccessAction.VIEW).reason == TOKEN


@postgresql_only
def test_truncating_the_trail_is_refused_even_with_the_privilege(
    phoned_in: Complaint, as_app_role: Callable[[], AbstractContextManager[None]]
) -> None:
    with connection.cursor() as cursor:
        grant = sql.SQL("GRANT TRUNCATE ON complaints_timelineevent TO {}")
        cursor.execute(grant.format(sql.Identifier(app_role_name())))
        # The test's own inserts leave foreign-key checks pending, which would stop TRUNCATE first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    refused = pytest.raises(DatabaseError, match="TRUNCATE refused")
    with as_app_role(), refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE complaints_timelineevent")
    assert phoned_in.events.exists()


@postgresql_only
def test_the_grants_refuse_a_role_that_could_pass_the_triggers() -> None:
    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_role", connection.settings_dict["USER"] or "postgres")
    with pytest.raises(CommandError, match="no database role"):
        call_command("grant_app_role", "nobody_at_all")


@postgresql_only
def test_the_system_check_warns_when_the_site_runs_as_a_role_that_can_pass_the_triggers(
    as_app_role: Callable[[], AbstractContextManager[None]],
) -> None:
    assert [m.id for m in check_database_role(databases=["default"])] == ["privacy.W001"]
    with as_app_role():
        assert check_database_role(databases=["default"]) == []
