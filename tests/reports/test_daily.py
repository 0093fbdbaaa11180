"""The figures per day of receipt (reports.daily): kept up to date by the changes themselves,
equal to a rebuild from the rows, and read by the reports."""

from datetime import date

import pytest
import time_machine

from quality.models import Category, Classification, SurveyInvitation
from quality.services import answer_survey
from reports import daily, periods
from reports.figures import build_report
from reports.models import DailyFigures, StaleDay
from tests.reports.conftest import NOW

pytestmark = pytest.mark.django_db


def report_2025():
    with time_machine.travel(NOW, tick=False):
        return build_report(periods.year(2025)).current


def test_a_registered_complaint_marks_its_local_day_of_receipt_stale(year_of_complaints) -> None:
    days = set(StaleDay.objects.values_list("day", flat=True))
    assert {c.received_at.astimezone(NOW.tzinfo).date() for c in year_of_complaints.values()} == days
    assert daily.refresh_stale_days() == len(days)
    assert not StaleDay.objects.exists()
    assert DailyFigures.objects.count() == len(days)


def test_a_change_after_the_figures_were_computed_is_in_the_next_report(year_of_complaints) -> None:
    before = report_2025()
    assert not StaleDay.objects.exists()  # the report brought its own days up to date
    # A classification changes and a survey is answered: each through the ORM's save.
    c3 = year_of_complaints["C3"]
    other = Category.objects.create(parent=None, name="wachttijd aan de telefoon")
    classification = Classification.objects.get(complaint=c3)
    classification.category = other
    classification.save()
    after = report_2025()
    assert after.by_category[other.pk] == 1
    assert after.by_category[classification.category_id] == 1
    assert sum(after.by_category.values()) == sum(before.by_category.values())

    unanswered = SurveyInvitation.objects.filter(score__isnull=True, complaint__received_at__year=2025).first()
    assert unanswered is not None
    answer_survey(invitation=unanswered, score=5)
    assert report_2025().satisfaction[5] == before.satisfaction[5] + 1


def kept_figures() -> dict[date, tuple]:
    return {
        row.day: (
            row.figures,
            *(bytes(getattr(row, f"{key}_seconds")) for key in ("acknowledge", "contact", "resolve")),
        )
        for row in DailyFigures.objects.all()
    }


def test_the_kept_figures_equal_a_rebuild_from_the_rows(year_of_complaints) -> None:
    report_2025()
    kept = kept_figures()
    assert any(lead_times for _figures, *lead_times in kept.values())
    DailyFigures.objects.create(day=date(2019, 1, 1), figures={})  # a day without complaints now
    assert daily.rebuild() > len(kept)
    assert kept_figures() == kept


def test_lead_times_are_packed_in_order_and_read_back_exactly() -> None:
    seconds = [-60, 0, 3600, 2_600_000, 2**31 - 1]
    assert list(daily.unpack(daily.pack(seconds))) == seconds
    assert daily.pack([1]) == b"\x01\x00\x00\x00"  # little-endian on every machine


def test_whether_a_deadline_was_missed_depends_on_the_day_the_report_is_read(make_complaint) -> None:
    with time_machine.travel(date(2025, 3, 3), tick=False):
        complaint = make_complaint()
    due = complaint.acknowledge_due
    with time_machine.travel(due, tick=False):
        today = build_report(periods.year(2025)).current.steps["acknowledge"]
    with time_machine.travel(date(due.year, due.month, due.day + 1), tick=False):
        tomorrow = build_report(periods.year(2025)).current.steps["acknowledge"]
    assert (today.met, today.judged) == (0, 0)
    assert (tomorrow.met, tomorrow.judged) == (0, 1)
