import csv
import io
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from weasyprint import HTML

from accounts.roles import Role
from lib.documents import NoFetching
from quality.models import Category, Classification
from reports import periods
from reports.pdf import generate
from tests.conftest import make_user
from tests.reports.conftest import NOW, made_in_the_background
from tests.support.pdf import assert_archival_and_tagged

pytestmark = pytest.mark.django_db


@pytest.fixture
def management(db: None):
    return make_user("mona", Role.MANAGEMENT, last_name="Directie")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def exported(client, fmt: str, query: dict, capture) -> bytes:
    url = f"{reverse('reports:complaints_export', args=[fmt])}?{urlencode(query)}"
    return made_in_the_background(client, url, capture)


def read_csv(response) -> list[list[str]]:
    """The CSV as Dutch Excel reads it: a BOM, then semicolons."""
    data = response if isinstance(response, bytes) else b"".join(response.streaming_content)
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_management_sees_the_reports_and_nothing_else(management, year_of_complaints) -> None:
    client = client_for(management)
    with time_machine.travel(NOW, tick=False):
        assert client.get(reverse("reports:index")).status_code == 200
        assert client.get(reverse("complaints:home"))["Location"] == reverse("reports:index")
        assert client.get(reverse("complaints:list")).status_code == 403
        assert client.get(reverse("quality:actions")).status_code == 403
        assert client.get(reverse("quality:categories")).status_code == 403
        reference = year_of_complaints["C1"].reference
        assert client.get(reverse("complaints:detail", args=[reference])).status_code in (403, 404)


def test_other_roles_do_not_see_the_reports(back_office, director, privacy_officer, outsider) -> None:
    for user in (back_office, director, privacy_officer, outsider):
        assert client_for(user).get(reverse("reports:index")).status_code == 403
        assert client_for(user).get(reverse("reports:figures_export", args=["csv"])).status_code == 403


def test_the_page_shows_each_chart_with_its_numbers_in_a_table(quality_manager, year_of_complaints) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client_for(quality_manager).get(reverse("reports:index"), {"p": "2025"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') >= 8
    assert '<title id="chart-deadlines-title">' in html
    assert 'id="table-deadlines"' in html
    # 72,7 % acknowledged on time, in the chart's description and in the table.
    assert "72,7%" in html
    assert "style=" not in html.split("<main", 1)[1]


def test_an_unreadable_period_falls_back_to_the_last_twelve_months_with_a_message(quality_manager) -> None:
    client = client_for(quality_manager)
    for query in (
        {"p": "2026-Q9"},
        {"van": "gisteren", "tot": "2026-01-01"},
        {"van": "2026-02-01", "tot": "2026-01-01"},
    ):
        response = client.get(reverse("reports:index"), query)
        assert response.status_code == 200
        assert response.context["period"].key == "12m"
        assert response.context["problem"]


def test_the_figures_export_as_csv_and_xlsx_read_back(quality_manager, year_of_complaints) -> None:
    client = client_for(quality_manager)
    with time_machine.travel(NOW, tick=False):
        rows = read_csv(client.get(reverse("reports:figures_export", args=["csv"]), {"p": "2025"}))
        workbook_response = client.get(reverse("reports:figures_export", args=["xlsx"]), {"p": "2025"})
    assert workbook_response["Content-Disposition"] == 'attachment; filename="klachtcijfers-2025.xlsx"'
    channel_header = rows.index(next(r for r in rows if r and r[0] in ("Inflow by channel", "Instroom per kanaal")))
    assert rows[channel_header + 2][1:] == ["7", "1"]
    workbook = load_workbook(io.BytesIO(workbook_response.content))
    assert len(workbook.sheetnames) >= 10
    sheet = workbook[workbook.sheetnames[0]]
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[2][1] == 3  # January 2025
    assert values[2][2] == 0


def test_csv_comes_for_dutch_excel_or_as_rfc_4180(quality_manager, year_of_complaints) -> None:
    client = client_for(quality_manager)
    url = reverse("reports:figures_export", args=["csv"])
    with time_machine.travel(NOW, tick=False):
        dutch = read_csv(client.get(url, {"p": "2025"}))
        response = client.get(url, {"p": "2025", "indeling": "rfc4180"})
    standard_text = response.getvalue().decode("utf-8")
    assert not standard_text.startswith("\ufeff") and "\r\n" in standard_text
    standard = list(csv.reader(io.StringIO(standard_text)))

    def deadline_row(rows: list[list[str]]) -> list[str]:
        return next(r for r in rows if r and r[0] == "Ontvangst bevestigd binnen de termijn")

    # 8 of 11 acknowledged on time: 72.7 %, with a decimal comma for Excel and a point in RFC 4180.
    assert deadline_row(dutch)[1:5] == ["72,7", "66,7", "8", "11"]
    assert deadline_row(standard)[1:5] == ["72.7", "66.7", "8", "11"]


def test_the_anonymised_list_has_no_personal_data_and_reads_back(
    quality_manager, year_of_complaints, django_capture_on_commit_callbacks
) -> None:
    client = client_for(quality_manager)
    with time_machine.travel(NOW, tick=False):
        rows = read_csv(exported(client, "csv", {"p": "2025"}, django_capture_on_commit_callbacks))
        xlsx = exported(client, "xlsx", {"p": "2025"}, django_capture_on_commit_callbacks)
    assert len(rows) == 1 + 11
    flat = " ".join(" ".join(row) for row in rows)
    for personal in ("Jan Jansen", "Jansen B.V.", "@example.nl", "06 12345678", "monteur", "KL-2025"):
        assert personal not in flat
    first = rows[1]
    assert first[1] == "2025-01-01"  # C11, received 00:30 local on New Year's Day
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.max_row == 12


def test_a_category_that_looks_like_a_formula_stays_text_in_both_exports(
    quality_manager, year_of_complaints, django_capture_on_commit_callbacks
) -> None:
    evil = Category.objects.create(name='=HYPERLINK("http://evil.example","klik")')
    Classification.objects.filter(complaint=year_of_complaints["C3"]).update(category=evil)
    for starter in ("+", "-", "@", "\t"):
        Category.objects.create(name=f"{starter}cmd|' /C calc'!A0")
    client = client_for(quality_manager)
    with time_machine.travel(NOW, tick=False):
        rows = read_csv(exported(client, "csv", {"p": "2025"}, django_capture_on_commit_callbacks))
        xlsx = exported(client, "xlsx", {"p": "2025"}, django_capture_on_commit_callbacks)
        figures = client.get(reverse("reports:figures_export", args=["xlsx"]), {"p": "2025"})
    assert '\'=HYPERLINK("http://evil.example","klik")' in [row[4] for row in rows]
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","klik")' in cells
    book = load_workbook(io.BytesIO(figures.content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")))


def test_the_management_review_is_a_real_pdf_for_a_year_or_a_quarter(
    management, year_of_complaints, django_capture_on_commit_callbacks
) -> None:
    client = client_for(management)
    url = reverse("reports:review_pdf")
    with time_machine.travel(NOW, tick=False):
        content = made_in_the_background(client, f"{url}?p=2025", django_capture_on_commit_callbacks)
        assert client.post(f"{url}?p=12m").status_code == 404
        assert client.get(f"{url}?p=2025").status_code == 405
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "2025" in text
    assert "72,7%" in text
    assert "Jan Jansen" not in text
    assert_archival_and_tagged(content, title="Directiebeoordeling 2025 – Supportoplus")


def test_the_pdf_renderer_fetches_nothing_from_the_network_or_the_disk(year_of_complaints) -> None:
    Category.objects.filter(name="communicatie").update(
        name='<img src="http://169.254.169.254/x"><img src="file:///etc/passwd">'
    )
    fetcher = NoFetching()
    with time_machine.travel(NOW, tick=False):
        _name, _type, content = generate(periods.quarter(2025, 2), fetcher=fetcher)
    assert content.startswith(b"%PDF")
    # The names were escaped into text, so there was nothing to fetch at all.
    assert fetcher.refused == []


def test_the_pdf_fetcher_refuses_file_and_network_urls() -> None:
    fetcher = NoFetching()
    HTML(
        string='<img src="file:///etc/passwd"><img src="http://169.254.169.254/x">', base_url=None, url_fetcher=fetcher
    ).write_pdf()
    assert fetcher.refused == ["file:///etc/passwd", "http://169.254.169.254/x"]


def test_the_reports_page_takes_a_bounded_number_of_queries(
    quality_manager, year_of_complaints, django_assert_max_num_queries
) -> None:
    from reports import daily

    client = client_for(quality_manager)
    daily.refresh_stale()  # as the worker does every minute
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(20):
        assert client.get(reverse("reports:index"), {"p": "2025"}).status_code == 200


def test_a_computed_report_is_served_from_the_cache_and_says_when_it_was_computed(
    quality_manager, year_of_complaints, django_assert_max_num_queries
) -> None:
    client = client_for(quality_manager)
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("reports:index"), {"p": "2025"})
        # Only the session, the user and its roles: no complaint is read again.
        with django_assert_max_num_queries(4):
            response = client.get(reverse("reports:index"), {"p": "2025"})
    assert "15 januari 2026 12:00" in response.content.decode()


def test_the_warm_up_job_computes_the_periods_the_page_opens_with(
    year_of_complaints, django_assert_max_num_queries
) -> None:
    from reports.cache import report_for
    from reports.jobs import warm_reports

    with time_machine.travel(NOW, tick=False):
        assert warm_reports() == 3
        with django_assert_max_num_queries(0):
            assert report_for(periods.year(2025)).report.current.total == 11
            report_for(periods.last_twelve_months(NOW.date()))


def test_the_navigation_offers_management_only_the_reports(management, quality_manager) -> None:
    html = client_for(management).get(reverse("reports:index")).content.decode()
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert reverse("reports:index") in nav
    assert reverse("complaints:list") not in nav
    nav = client_for(quality_manager).get(reverse("reports:index")).content.decode().split("<nav", 1)[1]
    assert reverse("complaints:list") in nav.split("</nav>", 1)[0]
