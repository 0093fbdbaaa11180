from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from weasyprint import CSS, HTML

from accounts.http import AuthenticatedRequest
from accounts.models import User
from accounts.permissions import role_required
from accounts.roles import Role
from complaints.errors import ProcedureError
from complaints.models import OPEN_STATUSES, Complaint
from complaints.services import withdraw_for_erasure
from lib.dates import local_date
from lib.documents import NoFetching, archival_pdf
from lib.exports import ExportStatus

from . import export_jobs, selectors, services
from .forms import (
    AccessLogSearchForm,
    CompleteForm,
    EraseForm,
    ExportForm,
    ExtendForm,
    HoldForm,
    LinkForm,
    RectifyForm,
    RequestForm,
    RestrictForm,
    SearchForm,
    WithdrawForm,
)
from .models import (
    AccessAction,
    DataSubjectRequest,
    LegalHold,
    ProcessingRestriction,
    RequestExport,
    RequestKind,
)
from .registry import Category, Treatment, complaint_file
from .statement import statement

LOG_PAGE = 200


def _actor(request: AuthenticatedRequest) -> User:
    # Every view here is behind role_required: the user is logged in.
    return request.user


def limited_complaint_page(request: AuthenticatedRequest, complaint: Complaint) -> HttpResponse:
    """What back office staff see of a complaint they registered once it is handed over."""
    services.log_access(user=_actor(request), complaint=complaint, action=AccessAction.VIEW_LIMITED)
    return render(request, "privacy/complaint_limited.html", {"complaint": complaint})


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def processing_register(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "privacy/register.html", {"statement": statement(), "fields": _register_fields()})


def _register_fields() -> list[tuple[object, object, object, object]]:
    return [
        (
            declaration.model_class._meta.verbose_name,
            declaration.model_class._meta.get_field(field.name).verbose_name,  # type: ignore[union-attr]
            Category(field.category).label,
            Treatment(field.treatment).label,
        )
        for declaration in complaint_file()
        for field in declaration.personal
    ]


REGISTER_STYLESHEET = Path(__file__).resolve().parent / "assets" / "register.css"


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def processing_register_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """The register as a tagged PDF, for the privacy officer's records."""
    html = render_to_string(
        "privacy/register_document.html",
        {"statement": statement(), "fields": _register_fields(), "made_at": timezone.now()},
        request=request,
    )
    stylesheet = CSS(string=REGISTER_STYLESHEET.read_text(encoding="utf-8"), url_fetcher=NoFetching())
    pdf = archival_pdf(HTML(string=html, base_url=None, url_fetcher=NoFetching()), stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _("processing-register")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# The access log


@role_required(Role.QUALITY_MANAGER, Role.PRIVACY_OFFICER)
@require_GET
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    form = AccessLogSearchForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["reference"]:
            return redirect("privacy:access_log_complaint", form.cleaned_data["reference"].strip().upper())
        if form.cleaned_data["user"]:
            return redirect("privacy:access_log_user", form.cleaned_data["user"].pk)
    return render(request, "privacy/access_log.html", {"form": form})


@role_required(Role.QUALITY_MANAGER, Role.PRIVACY_OFFICER)
@require_GET
def access_log_complaint(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    # The log says who read a complaint and when, not what it says: no complaint role needed.
    complaint = get_object_or_404(Complaint.objects.only("pk", "reference"), reference=reference)
    entries = selectors.described(selectors.access_log_for_complaint(complaint)[:LOG_PAGE])
    return render(request, "privacy/access_log_entries.html", {"complaint": complaint, "entries": entries})


@role_required(Role.QUALITY_MANAGER, Role.PRIVACY_OFFICER)
@require_GET
def access_log_user(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=user_id)
    entries = selectors.described(selectors.access_log_for_user(subject.pk)[:LOG_PAGE])
    return render(request, "privacy/access_log_entries.html", {"subject": subject, "entries": entries})


# Legal holds


@role_required(Role.PRIVACY_OFFICER, Role.QUALITY_MANAGER)
@require_http_methods(["GET", "POST"])
def legal_holds(request: AuthenticatedRequest) -> HttpResponse:
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_legal_hold(
                complaint=form.cleaned_data["reference"],
                by=_actor(request),
                reason=form.cleaned_data["reason"],
            )
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Legal hold placed."))
            return redirect("privacy:holds")
    status = 400 if form.is_bound else 200
    return render(request, "privacy/holds.html", {"form": form, "holds": selectors.active_holds()}, status=status)


@role_required(Role.PRIVACY_OFFICER, Role.QUALITY_MANAGER)
@require_POST
def lift_legal_hold(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold, pk=pk)
    try:
        services.lift_legal_hold(hold=hold, by=_actor(request))
    except ProcedureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Legal hold lifted."))
    return redirect("privacy:holds")


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def lift_restriction(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    restriction = get_object_or_404(ProcessingRestriction, pk=pk)
    try:
        services.lift_restriction(restriction=restriction, by=_actor(request))
    except ProcedureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Restriction lifted."))
    if restriction.request_id:
        return redirect("privacy:request_detail", restriction.request_id)
    return redirect("privacy:requests")


# Data-subject requests


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    today = local_date(timezone.now())
    requests = list(selectors.requests_overview()[:200])
    return render(
        request,
        "privacy/request_list.html",
        {
            "requests": [(r, r.on_time(today)) for r in requests],
            "restrictions": selectors.active_restrictions(),
        },
    )


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def request_new(request: AuthenticatedRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, initial={"received_at": timezone.localtime().replace(second=0)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.register_request(
                kind=RequestKind(data["kind"]),
                received_at=data["received_at"],
                by=_actor(request),
                requester_name=data["requester_name"],
                requester_email=data["requester_email"],
                requester_phone=data["requester_phone"],
                notes=data["notes"],
            )
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            return redirect("privacy:request_detail", created.pk)
    status = 400 if form.is_bound else 200
    return render(request, "privacy/request_new.html", {"form": form}, status=status)


def _linked(dsr: DataSubjectRequest) -> list[Complaint]:
    return list(dsr.complaints.order_by("-received_at"))


def form_ids(name: str) -> str:
    """The ids of the fields of the request page's form `name`, e.g. id_erase_complaint."""
    return f"id_{name}_%s"


def _render_request(
    request: AuthenticatedRequest,
    dsr: DataSubjectRequest,
    *,
    bound: dict[str, object] | None = None,
    status: int = 200,
) -> HttpResponse:
    search = SearchForm(
        request.GET or None,
        initial={"email": dsr.requester_email, "phone": dsr.requester_phone, "name": dsr.requester_name},
    )
    terms = (
        search.cleaned_data if search.is_valid() else {k: search.initial.get(k, "") for k in ("email", "phone", "name")}
    )
    found = list(selectors.find_person(**terms).exclude(pk__in=dsr.complaints.values("pk"))[:50])
    linked = dsr.complaints.order_by("-received_at")
    restrictions = {r.complaint_id: r for r in selectors.active_restrictions().filter(complaint__in=linked)}
    holds = {h.complaint_id: h for h in selectors.active_holds().filter(complaint__in=linked)}
    # Several forms on one page share field names: each has ids of its own (form_ids).
    forms = {
        "link": LinkForm(found=Complaint.objects.filter(pk__in=[c.pk for c in found]), auto_id=form_ids("link")),
        "export": ExportForm(auto_id=form_ids("export")),
        "extend": ExtendForm(auto_id=form_ids("extend")),
        "rectify": RectifyForm(linked=linked, auto_id=form_ids("rectify")),
        "restrict": RestrictForm(linked=linked, auto_id=form_ids("restrict")),
        "withdraw": WithdrawForm(linked=linked.filter(status__in=OPEN_STATUSES), auto_id=form_ids("withdraw")),
        "erase": EraseForm(linked=linked, auto_id=form_ids("erase")),
        "complete": CompleteForm(auto_id=form_ids("complete")),
        **(bound or {}),
    }
    return render(
        request,
        "privacy/request_detail.html",
        {
            "dsr": dsr,
            "exports": dsr.exports.filter(requested_by=request.user).order_by("-requested_at")[:5],
            "on_time": dsr.on_time(local_date(timezone.now())),
            "search": search,
            "found": found,
            "linked": [(c, restrictions.get(c.pk), holds.get(c.pk)) for c in linked],
            "forms": forms,
        },
        status=status,
    )


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dsr = get_object_or_404(DataSubjectRequest, pk=pk)
    if request.method == "POST":
        # Any complaint not yet anonymised: the officer confirms which ones are the person's.
        form = LinkForm(
            request.POST, found=Complaint.objects.filter(anonymised_at__isnull=True), auto_id=form_ids("link")
        )
        if form.is_valid():
            try:
                services.link_complaints(
                    request=dsr, complaints=list(form.cleaned_data["complaints"]), by=_actor(request)
                )
            except ProcedureError as error:
                form.add_error(None, str(error))
            else:
                return redirect("privacy:request_detail", dsr.pk)
        return _render_request(request, dsr, bound={"link": form}, status=400)
    return _render_request(request, dsr)


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def request_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Ask the worker for the person's data; the page that follows shows its progress."""
    dsr = get_object_or_404(DataSubjectRequest, pk=pk)
    form = ExportForm(request.POST, auto_id=form_ids("export"))
    if not form.is_valid() or not _linked(dsr):
        if form.is_valid():
            form.add_error(None, _("Link the person's complaints to this request first."))
        return _render_request(request, dsr, bound={"export": form}, status=400)
    export = export_jobs.request_export(
        dsr=dsr, user=request.user, fmt=form.cleaned_data["format"], reason=form.cleaned_data["reason"]
    )
    return redirect("privacy:export_detail", export.pk)


def _own_export(request: AuthenticatedRequest, pk: int) -> RequestExport:
    # Only the privacy officer who asked sees it or downloads it; anyone else gets 404.
    return get_object_or_404(RequestExport.objects.select_related("request"), pk=pk, requested_by=request.user)


@role_required(Role.PRIVACY_OFFICER)
def export_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    return render(
        request,
        "privacy/export_detail.html",
        {"export": export, "dsr": export.request, "keep_hours": settings.EXPORT_KEEP_HOURS},
    )


@role_required(Role.PRIVACY_OFFICER)
def export_progress(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    """For the progress page's script: where the export stands."""
    return JsonResponse(_own_export(request, pk).progress())


@role_required(Role.PRIVACY_OFFICER)
def export_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The file, to hand to the person; each complaint in it is access-logged with the reason."""
    export = _own_export(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404("This export is not ready.")
    for complaint in _linked(export.request):
        services.log_access(
            user=_actor(request),
            complaint=complaint,
            action=AccessAction.EXPORT,
            detail=f"request {export.request.pk}, {export.fmt}",
            reason=export.reason,
        )
    mimetype = {"pdf": "application/pdf", "zip": "application/zip"}.get(export.fmt, "application/json")
    # FileResponse streams the file; role_required is typed for HttpResponse, and treats both alike.
    response = cast(HttpResponse, FileResponse(export.file.open("rb"), content_type=mimetype))
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _act(
    request: AuthenticatedRequest,
    pk: int,
    name: str,
    form_class: type,
    act: object,
    done: str,
    *,
    about_a_complaint: bool = True,
) -> HttpResponse:
    """One step on a request: the form of `name` on the request's page, `act` with its data,
    and the page again with the error, or back to it with `done` said."""
    dsr = get_object_or_404(DataSubjectRequest, pk=pk)
    # A form about one of the person's complaints offers the linked ones.
    ids = form_ids(name)
    form = (
        form_class(request.POST, linked=dsr.complaints.all(), auto_id=ids)
        if about_a_complaint
        else form_class(request.POST, auto_id=ids)
    )
    if form.is_valid():
        try:
            act(dsr, form.cleaned_data)  # type: ignore[operator]
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("privacy:request_detail", dsr.pk)
    return _render_request(request, dsr, bound={name: form}, status=400)


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def request_extend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(dsr: DataSubjectRequest, data: dict[str, Any]) -> None:
        services.extend_request(request=dsr, by=_actor(request), **data)

    done = _("The answer is put off; the person has been told.")
    return _act(request, pk, "extend", ExtendForm, act, done, about_a_complaint=False)


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def request_rectify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(dsr: DataSubjectRequest, data: dict[str, Any]) -> None:
        services.rectify(
            complaint=data["complaint"],
            field=data["field"],
            value=data["value"],
            by=_actor(request),
            request=dsr,
        )

    return _act(request, pk, "rectify", RectifyForm, act, _("The field has been rectified."))


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def request_restrict(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(dsr: DataSubjectRequest, data: dict[str, Any]) -> None:
        services.restrict_processing(
            complaint=data["complaint"], by=_actor(request), reason=data["reason"], request=dsr
        )

    return _act(request, pk, "restrict", RestrictForm, act, _("Processing is restricted."))


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def request_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(dsr: DataSubjectRequest, data: dict[str, Any]) -> None:
        withdraw_for_erasure(complaint=data["complaint"], by=_actor(request), reason=data["reason"])

    done = _("The handling has ended; the complaint can now be erased.")
    return _act(request, pk, "withdraw", WithdrawForm, act, done)


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def request_erase(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(dsr: DataSubjectRequest, data: dict[str, Any]) -> None:
        services.erase(complaint=data["complaint"], by=_actor(request), request=dsr)

    return _act(request, pk, "erase", EraseForm, act, _("The complaint's personal data has been erased."))


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def request_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(dsr: DataSubjectRequest, data: dict[str, Any]) -> None:
        services.complete_request(request=dsr, by=_actor(request), outcome=data["outcome"], refused=data["refused"])

    return _act(request, pk, "complete", CompleteForm, act, _("The request has been handled."), about_a_complaint=False)
