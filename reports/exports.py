"""The figures and an anonymised complaint list as CSV and XLSX.

Every text cell goes through `neutralise`: a value that a spreadsheet would read as a
formula (= + - @, or a leading tab or carriage return) gets a leading apostrophe, so a
category named "=HYPERLINK(...)" stays text (CSV/XLSX formula injection)."""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, BinaryIO

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from complaints.models import Channel, Complaint, Outcome, Status, Subject
from quality.models import Category, Severity

from .periods import Period
from .tables import Table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return neutralise(str(value)) if not isinstance(value, (int, float)) else value


# --- The figures ----------------------------------------------------------------------------


def figures_rows(tables: list[Table], period: Period) -> Iterator[list[object]]:
    yield [_cell(_("Complaints report")), _cell(period.label), period.start.isoformat(), period.end.isoformat()]
    for table in tables:
        yield []
        yield [_cell(table.title)]
        yield [_cell(c) for c in table.columns]
        for row in table.rows:
            yield [_cell(v) for v in row]


def figures_xlsx(tables: list[Table], period: Period) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        title = sheet_title(table.title, used) or table.key[:31]
        used.add(title)
        sheet = workbook.create_sheet(title)
        sheet.append([_cell(table.title), _cell(period.label)])
        sheet.append([_cell(c) for c in table.columns])
        for row in table.rows:
            sheet.append([_xlsx_cell(v) for v in row])
        sheet.column_dimensions["A"].width = 40
        for index in range(2, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(text: str, used: set[str]) -> str:
    """A spreadsheet tab's name: at most 31 characters, none of []:*?/\\, cut between words, and
    unique (a number added when two would read the same)."""
    clean = " ".join("".join(ch for ch in text if ch not in "[]:*?/\\").split())
    cut = clean.rfind(" ", 0, 32)
    title = clean if len(clean) <= 31 else (clean[:cut].rstrip(" ,;-–") if cut > 0 else clean[:31])
    candidate, number = title, 2
    while candidate in used:
        suffix = f" ({number})"
        candidate, number = title[: 31 - len(suffix)].rstrip() + suffix, number + 1
    return candidate


def _xlsx_cell(value: object) -> object:
    # Dates stay dates in a spreadsheet; everything else as in CSV.
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    if isinstance(value, date):
        return value
    return _cell(value)


# --- The anonymised complaint list ----------------------------------------------------------


def complaint_columns() -> list[str]:
    return [
        _("Number"),
        _("Received on"),
        _("Channel"),
        _("The complaint concerns"),
        _("Category"),
        _("Root cause"),
        _("Severity"),
        _("Status"),
        _("Outcome"),
        _("Acknowledged on time"),
        _("Contacted on time"),
        _("Resolved on time"),
        _("Days to closing"),
        _("Satisfaction"),
    ]


def _anonymised(period: Period) -> QuerySet[Complaint, tuple[Any, ...]]:
    """Only fields that survive anonymisation: no names, addresses, descriptions or references."""
    start, end = period.bounds()
    tz = timezone.get_current_timezone()

    def on_time(moment: str, due: str) -> Case:
        return Case(
            When(**{f"{moment}__isnull": True}, then=Value(None)),
            When(Q(**{f"{moment}_day__lte": F(due)}), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )

    return (
        Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(
            acknowledged_at_day=TruncDate("acknowledged_at", tzinfo=tz),
            first_contact_at_day=TruncDate("first_contact_at", tzinfo=tz),
            closed_at_day=TruncDate("closed_at", tzinfo=tz),
        )
        .annotate(
            ack_ok=on_time("acknowledged_at", "acknowledge_due"),
            contact_ok=on_time("first_contact_at", "contact_due"),
            resolve_ok=on_time("closed_at", "resolve_due"),
        )
        .order_by("received_at", "pk")
        .values_list(
            "received_at",
            "channel",
            "subject",
            "classification__category",
            "classification__root_cause__name",
            "classification__severity",
            "status",
            "outcome",
            "ack_ok",
            "contact_ok",
            "resolve_ok",
            "closed_at",
            "survey__score",
        )
    )


def _labels(choices: Sequence[tuple[str, object]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def complaint_rows(period: Period) -> Iterator[list[object]]:
    categories = {c.pk: c.path for c in Category.objects.select_related("parent")}
    # Labels resolved once: a lazy translation per cell costs more than the whole query.
    channels, subjects = _labels(Channel.choices), _labels(Subject.choices)
    severities, statuses, outcomes = _labels(Severity.choices), _labels(Status.choices), _labels(Outcome.choices)
    yes_no = {1: _("yes"), 0: _("no"), None: ""}
    for number, row in enumerate(_anonymised(period).iterator(chunk_size=2000), start=1):
        (
            received,
            channel,
            subject,
            category,
            root_cause,
            severity,
            status,
            outcome,
            ack,
            contact,
            resolve,
            closed,
            score,
        ) = row
        yield [
            number,
            timezone.localtime(received).date(),
            channels.get(channel, channel),
            subjects.get(subject, subject),
            categories.get(category, ""),
            root_cause or "",
            severities.get(severity, ""),
            statuses.get(status, status),
            outcomes.get(outcome, ""),
            yes_no[ack],
            yes_no[contact],
            yes_no[resolve],
            round((closed - received).total_seconds() / 86400, 1) if closed else None,
            score,
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[object]], *, dutch_excel: bool = True) -> Iterator[str]:
    """CSV lines one by one (for a streaming response).

    For Dutch Excel (the default): semicolons between the fields, decimal commas and a BOM
    first, so that Excel opens it in columns with the numbers as numbers and reads UTF-8.
    Otherwise RFC 4180: commas and decimal points, as other programs expect."""
    writer = csv.writer(_Echo(), delimiter=";" if dutch_excel else ",")
    if dutch_excel:
        yield "\ufeff"
    for row in rows:
        cells = [_cell(v) for v in row]
        if dutch_excel:
            cells = [str(v).replace(".", ",") if isinstance(v, float) else v for v in cells]
        yield writer.writerow(cells)


def write_complaints_csv(handle: BinaryIO, rows: Iterable[list[object]], *, dutch_excel: bool = True) -> None:
    header: list[list[object]] = [list(complaint_columns())]
    for line in csv_stream(itertools.chain(header, rows), dutch_excel=dutch_excel):
        handle.write(line.encode())


def write_complaints_xlsx(handle: BinaryIO, rows: Iterable[list[object]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(_("Complaints"), set()))
    sheet.append([_cell(c) for c in complaint_columns()])
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    workbook.save(handle)
