from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.models import User
from lib.pagination import newest_first_page
from privacy.models import AccessAction
from privacy.services import log_access
from privacy.views import limited_complaint_page

from .forms import REFERENCE_PATTERN, ComplaintFilterForm
from .selectors import complaints_for, get_complaint_for

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    recent = complaints_for(user).select_related("assigned_to")[:10]
    return render(request, "complaints/home.html", {"recent": recent})


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ComplaintFilterForm(request.GET or None)
    complaints = complaints_for(user).select_related("assigned_to")
    cursor = None
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            complaints = complaints.filter(status=data["status"])
        if data["channel"]:
            complaints = complaints.filter(channel=data["channel"])
        query = data["q"].strip()
        if REFERENCE_PATTERN.match(query):
            complaints = complaints.filter(reference=query.upper())
        elif query:
            # Not among the complaints of which the user may only see reference and status.
            complaints = complaints.filter(name__icontains=query, contents_visible=True)
        cursor = data["cursor"] or None
    page = newest_first_page(complaints, field="received_at", cursor=cursor, size=PAGE_SIZE)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v and k != "cursor"}
    next_url = "?" + urlencode({**filters, "cursor": page.next_cursor}) if page.next_cursor else None
    first_url = "?" + urlencode(filters) if not page.is_first else None
    return render(
        request,
        "complaints/complaint_list.html",
        {"form": form, "page": page, "next_url": next_url, "first_url": first_url},
    )


@login_required
def complaint_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    complaint = get_complaint_for(user, reference, contents=False)
    if not complaint.contents_visible:
        return limited_complaint_page(request, complaint)
    log_access(user=user, complaint=complaint, action=AccessAction.VIEW)
    events = complaint.events.select_related("actor")
    return render(
        request,
        "complaints/complaint_detail.html",
        {"complaint": complaint, "attachments": complaint.attachments.all(), "events": events},
    )


@login_required
def attachment_download(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    user: User = request.user  # type: ignore[assignment]
    complaint = get_complaint_for(user, reference)
    # An anonymised complaint's files are gone from storage.
    attachment = get_object_or_404(complaint.attachments.exclude(file=""), pk=attachment_id)
    log_access(user=user, complaint=complaint, action=AccessAction.ATTACHMENT, detail=f"attachment {attachment.pk}")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
