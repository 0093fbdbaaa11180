"""The annual complaints report (jaarverslag klachten) of a calendar year: what an organisation
publishes about its complaints, anonymous by construction.

It holds counts only: no names, no text a person wrote, no corrective action's title. Every
count from 1 to SUPPRESS_BELOW - 1 is shown as "< 5", and a percentage or an average is shown
only when it rests on at least SUPPRESS_BELOW complaints, so no cell points at one person. In a
breakdown of a published total, one hidden count could be worked out from the total and the
others: then the smallest other count is hidden too ("×"). Rows are in the order of their
labels, never of their counts, which would tell the hidden ones apart.
The figures are those of the reports page (reports.figures, from the cached daily figures)
for the complaints received in the year; extensions and corrective actions are counted from
their own rows."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from complaints.models import Channel, Complaint, Outcome, Subject
from lib.dates import local_date
from quality.models import ActionStatus, CorrectiveAction, Effectiveness

from . import periods
from .cache import report_for
from .figures import STEP_LABELS, Report
from .tables import Table

SUPPRESS_BELOW = 5
# A count hidden only because another one could otherwise be worked out from the total.
HIDDEN = "×"


def shown(count: int) -> int | str:
    """A count as published: 0 and 5 or more as they are, 1 to 4 as "< 5"."""
    return f"< {SUPPRESS_BELOW}" if 0 < count < SUPPRESS_BELOW else count


def published(counts: Sequence[int]) -> list[int | str]:
    """The counts of a breakdown whose total is published, as shown (see the module's docstring)."""
    result = [shown(n) for n in counts]
    small = [i for i, n in enumerate(counts) if 0 < n < SUPPRESS_BELOW]
    others = [i for i, n in enumerate(counts) if n >= SUPPRESS_BELOW]
    if len(small) == 1 and others:
        result[min(others, key=lambda i: counts[i])] = HIDDEN
    return result


def _breakdown(labelled: Sequence[tuple[str, int]]) -> list[list[object]]:
    return [[label, value] for (label, _n), value in zip(labelled, published([n for _l, n in labelled]), strict=True)]


def share(part: int, whole: int) -> float | None:
    """A percentage, or nothing when it rests on fewer than SUPPRESS_BELOW complaints."""
    return round(100 * part / whole, 1) if whole >= SUPPRESS_BELOW else None


@dataclass(frozen=True)
class AnnualReport:
    year: int
    received: int
    # The year is still running: the figures are those so far.
    complete: bool
    tables: list[Table]
    computed_at: datetime

    @property
    def received_shown(self) -> int | str:
        return shown(self.received)


def years_with_complaints(today: date) -> list[int]:
    """The years a report can be made of: from the first complaint's up to this one, newest first."""
    first = Complaint.objects.order_by("received_at").values_list("received_at", flat=True).first()
    start = local_date(first).year if first else today.year
    return list(range(today.year, start - 1, -1))


def _names(choices: Sequence[tuple[str, object]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _counted(title: str, label: str, counter: Counter[str], names: dict[str, str], key: str) -> Table:
    rows = _breakdown([(names[value], counter[value]) for value in names])
    return Table(key=key, title=title, columns=[label, pgettext("how many", "Number")], rows=rows)


def _by_category(counter: Counter[int | None], category_names: dict[int | None, str]) -> list[tuple[str, int]]:
    labelled = [(category_names.get(category, _("not classified")), n) for category, n in counter.items() if n]
    return sorted(labelled)


def _extensions(year: periods.Period, category_names: dict[int | None, str]) -> Table:
    start, end = year.bounds()
    extended = Complaint.objects.filter(received_at__gte=start, received_at__lt=end).exclude(
        resolve_extension_reason=""
    )
    by_category: Counter[int | None] = Counter(
        dict(
            extended.values_list("classification__category")
            .annotate(n=Count("pk"))
            .values_list("classification__category", "n")
        )
    )
    rows: list[list[object]] = [[_("all complaints"), shown(sum(by_category.values()))]]
    rows += _breakdown(_by_category(by_category, category_names))
    return Table(
        key="extensions",
        title=_("Resolution deadline extended"),
        columns=[_("Category"), pgettext("how many", "Number")],
        rows=rows,
        description=_(
            "Complaints whose resolution deadline was extended, by category. The reasons are written by "
            "staff about one complaint each, so they are not published."
        ),
    )


def _actions(year: periods.Period, category_names: dict[int | None, str]) -> Table:
    start, end = year.bounds()
    done = CorrectiveAction.objects.filter(status=ActionStatus.DONE, done_at__gte=start, done_at__lt=end)
    counts = CorrectiveAction.objects.exclude(status=ActionStatus.CANCELLED).aggregate(
        opened=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        done=Count("pk", filter=Q(status=ActionStatus.DONE, done_at__gte=start, done_at__lt=end)),
    )
    checked = Counter(dict(done.exclude(check_result="").values_list("check_result").annotate(n=Count("pk"))))
    rows: list[list[object]] = [
        [_("opened in the year"), shown(counts["opened"])],
        [_("done in the year"), shown(counts["done"])],
    ]
    # What became of the actions done: a breakdown of the number done.
    rows += _breakdown(
        [(str(label), checked[value]) for value, label in Effectiveness.choices]
        + [(_("done, effect not checked yet"), counts["done"] - sum(checked.values()))]
    )
    return Table(
        key="actions",
        title=_("Corrective actions and their effect"),
        columns=[_("Figure"), pgettext("how many", "Number")],
        rows=rows,
        description=_("Measures we took because of complaints, and whether those complaints stopped afterwards."),
    )


def build_tables(report: Report, year: periods.Period) -> list[Table]:
    figures = report.current
    outcomes = _names(Outcome.choices)
    outcomes[""] = _("still being handled")
    tables = [
        _counted(_("Complaints by channel"), _("Channel"), figures.by_channel, _names(Channel.choices), "channel"),
        _counted(
            _("Complaints by subject"),
            _("The complaint concerns"),
            figures.by_subject,
            _names(Subject.choices),
            "subject",
        ),
        Table(
            key="category",
            title=_("Complaints by category"),
            columns=[_("Category"), pgettext("how many", "Number")],
            rows=_breakdown(_by_category(figures.by_category, report.category_names)),
        ),
        _counted(_("Outcome"), _("Outcome"), figures.by_outcome, outcomes, "outcome"),
        Table(
            key="deadlines",
            title=_("Deadlines met"),
            columns=[
                _("Step"),
                _("on time"),
                _("judged"),
                _("% on time"),
                _("median (days)"),
                _("90% within (days)"),
            ],
            rows=[
                [
                    str(label),
                    shown(figures.steps[key].met),
                    shown(figures.steps[key].judged),
                    share(figures.steps[key].met, figures.steps[key].judged),
                    figures.lead_times[key].median_days if figures.steps[key].judged >= SUPPRESS_BELOW else None,
                    figures.lead_times[key].p90_days if figures.steps[key].judged >= SUPPRESS_BELOW else None,
                ]
                for key, label in STEP_LABELS.items()
            ],
            series=[3],
            unit="%",
            description=_("A step is judged once it was taken, or when its deadline passed without it."),
        ),
        _extensions(year, report.category_names),
        _actions(year, report.category_names),
        Table(
            key="satisfaction",
            title=_("Satisfaction"),
            columns=[_("Figure"), _("Value")],
            rows=[
                [_("questionnaires sent"), figures.surveys_sent],
                [_("answered"), shown(figures.answered)],
                [_("response rate (%)"), share(figures.answered, figures.surveys_sent)],
                [
                    _("average score (1 to 5)"),
                    figures.average_score if figures.answered >= SUPPRESS_BELOW else None,
                ],
                *_breakdown([(_("score %(score)s") % {"score": n}, figures.satisfaction[n]) for n in range(1, 6)]),
            ],
        ),
    ]
    return tables


def annual_report(year: int, *, now: datetime | None = None) -> AnnualReport:
    now = now or timezone.now()
    period = periods.year(year)
    cached = report_for(period)
    return AnnualReport(
        year=year,
        received=cached.report.current.total,
        complete=year < local_date(now).year,
        tables=build_tables(cached.report, period),
        computed_at=cached.computed_at,
    )
