"""Closed complaints lose their personal data after the retention period, fully or not at all."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from accounts.models import User
from complaints.attachments import UploadedFile
from complaints.models import Complaint, Status
from correspondence.models import Letter, LetterKind, LetterStatus
from mailintake.models import InboundMessage
from organisation.selectors import get_organisation
from outbox.models import OutboxMessage
from outbox.services import MailAttachment, queue_mail
from privacy import anonymise
from privacy.anonymise import anonymise_due, due_for_anonymisation, retention_cutoff
from privacy.models import AccessAction, FileErasure
from privacy.registry import TOKEN
from privacy.restriction import LegalHoldActive
from privacy.services import lift_legal_hold, log_access, place_legal_hold
from tests.conftest import ComplaintFactory
from tests.privacy.conftest import PNG, close, hand_over

# Real commits: each complaint is anonymised in a transaction of its own, and files are
# deleted only after it commits.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("own_storage")]

CLOSED = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
SECRET_WORDS = ("Pietersen-Vlaskamp", "pietersen@voorbeeld.nl", "0687654321", "Lindelaan 12", "kwetsuur", "ZZTOPSECRET")


@pytest.fixture
def sensitive(make_complaint: ComplaintFactory, back_office: User, director: User, quality_manager: User) -> Complaint:
    """A complaint full of the complainant's details in every place the registry knows of."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        complaint = make_complaint(
            by=back_office,
            name="Anna Pietersen-Vlaskamp",
            company="Vlaskamp Zorg",
            email="pietersen@voorbeeld.nl",
            phone="0687654321",
            postal_address="Lindelaan 12\n1234 AB Dorp",
            about="Monteur Kees",
            description="Mijn kwetsuur werd genegeerd door de monteur.",
            desired_outcome="Excuses voor de kwetsuur",
            files=(
                UploadedFile(name="Pietersen-Vlaskamp.png", content=PNG + b"ZZTOPSECRET", content_type="image/png"),
            ),
        )
        hand_over(complaint, director)
        queue_mail(
            kind="confirmation",
            complaint=complaint,
            to=["pietersen@voorbeeld.nl"],
            subject="Uw klacht, mevrouw Pietersen-Vlaskamp",
            text="Beste Anna Pietersen-Vlaskamp, over uw kwetsuur ...",
            attachments=(MailAttachment("brief-Pietersen-Vlaskamp.pdf", b"%PDF ZZTOPSECRET", "application/pdf"),),
        )
        log_access(user=quality_manager, complaint=complaint, action=AccessAction.VIEW)
        letter = Letter(
            complaint=complaint,
            kind=LetterKind.CONFIRMATION,
            status=LetterStatus.SENT,
            subject="Bevestiging voor Anna Pietersen-Vlaskamp",
            body="Beste mevrouw Pietersen-Vlaskamp, wij bespraken uw kwetsuur.",
            sent_at=timezone.now(),
            sent_by=director,
            channel="email",
            sha256="0" * 64,
            filename="bevestiging-Pietersen-Vlaskamp.pdf",
            data={"naam": "Anna Pietersen-Vlaskamp", "datum": "2026-03-02"},
        )
        letter.pdf.save("brief.pdf", ContentFile(b"%PDF-1.7 ZZTOPSECRET"), save=False)
        letter.save()
        InboundMessage.objects.create(
            folder="INBOX",
            uidvalidity=1,
            uid=7,
            message_id="<x@voorbeeld.nl>",
            received_at=timezone.now(),
            from_address="pietersen@voorbeeld.nl",
            from_name="Anna Pietersen-Vlaskamp",
            subject="Re: kwetsuur",
            outcome="reply",
            complaint=complaint,
            headers_excerpt="From: pietersen@voorbeeld.nl",
        )
    return close(complaint, at=CLOSED)


def text_of_every_table() -> str:
    """Every text-like column of every table, as the database returns it."""
    found: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            description = connection.introspection.get_table_description(cursor, table)
            columns = [connection.ops.quote_name(c.name) for c in description]
            cursor.execute(f"SELECT {', '.join(columns)} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found.extend(str(value) for row in cursor.fetchall() for value in row if value is not None)
    return "\n".join(found)


def bytes_in_storage() -> bytes:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return b"\n".join(p.read_bytes() + p.name.encode() for p in root.rglob("*") if p.is_file())


def test_nothing_is_due_before_the_retention_period_has_passed(sensitive: Complaint) -> None:
    assert get_organisation().retention_months == 24
    with time_machine.travel(datetime(2028, 3, 15, 22, 0, tzinfo=UTC)):  # 15 March, 23:00 in Amsterdam
        assert anonymise_due() == {"anonymised": 0, "failed": 0, "files_from_earlier_runs": 0}
    sensitive.refresh_from_db()
    assert sensitive.anonymised_at is None and sensitive.name == "Anna Pietersen-Vlaskamp"


def test_after_the_retention_period_nothing_of_the_complainant_is_left_anywhere(sensitive: Complaint) -> None:
    before = text_of_every_table()
    assert all(word in before for word in SECRET_WORDS[:5])
    assert b"ZZTOPSECRET" in bytes_in_storage()

    with time_machine.travel(datetime(2028, 3, 16, 8, 0, tzinfo=UTC)):
        assert anonymise_due()["anonymised"] == 1

    after = text_of_every_table()
    left = [word for word in (*SECRET_WORDS, "Anna", "Vlaskamp Zorg", "Kees", "genegeerd") if word in after]
    assert not left, f"still in the database: {left}"
    assert b"ZZTOPSECRET" not in bytes_in_storage()
    assert b"Pietersen" not in bytes_in_storage()
    assert not FileErasure.objects.exists()


def test_what_feeds_the_reports_is_kept(sensitive: Complaint, director: User, back_office: User) -> None:
    sensitive.about_staff.add(back_office)
    with time_machine.travel(datetime(2028, 3, 17, tzinfo=UTC)):
        anonymise_due()
    kept = Complaint.objects.get(pk=sensitive.pk)
    assert kept.name == TOKEN and kept.email == "" and kept.phone == "" and kept.description == TOKEN
    assert kept.about == TOKEN and not kept.about_staff.exists()
    assert (kept.channel, kept.subject, kept.status, kept.outcome) == (
        sensitive.channel,
        sensitive.subject,
        Status.CLOSED,
        "well_founded",
    )
    assert kept.received_at == sensitive.received_at and kept.closed_at == CLOSED
    assert (kept.acknowledge_due, kept.contact_due, kept.resolve_due) == (
        sensitive.acknowledge_due,
        sensitive.contact_due,
        sensitive.resolve_due,
    )
    assert kept.assigned_to == director
    assert kept.attachments.get().size == sensitive.attachments.get().size
    assert kept.events.filter(kind="anonymised").exists()
    assert set(OutboxMessage.objects.filter(complaint=kept).values_list("kind", flat=True)) >= {"confirmation"}


def test_a_legal_hold_keeps_the_data_until_it_is_lifted(sensitive: Complaint, privacy_officer: User) -> None:
    hold = place_legal_hold(complaint=sensitive, by=privacy_officer, reason="Rechtszaak loopt")
    with time_machine.travel(datetime(2029, 1, 1, tzinfo=UTC)):
        assert anonymise_due()["anonymised"] == 0
        with pytest.raises(LegalHoldActive, match="Rechtszaak loopt"):
            anonymise.anonymise_complaint(complaint_pk=sensitive.pk, reason="retention")
        assert Complaint.objects.get(pk=sensitive.pk).name == "Anna Pietersen-Vlaskamp"
        lift_legal_hold(hold=hold, by=privacy_officer)
        assert anonymise_due()["anonymised"] == 1
    assert "Rechtszaak" not in text_of_every_table()


def test_a_failure_halfway_leaves_that_complaint_untouched_and_a_rerun_finishes(
    make_complaint: ComplaintFactory, sensitive: Complaint
) -> None:
    others = [close(make_complaint(name=f"Klager {n}"), at=CLOSED) for n in range(2)]
    real_scrub = anonymise._scrub
    calls = {"n": 0}

    def fail_in_the_second_complaint(rows: Any, fields: Any, files: Any, **also: Any) -> None:
        calls["n"] += 1
        real_scrub(rows, fields, files, **also)
        # The second complaint (by closing date and pk) breaks after its own row was scrubbed.
        scrubbed = rows.model is Complaint and Complaint.objects.filter(name=TOKEN).count() == 2
        if scrubbed and calls.setdefault("names", 0) == 0:
            calls["names"] = 1
            raise RuntimeError("disk full")

    with time_machine.travel(datetime(2028, 6, 1, tzinfo=UTC)):
        with mock.patch.object(anonymise, "_scrub", side_effect=fail_in_the_second_complaint):
            result = anonymise_due()
        assert result == {"anonymised": 2, "failed": 1, "files_from_earlier_runs": 0}
        complaints = list(Complaint.objects.order_by("closed_at", "pk"))
        untouched = [c for c in complaints if c.anonymised_at is None]
        assert len(untouched) == 1 and untouched[0].name != TOKEN and untouched[0].description != TOKEN
        assert anonymise_due()["anonymised"] == 1
    assert not Complaint.objects.filter(anonymised_at__isnull=True).exists()
    assert all(c.name == TOKEN for c in Complaint.objects.all()) and others


def test_an_interruption_mid_complaint_rolls_it_back_and_the_rerun_completes(sensitive: Complaint) -> None:
    real_scrub = anonymise._scrub

    def interrupted(rows: Any, fields: Any, files: Any, **also: Any) -> None:
        real_scrub(rows, fields, files, **also)
        if rows.model is Complaint:  # its own row scrubbed, the rest of its file not yet
            raise KeyboardInterrupt

    with time_machine.travel(datetime(2028, 6, 1, tzinfo=UTC)):
        with mock.patch.object(anonymise, "_scrub", side_effect=interrupted), pytest.raises(KeyboardInterrupt):
            anonymise_due()
        sensitive.refresh_from_db()
        assert sensitive.anonymised_at is None and sensitive.name == "Anna Pietersen-Vlaskamp"
        assert b"ZZTOPSECRET" in bytes_in_storage()
        assert anonymise_due()["anonymised"] == 1
    assert b"ZZTOPSECRET" not in bytes_in_storage()


def test_files_left_by_a_crash_after_the_commit_are_deleted_on_the_next_run(sensitive: Complaint) -> None:
    with time_machine.travel(datetime(2028, 6, 1, tzinfo=UTC)):
        # The first call clears earlier leftovers; the second, after the commit, dies.
        crash = mock.patch.object(anonymise, "finish_file_erasures", side_effect=[0, SystemExit])
        with crash, pytest.raises(SystemExit):
            anonymise_due()
        assert Complaint.objects.get(pk=sensitive.pk).anonymised_at is not None
        assert FileErasure.objects.count() == 3  # the attachment, the mail's attachment, the letter
        assert anonymise_due()["files_from_earlier_runs"] == 3
    assert b"ZZTOPSECRET" not in bytes_in_storage()


def test_the_cutoff_counts_months_in_amsterdam_time() -> None:
    now = datetime(2028, 3, 15, 23, 30, tzinfo=UTC)  # already 16 March in Amsterdam
    assert retention_cutoff(now=now, months=24) == datetime(2026, 3, 16, 23, 0, tzinfo=UTC)
    assert retention_cutoff(now=datetime(2028, 2, 29, 12, 0, tzinfo=UTC), months=1) == datetime(
        2028, 1, 29, 23, 0, tzinfo=UTC
    )


def test_with_nothing_due_the_sweep_uses_the_retention_index(make_complaint: ComplaintFactory) -> None:
    make_complaint()
    sql = str(due_for_anonymisation(cutoff=datetime(2026, 1, 1, tzinfo=UTC)).values("pk").query)
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        queryset = due_for_anonymisation(cutoff=datetime(2026, 1, 1, tzinfo=UTC)).values("pk")
        query, params = queryset.query.sql_with_params()
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(prefix + query, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "complaint_retention_idx" in plan, (sql, plan)


def test_sqlite_overwrites_what_anonymising_frees() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_after_a_sweep_the_old_row_versions_are_cleared(sensitive: Complaint) -> None:
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(datetime(2028, 3, 17, tzinfo=UTC)), CaptureQueriesContext(connection) as queries:
        assert anonymise_due()["anonymised"] == 1
    statements = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert 'VACUUM "complaints_complaint"' in statements and 'VACUUM "complaints_timelineevent"' in statements
    else:
        assert "PRAGMA wal_checkpoint(TRUNCATE)" in statements


def test_anonymising_costs_the_same_queries_however_long_the_history(make_complaint: ComplaintFactory) -> None:
    # One UPDATE per table of the complaint's file, whatever its number of rows: a retention
    # sweep costs per complaint, not per line of its history.
    from django.test.utils import CaptureQueriesContext

    from complaints.sentences import Sentence
    from complaints.timeline import record_event

    def queries_for(events: int) -> int:
        complaint = close(make_complaint(), at=CLOSED)
        for n in range(events):
            record_event(complaint=complaint, kind="note", message=Sentence("Notitie %(n)s", n=n))
        with CaptureQueriesContext(connection) as seen:
            assert anonymise.anonymise_complaint(complaint_pk=complaint.pk, reason="retention")
        return len(seen.captured_queries)

    assert queries_for(1) == queries_for(12)
