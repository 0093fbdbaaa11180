"""The figures on the reports page, computed with a handful of GROUP BY queries over
complaints received in the period and the one before it.

Only fields that survive anonymisation are read: dates and deadlines, channel, subject,
status, outcome, and the classification. Every figure is about the complaints *received*
in the period (a cohort), so each query is a range on the indexed `received_at`."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import OPEN_STATUSES, Complaint, Outcome, Status
from lib.dates import local_date
from quality.models import ActionStatus, Category, CorrectiveAction, RootCause, SurveyInvitation
from quality.selectors import with_effect

from .aggregates import PercentileCont, percentile_cont
from .periods import Period

STEPS = (
    # (key, moment field, deadline field, label)
    ("acknowledge", "acknowledged_at", "acknowledge_due", gettext_lazy("Acknowledged within the deadline")),
    ("contact", "first_contact_at", "contact_due", gettext_lazy("Contacted within the deadline")),
    ("resolve", "closed_at", "resolve_due", gettext_lazy("Resolved within the deadline")),
)
LEAD_TIME_LABELS = {
    "acknowledge": gettext_lazy("Receipt to acknowledgement"),
    "contact": gettext_lazy("Receipt to first contact"),
    "resolve": gettext_lazy("Receipt to closing"),
}
# Open complaints by age in days: (lowest age, highest age or None).
AGE_BUCKETS = ((0, 7), (8, 14), (15, 30), (31, 60), (61, None))
NOT_SET = "–"


@dataclass
class StepResult:
    key: str
    label: str
    met: int = 0
    judged: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.judged, 1) if self.judged else None


@dataclass
class LeadTime:
    key: str
    label: str
    median: timedelta | None = None
    p90: timedelta | None = None

    @staticmethod
    def days(value: timedelta | None) -> float | None:
        return round(value.total_seconds() / 86400, 1) if value is not None else None

    @property
    def median_days(self) -> float | None:
        return self.days(self.median)

    @property
    def p90_days(self) -> float | None:
        return self.days(self.p90)


@dataclass
class PeriodFigures:
    period: Period
    total: int = 0
    by_month: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)
    by_subject: Counter = field(default_factory=Counter)
    by_outcome: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)
    by_root_cause: Counter = field(default_factory=Counter)
    by_severity: Counter = field(default_factory=Counter)
    steps: dict[str, StepResult] = field(default_factory=dict)
    lead_times: dict[str, LeadTime] = field(default_factory=dict)
    satisfaction: Counter = field(default_factory=Counter)
    surveys_sent: int = 0

    def __post_init__(self) -> None:
        self.steps = {key: StepResult(key, str(label)) for key, _m, _d, label in STEPS}
        self.lead_times = {key: LeadTime(key, str(label)) for key, label in LEAD_TIME_LABELS.items()}

    @property
    def answered(self) -> int:
        return sum(self.satisfaction.values())

    @property
    def average_score(self) -> float | None:
        if not self.answered:
            return None
        return round(sum(score * n for score, n in self.satisfaction.items()) / self.answered, 2)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.answered / self.surveys_sent, 1) if self.surveys_sent else None


@dataclass
class ActionEffect:
    action: CorrectiveAction
    before: int
    since: int


@dataclass
class Report:
    current: PeriodFigures
    previous: PeriodFigures
    open_by_age: list[tuple[str, int]]
    actions: list[ActionEffect]
    actions_opened: int
    actions_done: int
    actions_overdue: int
    category_names: dict[int | None, str]
    root_cause_names: dict[int | None, str]
    today: date


def _period_flag(current_start: datetime) -> Case:
    return Case(When(received_at__gte=current_start, then=Value(1)), default=Value(0), output_field=IntegerField())


def _withdrawn() -> Q:
    return Q(status=Status.WITHDRAWN) | Q(outcome=Outcome.WITHDRAWN)


def _step_counts(today: date) -> dict[str, Count]:
    """Conditional counts per step: `met` (done by the deadline, in local dates) and `judged`
    (done, or its deadline has passed). A step not done on a withdrawn complaint is not judged;
    an extended resolution deadline does not count as met for "resolved within the deadline"."""
    tz = timezone.get_current_timezone()
    counts: dict[str, Count] = {}
    for key, moment, due, _label in STEPS:
        met = Q(**{f"{moment}__isnull": False}) & Q(LessThanOrEqual(TruncDate(moment, tzinfo=tz), F(due)))
        judged = Q(**{f"{moment}__isnull": False}) | (Q(**{f"{due}__lt": today}) & ~_withdrawn())
        if key == "resolve":
            met &= ~_withdrawn() & Q(resolve_extension_reason="")
            judged &= ~_withdrawn()
        counts[f"{key}_met"] = Count("pk", filter=met)
        counts[f"{key}_judged"] = Count("pk", filter=judged)
    return counts


def _durations() -> dict[str, ExpressionWrapper]:
    return {
        key: ExpressionWrapper(F(moment) - F("received_at"), output_field=DurationField())
        for key, moment, _due, _label in STEPS
    }


def _lead_time_filter(key: str) -> Q:
    moment = dict((k, m) for k, m, _d, _l in STEPS)[key]
    condition = Q(**{f"{moment}__isnull": False})
    return condition & ~_withdrawn() if key == "resolve" else condition


def _fill_lead_times(complaints, figures: dict[int, PeriodFigures], current_start: datetime) -> None:
    if connection.vendor == "postgresql":
        aggregates = {}
        for key, duration in _durations().items():
            for name, fraction in (("median", 0.5), ("p90", 0.9)):
                aggregates[f"{key}_{name}"] = PercentileCont(duration, fraction=fraction, filter=_lead_time_filter(key))
        for row in complaints.values("cur").annotate(**aggregates).order_by():
            for key in LEAD_TIME_LABELS:
                lead = figures[row["cur"]].lead_times[key]
                lead.median, lead.p90 = row[f"{key}_median"], row[f"{key}_p90"]
        return
    # Elsewhere: fetch only the moments of complaints that reached a step, and interpolate here.
    samples: dict[tuple[int, str], list[timedelta]] = {}
    rows = complaints.filter(
        Q(acknowledged_at__isnull=False) | Q(first_contact_at__isnull=False) | Q(closed_at__isnull=False)
    )
    for received, acknowledged, contacted, closed, status, outcome in rows.values_list(
        "received_at", "acknowledged_at", "first_contact_at", "closed_at", "status", "outcome"
    ).iterator():
        cur = 1 if received >= current_start else 0
        withdrawn = status == Status.WITHDRAWN or outcome == Outcome.WITHDRAWN
        for key, moment in (("acknowledge", acknowledged), ("contact", contacted), ("resolve", closed)):
            if moment is not None and not (key == "resolve" and withdrawn):
                samples.setdefault((cur, key), []).append(moment - received)
    for (cur, key), values in samples.items():
        lead = figures[cur].lead_times[key]
        lead.median, lead.p90 = percentile_cont(values, 0.5), percentile_cont(values, 0.9)


def build_report(period: Period, *, now: datetime | None = None) -> Report:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # These few aggregates over a year of rows gain nothing from JIT compilation (its
            # start-up cost dominates) and sort or hash far less than 32 MB; both settings end
            # with the transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '32MB'")
        return _build_report(period, now=now)


def _build_report(period: Period, *, now: datetime | None = None) -> Report:
    """1. Inflow, outcomes and deadline performance: one GROUP BY over both periods.
    2. Category, root cause and severity: one GROUP BY over the classification join.
    3. Lead times: percentiles per period. 4. Open complaints by age (today).
    5. Corrective actions with their effect. 6. Satisfaction per score."""
    now = now or timezone.now()
    today = local_date(now)
    tz = timezone.get_current_timezone()
    previous = period.previous()
    current_start, end = period.bounds()
    previous_start, _previous_end = previous.bounds()
    figures = {1: PeriodFigures(period), 0: PeriodFigures(previous)}
    complaints = Complaint.objects.filter(received_at__gte=previous_start, received_at__lt=end).annotate(
        cur=_period_flag(current_start)
    )

    # 1.
    rows = (
        complaints.annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("cur", "month", "channel", "subject", "outcome")
        .annotate(n=Count("pk"), **_step_counts(today))
        .order_by()
    )
    for row in cast(Iterable[dict[str, Any]], rows):
        target = figures[row["cur"]]
        n = row["n"]
        target.total += n
        month = row["month"]
        if isinstance(month, datetime):
            month = timezone.localtime(month, tz).date() if timezone.is_aware(month) else month.date()
        target.by_month[month] += n
        target.by_channel[row["channel"]] += n
        target.by_subject[row["subject"]] += n
        target.by_outcome[row["outcome"] or ""] += n
        for key in target.steps:
            target.steps[key].met += row[f"{key}_met"]
            target.steps[key].judged += row[f"{key}_judged"]

    # 2.
    for crow in (
        complaints.values("cur", "classification__category", "classification__root_cause", "classification__severity")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        target = figures[crow["cur"]]
        target.by_category[crow["classification__category"]] += crow["n"]
        target.by_root_cause[crow["classification__root_cause"]] += crow["n"]
        target.by_severity[crow["classification__severity"] or ""] += crow["n"]

    # 3.
    _fill_lead_times(complaints, figures, current_start)

    # 4.
    age_counts = {}
    for low, high in AGE_BUCKETS:
        condition = Q(received_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(received_at__gt=now - timedelta(days=high + 1))
        age_counts[f"age_{low}"] = Count("pk", filter=condition)
    ages = Complaint.objects.filter(status__in=OPEN_STATUSES).aggregate(**age_counts)
    open_by_age = [
        (
            _("%(low)s–%(high)s days") % {"low": low, "high": high}
            if high
            else _("more than %(low)s days") % {"low": low - 1},
            ages[f"age_{low}"],
        )
        for low, high in AGE_BUCKETS
    ]

    # 5.
    relevant = (
        Q(status=ActionStatus.OPEN)
        | Q(created_at__gte=current_start, created_at__lt=end)
        | Q(done_at__gte=current_start, done_at__lt=end)
    )
    before = (
        Complaint.objects.filter(
            classification__category=OuterRef("category"),
            received_at__lt=OuterRef("done_at"),
            received_at__gte=ExpressionWrapper(
                OuterRef("done_at") - Value(timedelta(days=90)), output_field=DateTimeField()
            ),
        )
        .order_by()
        .values("classification__category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    actions = list(
        with_effect(CorrectiveAction.objects.filter(relevant).exclude(status=ActionStatus.CANCELLED))
        .annotate(before=Coalesce(Subquery(before, output_field=IntegerField()), 0))
        .select_related("category__parent")
        .order_by("status", "due", "pk")[:100]
    )
    effects = [ActionEffect(action=a, before=a.before, since=a.complaints_since) for a in actions]  # type: ignore[attr-defined]
    counts = CorrectiveAction.objects.aggregate(
        opened=Count("pk", filter=Q(created_at__gte=current_start, created_at__lt=end)),
        done=Count("pk", filter=Q(done_at__gte=current_start, done_at__lt=end)),
        overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due__lt=today)),
    )

    # 6.
    for srow in (
        SurveyInvitation.objects.filter(complaint__received_at__gte=previous_start, complaint__received_at__lt=end)
        .annotate(
            cur=Case(
                When(complaint__received_at__gte=current_start, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values("cur", "score")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        target = figures[srow["cur"]]
        target.surveys_sent += srow["n"]
        if srow["score"] is not None:
            target.satisfaction[srow["score"]] += srow["n"]

    category_names: dict[int | None, str] = {c.pk: c.path for c in Category.objects.select_related("parent")}
    category_names[None] = _("not classified")
    root_cause_names: dict[int | None, str] = dict(RootCause.objects.values_list("pk", "name"))
    root_cause_names[None] = _("no root cause given")
    return Report(
        current=figures[1],
        previous=figures[0],
        open_by_age=open_by_age,
        actions=effects,
        actions_opened=counts["opened"],
        actions_done=counts["done"],
        actions_overdue=counts["overdue"],
        category_names=category_names,
        root_cause_names=root_cause_names,
        today=today,
    )
