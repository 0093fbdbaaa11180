"""The figures on the reports page, for a period and the one before it.

Every figure about complaints is about the complaints *received* in the period (a cohort),
added up from the figures per day of receipt that reports.daily keeps; only the open
complaints by age and the corrective actions are counted from their own rows."""

from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import OPEN_STATUSES, Complaint
from lib.dates import local_date
from quality.models import ActionStatus, Category, CorrectiveAction, RootCause
from quality.selectors import with_effect

from . import daily
from .aggregates import percentile_of_sorted
from .models import DailyFigures
from .periods import Period

STEP_LABELS = {
    "acknowledge": gettext_lazy("Acknowledged within the deadline"),
    "contact": gettext_lazy("Contacted within the deadline"),
    "resolve": gettext_lazy("Resolved within the deadline"),
}
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
    by_month: Counter[date] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    by_subject: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    # By the category's or root cause's id; None for complaints not classified (yet).
    by_category: Counter[int | None] = field(default_factory=Counter)
    by_root_cause: Counter[int | None] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    steps: dict[str, StepResult] = field(default_factory=dict)
    lead_times: dict[str, LeadTime] = field(default_factory=dict)
    satisfaction: Counter[int] = field(default_factory=Counter)
    surveys_sent: int = 0

    def __post_init__(self) -> None:
        self.steps = {key: StepResult(key, str(label)) for key, label in STEP_LABELS.items()}
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


def _add_day(target: PeriodFigures, row: DailyFigures, today: date, samples: dict[str, array[int]]) -> None:
    day, figures = row.day, row.figures
    counts = figures["counts"]
    target.total += figures["complaints"]
    target.by_month[day.replace(day=1)] += figures["complaints"]
    for name, counter in (
        ("channel", target.by_channel),
        ("subject", target.by_subject),
        ("outcome", target.by_outcome),
        ("category", target.by_category),
        ("root_cause", target.by_root_cause),
        ("severity", target.by_severity),
        ("score", target.satisfaction),
    ):
        for value, n in counts[name]:
            counter[value] += n
    target.surveys_sent += figures["surveys"]
    for key, step in figures["steps"].items():
        result = target.steps[key]
        result.met += step["met"]
        # Reached, or past its deadline without having been reached.
        result.judged += step["done"] + sum(n for due, n in step["open_due"] if date.fromisoformat(due) < today)
        samples[key].extend(daily.unpack(getattr(row, f"{key}_seconds")))


def _fill_lead_times(target: PeriodFigures, samples: dict[str, array[int]]) -> None:
    for key, packed in samples.items():
        lead = target.lead_times[key]
        seconds = sorted(packed)
        median, p90 = percentile_of_sorted(seconds, 0.5), percentile_of_sorted(seconds, 0.9)
        lead.median = timedelta(seconds=median) if median is not None else None
        lead.p90 = timedelta(seconds=p90) if p90 is not None else None


def build_report(period: Period, *, now: datetime | None = None) -> Report:
    """1. Inflow, outcomes, classification, deadlines, lead times and satisfaction: added up
    from the figures per day of both periods (reports.daily). 2. Open complaints by age
    (today). 3. Corrective actions with their effect."""
    now = now or timezone.now()
    today = local_date(now)
    previous = period.previous()
    current_start, end = period.bounds()
    figures = {1: PeriodFigures(period), 0: PeriodFigures(previous)}

    # 1.
    samples = {cur: {key: array("i") for key in LEAD_TIME_LABELS} for cur in figures}
    for row in daily.figures_between(previous.start, period.end):
        cur = 1 if row.day >= period.start else 0
        _add_day(figures[cur], row, today, samples[cur])
    for cur, target in figures.items():
        _fill_lead_times(target, samples[cur])

    # 2.
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

    # 3.
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

    category_names: dict[int | None, str] = {c.pk: c.path for c in Category.objects.select_related("parent")}
    category_names[None] = _("not classified")
    root_cause_names: dict[int | None, str] = {r.pk: r.label for r in RootCause.objects.all()}
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
