"""The management review as a PDF: `generate(period) -> (filename, mimetype, bytes)`.

WeasyPrint gets a URL fetcher that refuses every URL: the document is self-contained
(inline SVG charts, the stylesheet passed as a string), so nothing in it — a category
name, say — can make the server fetch from the network or read its own files."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from lib.documents import NoFetching, archival_pdf
from organisation.selectors import get_organisation

from .cache import report_for
from .charts import chart_for
from .periods import Period
from .tables import build_tables

STYLESHEET = Path(__file__).resolve().parent / "assets" / "review.css"
PDF_MIMETYPE = "application/pdf"


def render_html(period: Period) -> str:
    report = report_for(period).report
    tables = build_tables(report)
    return render_to_string(
        "reports/review_pdf.html",
        {
            "period": period,
            "previous": report.previous.period,
            "report": report,
            "charts": [(table, chart_for(table)) for table in tables],
            "organisation": get_organisation(),
            "generated_at": timezone.now(),
        },
    )


def generate(period: Period, *, fetcher: NoFetching | None = None) -> tuple[str, str, bytes]:
    html = render_html(period)
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher or NoFetching())
    pdf = archival_pdf(HTML(string=html, base_url=None, url_fetcher=fetcher or NoFetching()), stylesheets=[stylesheet])
    return f"managementreview-{period.slug}.pdf", PDF_MIMETYPE, pdf


def annual(year: int, *, fetcher: NoFetching | None = None) -> tuple[str, str, bytes]:
    """The annual complaints report of `year` as a tagged PDF (reports.annual)."""
    from .annual import annual_report

    report = annual_report(year)
    html = render_to_string(
        "reports/annual_pdf.html",
        {"annual": report, "organisation": get_organisation(), "generated_at": timezone.now()},
    )
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher or NoFetching())
    pdf = archival_pdf(HTML(string=html, base_url=None, url_fetcher=fetcher or NoFetching()), stylesheets=[stylesheet])
    return f"jaarverslag-klachten-{year}.pdf", PDF_MIMETYPE, pdf
