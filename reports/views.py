"""The reports page and its exports: for the quality manager and for management, who see
nothing else of the back office."""

from typing import cast

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.permissions import role_required
from accounts.roles import Role
from lib.dates import local_date
from lib.exports import ExportStatus
from organisation.selectors import get_organisation
from privacy.models import AccessAction
from privacy.services import log_access
from security import throttle
from security.middleware import too_many_requests

from . import export_jobs, exports, pdf, periods
from .annual import annual_report, years_with_complaints
from .cache import report_for
from .charts import chart_for
from .forms import PeriodForm
from .models import ExportKind, ReportExport
from .tables import build_tables

READERS = (Role.QUALITY_MANAGER, Role.MANAGEMENT)


def _period(request: HttpRequest) -> tuple[periods.Period, PeriodForm, str]:
    """The chosen period: a quick pick (?p=2026, ?p=2026-Q2, ?p=12m) or dates (?van=&tot=).
    Anything unreadable falls back to the last twelve months, with the reason shown."""
    today = local_date(timezone.now())
    form = PeriodForm(request.GET if "van" in request.GET or "tot" in request.GET else None)
    if form.is_bound:
        if form.is_valid():
            try:
                return periods.custom(form.cleaned_data["van"], form.cleaned_data["tot"]), form, ""
            except ValueError as error:
                form.add_error(None, str(error))
        return periods.last_twelve_months(today), form, _("The period could not be read; showing the last 12 months.")
    key = request.GET.get("p", "12m")
    period = periods.from_key(key, today=today)
    if period is None:
        problem = _(
            "“%(key)s” is not a period with figures: choose a year from 2000 up to %(year)s, a quarter such as "
            "%(example)s, or two dates. Shown instead: the last 12 months."
        ) % {"key": key[:20], "year": today.year + 1, "example": f"{today.year}-Q1"}
        return periods.last_twelve_months(today), form, problem
    return period, form, ""


def _query(period: periods.Period) -> str:
    if period.key:
        return f"p={period.key}"
    return f"van={period.start.isoformat()}&tot={period.end.isoformat()}"


@role_required(*READERS)
def index(request: AuthenticatedRequest) -> HttpResponse:
    period, form, problem = _period(request)
    cached = report_for(period)
    report = cached.report
    tables = build_tables(report)
    today = local_date(timezone.now())
    return render(
        request,
        "reports/index.html",
        {
            "period": period,
            "previous": report.previous.period,
            "report": report,
            "computed_at": cached.computed_at,
            "charts": [(table, chart_for(table)) for table in tables],
            "form": form,
            "problem": problem,
            "quick_picks": periods.quick_picks(today),
            "query": _query(period),
            "review_picks": [p for p in periods.quick_picks(today) if p.key != "12m"],
            "is_review_period": bool(period.key) and period.key != "12m",
            "annual_years": years_with_complaints(today)[:5],
        },
    )


@role_required(*READERS)
def figures_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    period, _form, _problem = _period(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Unknown format.")
    tables = build_tables(report_for(period).report)
    filename = f"klachtcijfers-{period.slug}.{fmt}"
    if fmt == "csv":
        # Streamed; role_required is typed for HttpResponse, and treats both alike.
        response = cast(
            HttpResponse,
            StreamingHttpResponse(
                exports.csv_stream(exports.figures_rows(tables, period), dutch_excel=_dutch_excel(request)),
                content_type=exports.CSV_MIMETYPE,
            ),
        )
    else:
        response = HttpResponse(exports.figures_xlsx(tables, period), content_type=exports.XLSX_MIMETYPE)
    return _attachment(response, filename)


@role_required(*READERS)
@require_POST
def complaints_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    """Ask the worker for the anonymised list of a period; the page that follows shows its progress."""
    period, _form, _problem = _period(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Unknown format.")
    user = request.user
    export = export_jobs.request_export(
        user=user,
        period=period,
        fmt=fmt,
        dutch_excel=_dutch_excel(request),
    )
    return redirect("reports:export_detail", export.pk)


def _own_export(request: HttpRequest, pk: int) -> ReportExport:
    # Only who asked sees it or downloads it; anyone else gets 404.
    return get_object_or_404(ReportExport, pk=pk, requested_by=request.user)


@role_required(*READERS)
def export_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    return render(
        request,
        "reports/export_detail.html",
        {
            "export": export,
            "keep_hours": settings.EXPORT_KEEP_HOURS,
            "period": export_jobs.period_of(export),
            # The management review is one document: there are no rows to count.
            "indeterminate": export.kind == ExportKind.REVIEW,
        },
    )


@role_required(*READERS)
def export_progress(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    """For the progress page's script: where the export stands."""
    return JsonResponse(_own_export(request, pk).progress())


@role_required(*READERS)
def export_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404("This export is not ready.")
    user = request.user
    log_access(user=user, complaint=None, action=AccessAction.REPORT_EXPORT, detail=f"export {export.pk}")
    mimetype = {"csv": exports.CSV_MIMETYPE, "xlsx": exports.XLSX_MIMETYPE, "pdf": pdf.PDF_MIMETYPE}[export.fmt]
    # FileResponse streams the file; role_required is typed for HttpResponse, and treats both alike.
    response = cast(HttpResponse, FileResponse(export.file.open("rb"), content_type=mimetype))
    return _attachment(response, export.filename)


@role_required(*READERS)
@require_POST
def review_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """Ask the worker for the management review of a year or a quarter (?p=2026 or ?p=2026-Q2)."""
    today = local_date(timezone.now())
    key = request.GET.get("p", str(today.year))
    period = periods.from_key(key, today=today)
    if period is None or period.key == "12m":
        raise Http404("The management review covers a year or a quarter.")
    user = request.user
    export = export_jobs.request_export(user=user, period=period, fmt="pdf", kind=ExportKind.REVIEW)
    return redirect("reports:export_detail", export.pk)


def _dutch_excel(request: HttpRequest) -> bool:
    """CSV as Dutch Excel reads it, unless RFC 4180 is asked for (?indeling=rfc4180)."""
    return request.GET.get("indeling") != "rfc4180"


def _attachment[R: HttpResponseBase](response: R, filename: str) -> R:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _annual_response(request: HttpRequest, year: int, *, public: bool) -> HttpResponse:
    today = local_date(timezone.now())
    years = years_with_complaints(today)
    if year not in years:
        raise Http404("No complaints report for that year.")
    return render(
        request,
        "reports/annual.html",
        {
            "annual": annual_report(year),
            "public": public,
            "base_template": "base.html" if public else "backoffice/base.html",
            "years": [y for y in years if not public or y < today.year],
        },
    )


@role_required(*READERS)
def annual(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The annual complaints report of any year, also the running one (figures so far)."""
    return _annual_response(request, year, public=False)


@role_required(*READERS)
def annual_pdf(request: AuthenticatedRequest, year: int) -> HttpResponse:
    if year not in years_with_complaints(local_date(timezone.now())):
        raise Http404("No complaints report for that year.")
    filename, mimetype, content = pdf.annual(year)
    return _attachment(HttpResponse(content, content_type=mimetype), filename)


def _finished_years() -> list[int]:
    """The years whose report the public may see, newest first: finished years, when the
    organisation publishes."""
    if not get_organisation().publish_annual_report:
        raise Http404("The organisation does not publish its complaints report.")
    today = local_date(timezone.now())
    return [y for y in years_with_complaints(today) if y < today.year]


def _published(year: int) -> int:
    if year not in _finished_years():
        raise Http404("No published complaints report for that year.")
    return year


def public_annual(request: HttpRequest, year: int | None = None) -> HttpResponse:
    if year is None:
        finished = _finished_years()
        if not finished:
            # Published, but the first year is still running (the footer links here already).
            return render(request, "reports/annual_none_yet.html")
        year = finished[0]
    return _annual_response(request, _published(year), public=True)


def public_annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    published = _published(year)
    # Each download renders the PDF: a visitor may not keep the server busy with it.
    limit = throttle.Limit.from_setting("annual_report_pdf")
    verdict = throttle.hit("annual-report-pdf", throttle.client_address(request), limit)
    if not verdict.allowed:
        return too_many_requests(request, verdict.retry_after)
    filename, mimetype, content = pdf.annual(published)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
