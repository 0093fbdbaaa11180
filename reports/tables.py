"""The report as a list of tables: the one shape the page, the charts, the exports and the
PDF all draw from, so a figure can never differ between them."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from complaints.models import Channel, Outcome, Subject
from quality.models import Severity

from .figures import STEP_LABELS, Report


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    # "bar", "line" or "" (table only); which columns the chart plots, and their unit.
    chart: str = ""
    series: list[int] = field(default_factory=list)
    unit: str = ""
    description: str = ""
    max_value: float | None = None

    @property
    def cells(self) -> list[list[tuple[Any, str]]]:
        """Each row's values with the unit each one is shown with: only the charted columns
        carry the table's unit (a percentage beside the counts it was computed from)."""
        return [
            [(value, self.unit if index in self.series else "") for index, value in enumerate(row)] for row in self.rows
        ]


def month_label(month: date) -> str:
    # Dutch writes month names in lower case ("jan 2025"); Django's "M" capitalises them.
    return date_format(month, "b Y" if get_language().startswith("nl") else "M Y")


def _compare[K](
    key: str, title: str, label: str, report: Report, counter: str, names: Mapping[K, object], order: list[K]
) -> Table:
    current, previous = getattr(report.current, counter), getattr(report.previous, counter)
    keys = list(order) + sorted(
        (k for k in set(current) | set(previous) if k not in order), key=lambda k: (-current[k], str(names.get(k, k)))
    )
    rows = [[str(names.get(k, k)), current[k], previous[k]] for k in keys if k in order or current[k] or previous[k]]
    return Table(
        key=key,
        title=title,
        columns=[label, report.current.period.label, report.previous.period.label],
        rows=rows,
        chart="bar",
        series=[1, 2],
        description=_("Number of complaints received, this period compared with the previous one."),
    )


def build_tables(report: Report) -> list[Table]:
    cur, prev = report.current, report.previous
    cur_label, prev_label = cur.period.label, prev.period.label
    tables: list[Table] = []

    months, previous_months = cur.period.months(), prev.period.months()
    tables.append(
        Table(
            key="inflow_month",
            title=_("Inflow per month"),
            columns=[_("Month"), cur_label, prev_label],
            rows=[
                [month_label(m), cur.by_month[m], prev.by_month[previous_months[i]] if i < len(previous_months) else 0]
                for i, m in enumerate(months)
            ],
            chart="line",
            series=[1, 2],
            description=_("Complaints received per month; the previous period's same month alongside."),
        )
    )
    tables.append(
        _compare(
            "inflow_channel",
            _("Inflow by channel"),
            _("Channel"),
            report,
            "by_channel",
            dict(Channel.choices),
            list(Channel.values),
        )
    )
    tables.append(
        _compare(
            "inflow_subject",
            _("Inflow by subject"),
            _("The complaint concerns"),
            report,
            "by_subject",
            dict(Subject.choices),
            list(Subject.values),
        )
    )
    tables.append(
        _compare(
            "inflow_category", _("Inflow by category"), _("Category"), report, "by_category", report.category_names, []
        )
    )

    step_rows = []
    for key, label in STEP_LABELS.items():
        a, b = cur.steps[key], prev.steps[key]
        step_rows.append([str(label), a.percent, b.percent, a.met, a.judged, b.met, b.judged])
    tables.append(
        Table(
            key="deadlines",
            title=_("Deadline performance"),
            columns=[
                _("Step"),
                f"% {cur_label}",
                f"% {prev_label}",
                _("on time (%(period)s)") % {"period": cur_label},
                _("judged (%(period)s)") % {"period": cur_label},
                _("on time (%(period)s)") % {"period": prev_label},
                _("judged (%(period)s)") % {"period": prev_label},
            ],
            rows=step_rows,
            chart="bar",
            series=[1, 2],
            unit="%",
            max_value=100,
            description=_(
                "Share of complaints whose step was done by its deadline (in local dates), of those done or past "
                "their deadline. An extended resolution deadline does not count as met."
            ),
        )
    )
    tables.append(
        Table(
            key="lead_times",
            title=_("Lead times in days"),
            columns=[
                _("Step"),
                _("median (%(period)s)") % {"period": cur_label},
                _("90th percentile (%(period)s)") % {"period": cur_label},
                _("median (%(period)s)") % {"period": prev_label},
                _("90th percentile (%(period)s)") % {"period": prev_label},
            ],
            rows=[
                [
                    lead.label,
                    lead.median_days,
                    lead.p90_days,
                    prev.lead_times[key].median_days,
                    prev.lead_times[key].p90_days,
                ]
                for key, lead in cur.lead_times.items()
            ],
            chart="bar",
            series=[1, 2],
            unit=_("days"),
            description=_(
                "Calendar days from receipt; half of the complaints were faster than the median, "
                "nine in ten faster than the 90th percentile."
            ),
        )
    )
    tables.append(
        Table(
            key="open_by_age",
            title=_("Open complaints by age (today)"),
            columns=[_("Age"), _("Open complaints")],
            rows=[[label, count] for label, count in report.open_by_age],
            chart="bar",
            series=[1],
            description=_("Complaints still open today, by the number of days since receipt."),
        )
    )
    outcome_names = {"": _("not closed yet"), **dict(Outcome.choices)}
    tables.append(
        _compare("outcomes", _("Outcomes"), _("Outcome"), report, "by_outcome", outcome_names, [*Outcome.values, ""])
    )
    tables.append(
        _compare("root_causes", _("Root causes"), _("Root cause"), report, "by_root_cause", report.root_cause_names, [])
    )
    severity_names = {"": _("not set"), **dict(Severity.choices)}
    tables.append(
        _compare(
            "severity", _("Severity"), _("Severity"), report, "by_severity", severity_names, [*Severity.values, ""]
        )
    )
    tables.append(
        Table(
            key="actions",
            title=_("Corrective actions and their effect"),
            columns=[
                _("What"),
                _("Status"),
                _("By when"),
                _("Done on"),
                _("Category to watch"),
                _("Complaints in the 90 days before"),
                _("Complaints since done"),
                _("Effect"),
            ],
            rows=[
                [
                    effect.action.title,
                    effect.action.get_status_display(),
                    effect.action.due,
                    effect.action.done_at.date() if effect.action.done_at else None,
                    report.category_names.get(effect.action.category_id, "") if effect.action.category_id else "",
                    effect.before if effect.action.done_at else None,
                    effect.since if effect.action.done_at else None,
                    effect.action.get_check_result_display(),
                ]
                for effect in report.actions
            ],
            description=_("Open actions and those opened or done in the period."),
        )
    )
    tables.append(
        Table(
            key="actions_summary",
            title=_("Corrective actions in figures"),
            columns=[_("Figure"), pgettext("how many", "Number")],
            rows=[
                [_("opened in the period"), report.actions_opened],
                [_("done in the period"), report.actions_done],
                [_("open and overdue today"), report.actions_overdue],
            ],
        )
    )
    tables.append(
        Table(
            key="satisfaction",
            title=_("Satisfaction with the handling"),
            columns=[_("Score"), cur_label, prev_label],
            rows=[[f"{score}", cur.satisfaction[score], prev.satisfaction[score]] for score in range(1, 6)],
            chart="bar",
            series=[1, 2],
            description=_("Answers to the survey after closing, from 1 (very dissatisfied) to 5 (very satisfied)."),
        )
    )
    tables.append(
        Table(
            key="satisfaction_summary",
            title=_("Satisfaction in figures"),
            columns=[_("Figure"), cur_label, prev_label],
            rows=[
                [_("surveys sent"), cur.surveys_sent, prev.surveys_sent],
                [_("answered"), cur.answered, prev.answered],
                [_("response rate (%)"), cur.response_rate, prev.response_rate],
                [_("average score"), cur.average_score, prev.average_score],
            ],
        )
    )
    return tables
