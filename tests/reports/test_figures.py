from datetime import date, timedelta

import pytest
import time_machine

from complaints.models import Channel, Outcome, Subject
from reports import daily, periods
from reports.aggregates import percentile_of_sorted
from reports.figures import build_report
from reports.tables import build_tables
from tests.reports.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(year_of_complaints):
    with time_machine.travel(NOW, tick=False):
        return build_report(periods.year(2025))


def test_the_deadlines_were_counted_in_working_days_across_easter_and_new_year(year_of_complaints) -> None:
    assert year_of_complaints["C1"].acknowledge_due == date(2025, 4, 28)
    assert year_of_complaints["C1"].contact_due == date(2025, 5, 1)
    # 17 May 2025 is a Saturday: rolled to Monday.
    assert year_of_complaints["C1"].resolve_due == date(2025, 5, 19)
    assert year_of_complaints["C8"].acknowledge_due == date(2026, 1, 7)
    assert year_of_complaints["P2"].acknowledge_due == date(2024, 5, 14)


def test_the_inflow_is_counted_per_local_month_channel_and_subject(report) -> None:
    current = report.current
    assert current.total == 11
    assert report.previous.total == 3
    assert {m: n for m, n in current.by_month.items() if n} == {
        date(2025, 1, 1): 3,
        date(2025, 4, 1): 3,
        date(2025, 6, 1): 1,
        date(2025, 7, 1): 1,
        date(2025, 9, 1): 1,
        date(2025, 12, 1): 2,
    }
    assert {m: n for m, n in report.previous.by_month.items() if n} == {
        date(2024, 5, 1): 1,
        date(2024, 6, 1): 1,
        date(2024, 12, 1): 1,
    }
    assert current.by_channel == {Channel.WEB: 7, Channel.PHONE: 2, Channel.LETTER: 1, Channel.EMAIL: 1}
    assert current.by_subject == {Subject.SERVICE: 9, Subject.WORKING_METHOD: 2}


def test_the_deadline_percentages_match_the_hand_count(report) -> None:
    steps = report.current.steps
    assert (steps["acknowledge"].met, steps["acknowledge"].judged) == (8, 11)
    assert steps["acknowledge"].percent == 72.7
    assert (steps["contact"].met, steps["contact"].judged) == (6, 10)
    assert steps["contact"].percent == 60.0
    assert (steps["resolve"].met, steps["resolve"].judged) == (5, 8)
    assert steps["resolve"].percent == 62.5
    previous = report.previous.steps
    assert (previous["acknowledge"].met, previous["acknowledge"].judged) == (2, 3)
    assert (previous["contact"].met, previous["contact"].judged) == (3, 3)
    assert (previous["resolve"].met, previous["resolve"].judged) == (3, 3)


def test_the_lead_time_to_closing_has_the_hand_counted_median_and_90th_percentile(report) -> None:
    # Days to closing: 16, 19, 19, 23, 25, 33, 39, 39 (the withdrawn complaint left out).
    lead = report.current.lead_times["resolve"]
    assert lead.median_days == 24.0
    assert lead.p90_days == 39.0
    # P1 (10 days), P2 (14), P3 (3): median 10, 90th percentile 10 + 0.8 × 4.
    previous = report.previous.lead_times["resolve"]
    assert previous.median_days == 10.0
    assert previous.p90_days == 13.2


def test_outcomes_categories_and_root_causes_are_counted(report) -> None:
    current = report.current
    assert current.by_outcome == {
        Outcome.WELL_FOUNDED: 4,
        Outcome.UNFOUNDED: 2,
        Outcome.PARTLY_WELL_FOUNDED: 2,
        Outcome.WITHDRAWN: 1,
        "": 2,
    }
    assert current.by_category[None] == 3
    names = {report.category_names[k]: n for k, n in current.by_category.items() if k is not None}
    assert names == {
        "communicatie": 2,
        "bereikbaarheid": 2,
        "kwaliteit van het werk": 1,
        "facturatie": 2,
        "bejegening": 1,
    }
    causes = {report.root_cause_names[k]: n for k, n in current.by_root_cause.items() if k is not None}
    assert causes == {"onduidelijke informatie": 2}
    assert current.by_severity["high"] == 1


def test_satisfaction_counts_answers_of_the_period(report) -> None:
    current = report.current
    assert current.satisfaction == {4: 1, 2: 1, 5: 1}
    assert current.surveys_sent == 4
    assert current.response_rate == 75.0
    assert current.average_score == 3.67


def test_open_complaints_are_bucketed_by_age_today(report) -> None:
    # C7 (24 days) and C8 (16 days) are open.
    assert [count for _label, count in report.open_by_age] == [0, 0, 2, 0, 0]


def test_the_month_table_lines_up_each_month_with_the_same_month_a_year_earlier(report) -> None:
    table = next(t for t in build_tables(report) if t.key == "inflow_month")
    assert len(table.rows) == 12
    assert [row[1] for row in table.rows] == [3, 0, 0, 3, 0, 1, 1, 0, 1, 0, 0, 2]
    assert [row[2] for row in table.rows] == [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1]


def test_the_report_takes_a_bounded_number_of_queries(year_of_complaints, django_assert_max_num_queries) -> None:
    daily.refresh_stale()
    # The stale days, the figures per day, open complaints by age, the corrective actions and
    # their counts, the names of categories and root causes.
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(7):
        build_tables(build_report(periods.year(2025)))


def test_percentiles_interpolate_like_postgresql() -> None:
    days = [timedelta(days=d) for d in (16, 19, 19, 23, 25, 33, 39, 39)]
    assert percentile_of_sorted(days, 0.5) == timedelta(days=24)
    assert percentile_of_sorted([timedelta(days=d) for d in (3, 10, 14)], 0.9) == timedelta(days=13.2)
    assert percentile_of_sorted([3, 10, 14], 0.9) == pytest.approx(13.2)
    assert percentile_of_sorted([], 0.5) is None


def test_the_timing_command_reports_computing_and_serving(year_of_complaints) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with time_machine.travel(NOW, tick=True):
        call_command("time_reports", "--period", "2025", "--runs", "1", stdout=out)
    assert "2025: computed in" in out.getvalue() and "served from the cache" in out.getvalue()
