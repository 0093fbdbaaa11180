"""Removing a complaint's personal data, driven by privacy.registry.

What is kept (dates, channel, subject, classification, outcome, deadlines and when they were
met) still feeds the reports; what identifies anyone goes.

Append-only records and scrubbing. The timeline and the access log may never be changed by
the application, yet they hold personal text (a call summary, a sender's address). We keep
one table each and let anonymising, and only that, scrub the registry's columns: on
PostgreSQL the append-only trigger (migration privacy 0011) lets an UPDATE through only when
it turns personal columns into their anonymised form, on a complaint that is closed or
withdrawn and not on legal hold. There is no switch to announce the anonymiser: any session
could set it. A separate table for the personal text would have needed the timeline's writers
to change; this keeps their code and still leaves exactly one change that can be made to a
row, visible in the database's own rules."""

import logging
import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from complaints.errors import ProcedureError
from complaints.models import Complaint, Status
from complaints.sentences import Sentence
from complaints.timeline import record_event
from deadlines.calendar import add_months
from lib.dates import local_date
from organisation.selectors import get_organisation

from .models import AccessAction, AccessLog, DataSubjectRequest, FileErasure, LegalHold
from .registry import TOKEN, ModelDeclaration, PersonalField, Treatment, complaint_file
from .restriction import LegalHoldActive

logger = logging.getLogger(__name__)

# Dates and moments say nothing about a person; every other text in structured data might.
# The same pattern as the database's klachten_anonymised_json(), which checks our work.
_DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.+Z-]*)?")


def scrub_json(value: Any) -> Any:
    """Replace every text in a JSON value by the token, keeping keys, numbers, booleans and dates."""
    if isinstance(value, dict):
        return {key: scrub_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_json(item) for item in value]
    if isinstance(value, str) and value and not _DATE_LIKE.fullmatch(value):
        return TOKEN
    return value


def _rows_of(declaration: ModelDeclaration, complaint_pk: int) -> models.QuerySet[models.Model]:
    lookup = f"{declaration.complaint_path}__pk" if declaration.complaint_path else "pk"
    belongs = models.Q(**{lookup: complaint_pk})
    for path in declaration.also_paths:
        belongs |= models.Q(**{f"{path}__pk": complaint_pk})
    # The base manager: the access log's own manager refuses every update on purpose.
    return declaration.model_class._base_manager.filter(belongs)


def _scrub(
    rows: models.QuerySet[models.Model],
    fields: Iterable[PersonalField],
    files: list[str],
    *,
    loaded: models.Model | None = None,
    **also: object,
) -> None:
    """Apply the fields' treatments to `rows`: the plain ones in one UPDATE (with `also`), the
    files noted for deletion first, structured data scrubbed in Python and written back in one
    UPDATE each. `loaded`: the one row of `rows`, locked and read already, whose texts are known."""
    values: dict[str, object] = dict(also)
    fields = list(fields)
    stored = [f.name for f in fields if f.treatment == Treatment.DELETE_FILE]
    if stored:
        files.extend(name for names in rows.values_list(*stored) for name in names if name)
    for field in fields:
        name, treatment = field.name, Treatment(field.treatment)
        if treatment == Treatment.BLANK:
            values[name] = ""
        elif treatment == Treatment.TOKEN:
            # An empty text stays empty: nothing was there to replace.
            if loaded is not None:
                values[name] = TOKEN if getattr(loaded, name) else ""
            else:
                empty = models.When(**{name: ""}, then=models.Value(""))
                values[name] = models.Case(empty, default=models.Value(TOKEN))
        elif treatment == Treatment.NULL:
            relation = rows.model._meta.get_field(name)
            if isinstance(relation, models.ManyToManyField):
                links = relation.remote_field.through._base_manager  # type: ignore[union-attr]
                links.filter(**{f"{relation.m2m_field_name()}__in": rows.values("pk")}).delete()
            else:
                values[name] = None
        elif treatment == Treatment.DELETE_FILE:
            values[name] = ""
        elif treatment == Treatment.SCRUB_JSON:
            changed = []
            for row in rows.only("pk", name):
                scrubbed = scrub_json(getattr(row, name))
                if scrubbed != getattr(row, name):
                    setattr(row, name, scrubbed)
                    changed.append(row)
            # One UPDATE for all of them (the base manager: no model's own save() runs).
            rows.model._base_manager.bulk_update(changed, [name])
    if values:
        rows.update(**values)


def anonymise_complaint(
    *, complaint_pk: int, reason: str, by: User | None = None, request: DataSubjectRequest | None = None
) -> bool:
    """Anonymise one complaint, fully or not at all. Returns False when it already was.

    1. Lock the complaint; stop if it is anonymised already, still open or on legal hold.
    2. Apply every declaration of the registry to the rows of its file.
    3. Mark it anonymised and record that on the timeline.
    4. Note the files to delete in the same transaction; delete them after the commit."""
    files: list[str] = []
    declarations = complaint_file()
    rows = {declaration.model: _rows_of(declaration, complaint_pk) for declaration in declarations}
    with transaction.atomic():
        # One query locks the complaint and tells which tables hold rows of its file, so only those
        # are updated (of some twenty, a typical complaint has rows in eight).
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .filter(pk=complaint_pk)
            .annotate(
                held=models.Exists(LegalHold.objects.filter(complaint=models.OuterRef("pk"), lifted_at__isnull=True)),
                **{f"has_{i}": models.Exists(rows[d.model]) for i, d in enumerate(declarations) if d.complaint_path},
            )
            .first()
        )
        if complaint is None or complaint.anonymised_at is not None:
            return False
        if complaint.is_open:
            # The database refuses it too (the timeline's trigger): handling needs the data.
            raise ProcedureError(
                _("Complaint %(reference)s is still being handled: end its handling first.")
                % {"reference": complaint.reference}
            )
        if complaint.held:
            hold = LegalHold.objects.filter(complaint=complaint, lifted_at__isnull=True).first()
            raise LegalHoldActive(
                _("Complaint %(reference)s is on legal hold (%(reason)s).")
                % {"reference": complaint.reference, "reason": hold.reason if hold else ""}
            )
        for i, declaration in enumerate(declarations):
            if getattr(complaint, f"has_{i}", True):
                fields = [f for f in declaration.personal if f.treatment != Treatment.RETAIN]
                if declaration.complaint_path:
                    _scrub(rows[declaration.model], fields, files)
                else:
                    # The complaint's own row, locked and read above; marked anonymised in the same UPDATE.
                    _scrub(rows[declaration.model], fields, files, loaded=complaint, anonymised_at=timezone.now())
        record_event(
            complaint=complaint,
            kind="anonymised",
            actor=by,
            actor_label="" if by else _("system"),
            message=Sentence(
                gettext_noop("Personal data removed at the complainant's request.")
                if reason == "erasure"
                else gettext_noop("Personal data removed: the retention period has ended.")
            ),
            data={"reason": reason, **({"request": request.pk} if request else {})},
        )
        if by is not None:
            AccessLog.objects.create(
                user=by,
                complaint=complaint,
                action=AccessAction.ERASE,
                detail=f"request {request.pk}" if request else "",
            )
        erasures = FileErasure.objects.bulk_create(FileErasure(storage_name=name) for name in files)
        pks = [e.pk for e in erasures]
        transaction.on_commit(lambda: finish_file_erasures(pks), robust=True)
    logger.info("complaint %s anonymised (%s), %d files to delete", complaint_pk, reason, len(files))
    return True


def finish_file_erasures(pks: Iterable[int] | None = None) -> int:
    """Delete the noted files from storage, then their notes. Without pks: every leftover."""
    pending = FileErasure.objects.all() if pks is None else FileErasure.objects.filter(pk__in=list(pks))
    done = 0
    for erasure in pending:
        default_storage.delete(erasure.storage_name)
        erasure.delete()
        done += 1
    return done


def retention_cutoff(*, now: datetime | None = None, months: int | None = None) -> datetime:
    """Complaints closed before this moment have been kept long enough.

    Closed on 15 March 2026 with 24 months: anonymised from 15 March 2028 (Amsterdam time)."""
    now = now or timezone.now()
    months = get_organisation().retention_months if months is None else months
    last_day = add_months(local_date(now), -months)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def due_for_anonymisation(*, cutoff: datetime) -> models.QuerySet[Complaint]:
    """Closed complaints past their retention period, not on hold, oldest first.

    Served by complaint_retention_idx (anonymised_at, closed_at). Ordered by exactly those columns
    so PostgreSQL walks the index and stops at the limit: ordering by closed_at alone, it
    estimated anonymised_at and closed_at as independent and scanned the whole table
    (a million complaints: 280 ms, 38 000 pages; walking the index: 4 ms for 500 due, 0.02 ms
    with nothing due)."""
    active_hold = LegalHold.objects.filter(complaint=models.OuterRef("pk"), lifted_at__isnull=True)
    return (
        Complaint.objects.filter(anonymised_at__isnull=True, closed_at__lt=cutoff)
        .filter(status__in=(Status.CLOSED, Status.WITHDRAWN))
        .exclude(models.Exists(active_hold))
        .order_by("anonymised_at", "closed_at")
    )


def anonymise_due(*, limit: int = 500) -> dict[str, int]:
    """The periodic retention job. Each complaint in its own transaction; a failure on one is
    logged and leaves it untouched for the next run, the others go on. Interrupted runs leave
    every complaint either fully anonymised or untouched, so a rerun simply continues."""
    leftovers = finish_file_erasures()
    pks = list(due_for_anonymisation(cutoff=retention_cutoff()).values_list("pk", flat=True)[:limit])
    done = failed = 0
    for pk in pks:
        try:
            if anonymise_complaint(complaint_pk=pk, reason="retention"):
                done += 1
        except Exception:
            failed += 1
            logger.exception("anonymising complaint %s failed; it is retried on the next run", pk)
    if done:
        clear_old_row_versions()
    return {"anonymised": done, "failed": failed, "files_from_earlier_runs": leftovers}


def clear_old_row_versions() -> None:
    """The text that anonymising replaced stays readable in the database's files until the space
    is reused: in SQLite's write-ahead log (secure_delete clears freed space in the database file
    itself) and in PostgreSQL's dead row versions. Checkpoint or vacuum after a sweep. Not inside
    a transaction (VACUUM cannot run in one): then the next sweep does it."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            for declaration in complaint_file():
                cursor.execute("VACUUM " + connection.ops.quote_name(declaration.model_class._meta.db_table))
