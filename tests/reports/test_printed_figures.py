"""Every figure as a person reads it, on the reports page and in the management-review PDF,
against the hand count of the seeded year (tests/reports/conftest.py): a wrong unit, a
column shifted or an off-by-one period shows up here, not in the boardroom."""

import io
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import html
from pypdf import PdfReader

from accounts.roles import Role
from complaints.models import Channel, Outcome, Subject
from tests.conftest import make_user
from tests.reports.conftest import NOW, made_in_the_background

pytestmark = pytest.mark.django_db


def label(choice: object) -> str:
    with translation.override("nl"):
        return str(choice)


# Rows: label, then the cells as printed. 2025 is the period, 2024 the one before.
DEADLINES = [
    # 8 of 11 acknowledged on time (72,7 %), 2 of 3 the year before; the counts beside them plain.
    ["72,7%", "66,7%", "8", "11", "2", "3"],
    ["60,0%", "100,0%", "6", "10", "3", "3"],
    ["62,5%", "100,0%", "5", "8", "3", "3"],
]
INFLOW_BY_MONTH = [
    ["3", "0"], ["0", "0"], ["0", "0"], ["3", "0"], ["0", "1"], ["1", "1"],
    ["1", "0"], ["0", "0"], ["1", "0"], ["0", "0"], ["0", "0"], ["2", "1"],
]  # fmt: skip


def tables_of(page: bytes) -> dict[str, list[list[str]]]:
    tree = html.fromstring(page)
    found = {}
    for table in tree.xpath("//table[starts-with(@id, 'table-')]"):
        rows = table.xpath("tbody/tr")
        cells = [[" ".join(cell.text_content().split()) for cell in row.xpath("th|td")] for row in rows]
        found[table.get("id").removeprefix("table-")] = cells
    return found


def by_label(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows}


@pytest.fixture
def page(quality_manager, year_of_complaints) -> dict[str, list[list[str]]]:
    client = Client()
    client.force_login(quality_manager)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("reports:index"), {"p": "2025"})
    assert response.status_code == 200
    return tables_of(response.content)


def test_the_deadline_table_prints_percentages_as_percentages_and_counts_as_counts(page) -> None:
    assert [row[1:] for row in page["deadlines"]] == DEADLINES


def test_the_inflow_tables_print_the_hand_count(page) -> None:
    assert [row[1:] for row in page["inflow_month"]] == INFLOW_BY_MONTH
    assert page["inflow_month"][0][0] == "jan 2025"
    channels = by_label(page["inflow_channel"])
    assert channels[label(Channel.WEB.label)] == ["7", "1"]
    assert channels[label(Channel.PHONE.label)] == ["2", "1"]
    assert channels[label(Channel.LETTER.label)] == ["1", "1"]
    assert channels[label(Channel.EMAIL.label)] == ["1", "0"]
    subjects = by_label(page["inflow_subject"])
    assert subjects[label(Subject.SERVICE.label)] == ["9", "3"]
    assert subjects[label(Subject.WORKING_METHOD.label)] == ["2", "0"]
    categories = by_label(page["inflow_category"])
    assert categories["communicatie"] == ["2", "1"]
    assert categories["facturatie"] == ["2", "0"]
    assert categories["kwaliteit van het werk"] == ["1", "0"]


def test_lead_times_outcomes_age_and_satisfaction_print_the_hand_count(page) -> None:
    # Closing: median 24 and 90th percentile 39 days; the year before 10 and 13,2.
    assert page["lead_times"][2][1:] == ["24,0", "39,0", "10,0", "13,2"]
    outcomes = by_label(page["outcomes"])
    assert outcomes[label(Outcome.WELL_FOUNDED.label)] == ["4", "2"]
    assert outcomes[label(Outcome.UNFOUNDED.label)] == ["2", "1"]
    assert outcomes[label(Outcome.PARTLY_WELL_FOUNDED.label)] == ["2", "0"]
    assert outcomes[label(Outcome.WITHDRAWN.label)] == ["1", "0"]
    assert outcomes["nog niet afgesloten"] == ["2", "0"]
    # C7 (24 days old) and C8 (16 days) are open on 15 January 2026.
    assert [row[1:] for row in page["open_by_age"]] == [["0"], ["0"], ["2"], ["0"], ["0"]]
    assert [row[1:] for row in page["satisfaction"]] == [["0", "0"], ["1", "0"], ["0", "0"], ["1", "0"], ["1", "0"]]
    summary = [row[1] for row in page["satisfaction_summary"]]
    # Four surveys sent, three answered (75 %), scores 4, 2 and 5: on average 3,7.
    assert summary == ["4", "3", "75,0", "3,7"]


def test_the_headers_say_what_the_columns_hold(quality_manager, year_of_complaints) -> None:
    client = Client()
    client.force_login(quality_manager)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("reports:index"), {"p": "2025"})
    tree = html.fromstring(response.content)

    def headers(key: str) -> list[str]:
        return [" ".join(th.text_content().split()) for th in tree.xpath(f"//table[@id='table-{key}']/thead//th")]

    assert headers("actions_summary") == ["Cijfer", "Aantal"]
    assert headers("open_by_age") == ["Leeftijd", "Openstaande klachten"]
    assert headers("deadlines")[1:3] == ["% 2025", "% 2024"]
    # The deadline table's seven columns get the full width, under the chart.
    assert tree.xpath("//table[@id='table-deadlines']/ancestor::div[contains(@class, 'stacked')]")


def test_the_management_review_pdf_prints_the_same_figures(
    year_of_complaints, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    client.force_login(make_user("mona", Role.MANAGEMENT, last_name="Directie"))
    with time_machine.travel(NOW, tick=False):
        content = made_in_the_background(
            client, f"{reverse('reports:review_pdf')}?p=2025", django_capture_on_commit_callbacks
        )
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    for cells in DEADLINES:
        assert re.search(r"\s".join(re.escape(cell) for cell in cells), text), cells
    # No count is printed as a percentage.
    assert not re.search(r"(?<![\d,])(8|11|6|10|5)%", text)
    assert "24,0 39,0 10,0 13,2" in text
