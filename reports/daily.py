"""The reports' figures per day of receipt, kept by the worker so that any period adds up
a few hundred small rows instead of aggregating every complaint in it.

A change to a complaint, its classification or its survey marks the day the complaint was
received as stale (`StaleDay`, in the same transaction as the change). The periodic job
`refresh_stale_days` computes those days again from the complaints, and a report refreshes
the stale days of its own period before it reads, so it is never behind. `rebuild` computes
every day again (`manage.py rebuild_report_figures`), for data written around the ORM.

What one day holds, in `DailyFigures.figures`: the number of complaints by channel, subject,
outcome, category, root cause, severity and satisfaction score; per deadline step the
complaints that met it, that reached it and the deadlines of those that have not (whether a
deadline counts as missed depends on the day the report is read). Beside it, the lead times
to each step in seconds, so percentiles over any period are exact. Only fields that survive
anonymisation are read."""

import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from complaints.models import Complaint, Outcome, Status
from lib.dates import local_date

from .models import DailyFigures, StaleDay

# (key, moment field, deadline field): the steps whose deadlines and lead times are reported.
STEPS = (
    ("acknowledge", "acknowledged_at", "acknowledge_due"),
    ("contact", "first_contact_at", "contact_due"),
    ("resolve", "closed_at", "resolve_due"),
)
DIMENSIONS = ("channel", "subject", "outcome", "category", "root_cause", "severity", "score")
FIELDS = (
    "received_at",
    "channel",
    "subject",
    "status",
    "outcome",
    "resolve_extension_reason",
    "classification__category",
    "classification__root_cause",
    "classification__severity",
    "survey__complaint",
    "survey__score",
    *(moment for _key, moment, _due in STEPS),
    *(due for _key, _moment, due in STEPS),
)


def pack(seconds: list[int]) -> bytes:
    """Lead times as little-endian signed 32-bit integers (about 68 years either way)."""
    packed = array("i", seconds)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack(packed: bytes) -> array[int]:
    values = array("i")
    values.frombytes(packed)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def mark_stale(received_at: datetime | None) -> None:
    """The day of receipt must be computed again (in the transaction of the change)."""
    if received_at is not None:
        StaleDay.objects.bulk_create([StaleDay(day=local_date(received_at))], ignore_conflicts=True)


def _bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(day, time.min), tz),
        timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz),
    )


def compute_day(day: date) -> tuple[dict[str, Any], dict[str, list[int]]] | None:
    """The figures of the complaints received on this (local) day and the lead times to each
    step in seconds, in order; None when there were none."""
    start, end = _bounds(day)
    rows = list(Complaint.objects.filter(received_at__gte=start, received_at__lt=end).values(*FIELDS).order_by())
    if not rows:
        return None
    # Keyed by the value itself: a choice (text), a category's or root cause's id (or None), a score.
    counts: dict[str, Counter[str | int | None]] = {name: Counter() for name in DIMENSIONS}
    steps: dict[str, dict[str, Any]] = {key: {"met": 0, "done": 0, "open_due": Counter()} for key, _m, _d in STEPS}
    lead_times: dict[str, list[int]] = {key: [] for key, _m, _d in STEPS}
    surveys = 0
    for row in rows:
        counts["channel"][row["channel"]] += 1
        counts["subject"][row["subject"]] += 1
        counts["outcome"][row["outcome"] or ""] += 1
        counts["category"][row["classification__category"]] += 1
        counts["root_cause"][row["classification__root_cause"]] += 1
        counts["severity"][row["classification__severity"] or ""] += 1
        if row["survey__complaint"] is not None:
            surveys += 1
            if row["survey__score"] is not None:
                counts["score"][row["survey__score"]] += 1
        withdrawn = row["status"] == Status.WITHDRAWN or row["outcome"] == Outcome.WITHDRAWN
        for key, moment_field, due_field in STEPS:
            moment, due = row[moment_field], row[due_field]
            if key == "resolve" and withdrawn:
                # A withdrawn complaint was not resolved: its deadline is neither met nor missed.
                continue
            step = steps[key]
            if moment is None:
                if due is not None and not withdrawn:
                    step["open_due"][due.isoformat()] += 1
                continue
            step["done"] += 1
            on_time = due is not None and local_date(moment) <= due
            if key == "resolve" and row["resolve_extension_reason"]:
                on_time = False  # an extended deadline does not count as met
            step["met"] += on_time
            lead_times[key].append(round((moment - row["received_at"]).total_seconds()))
    for step in steps.values():
        step["open_due"] = sorted(step["open_due"].items())
    figures = {
        "complaints": len(rows),
        "surveys": surveys,
        # Pairs rather than objects: the values keep their type (a category's id, None).
        "counts": {name: sorted(counter.items(), key=str) for name, counter in counts.items()},
        "steps": steps,
    }
    return figures, {key: sorted(values) for key, values in lead_times.items()}


def refresh(days: Iterable[date]) -> int:
    """Compute these days again; returns how many there were."""
    done = 0
    for day in sorted(set(days)):
        with transaction.atomic():
            # Unmarked first: a change committed after this statement marks the day again.
            StaleDay.objects.filter(day=day).delete()
            computed = compute_day(day)
            if computed is None:
                DailyFigures.objects.filter(day=day).delete()
            else:
                figures, lead_times = computed
                packed = {f"{key}_seconds": pack(seconds) for key, seconds in lead_times.items()}
                # An upsert: two reports refreshing the same day at once both succeed.
                DailyFigures.objects.bulk_create(
                    [DailyFigures(day=day, figures=figures, **packed)],
                    update_conflicts=True,
                    unique_fields=["day"],
                    update_fields=["figures", *packed],
                )
        done += 1
    return done


def refresh_stale(start: date | None = None, end: date | None = None, *, limit: int | None = None) -> int:
    """Compute the stale days (between start and end inclusive, when given) again."""
    stale = StaleDay.objects.order_by("day")
    if start is not None:
        stale = stale.filter(day__gte=start)
    if end is not None:
        stale = stale.filter(day__lte=end)
    days = stale.values_list("day", flat=True)
    return refresh(days[:limit] if limit else days)


def refresh_stale_days() -> int:
    """Periodic job: the days changed since the last run (at most a year of them per run)."""
    return refresh_stale(limit=366)


def rebuild() -> int:
    """Every day again, from the first complaint to the last; days without complaints go."""
    span = Complaint.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
    if span["first"] is None:
        DailyFigures.objects.all().delete()
        StaleDay.objects.all().delete()
        return 0
    first, last = local_date(span["first"]), local_date(span["last"])
    DailyFigures.objects.exclude(day__range=(first, last)).delete()
    return refresh(first + timedelta(days=n) for n in range((last - first).days + 1))


def figures_between(start: date, end: date) -> list[DailyFigures]:
    """The days from start to end inclusive that had complaints, brought up to date first."""
    refresh_stale(start, end)
    return list(DailyFigures.objects.filter(day__range=(start, end)).order_by("day"))
