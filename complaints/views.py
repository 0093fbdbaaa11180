from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.models import User
from deadlines.display import calendar_for
from deadlines.status import soon_limit
from lib.pagination import newest_first_page
from outbox.models import MessageStatus, OutboxMessage
from privacy.models import AccessAction
from privacy.services import log_access
from privacy.views import limited_complaint_page
from quality.models import ComplaintLink, CorrectiveAction, SurveyInvitation
from reports.access import reports_only

from .errors import ProcedureError
from .forms import (
    REFERENCE_PATTERN,
    AgreementForm,
    AssignForm,
    CallForm,
    CloseForm,
    ComplaintFilterForm,
    DiscussionForm,
    ExtendForm,
    LinkPersonForm,
    PlanMeetingForm,
    ReasonForm,
)
from .models import Agreement, Attachment, Complaint, Status, TimelineEvent
from .rules import available_actions, is_quality_manager
from .selectors import (
    complaints_for,
    for_table,
    get_complaint_for,
    my_agreements,
    my_open_agreements,
    work_queues,
)
from .services import complete_agreement, staff_suggestions

PAGE_SIZE = 50


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """My work: the queues of what this user must act on, or their latest complaints."""
    user = request.user
    if reports_only(user):
        return redirect("reports:index")
    today, closed = calendar_for(request)
    queues = work_queues(user, today=today, limit=soon_limit(today, closure_days=closed))
    recent = [] if queues else for_table(complaints_for(user))[:10]
    context = {"queues": queues, "recent": recent, "agreements": my_agreements(user)}
    return render(request, "complaints/home.html", context)


@login_required
@require_POST
def complete_my_agreement(request: AuthenticatedRequest, agreement_id: int) -> HttpResponse:
    """Tick off an agreement one carries out, from My work: also when the complaint itself is
    outside one's reach."""
    user = request.user
    agreement = get_object_or_404(my_open_agreements(user).select_related("complaint"), pk=agreement_id)
    try:
        complete_agreement(agreement=agreement, by=user)
    except ProcedureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The agreement is ticked off."))
    return redirect("complaints:home")


@login_required
def complaint_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if reports_only(user):
        raise PermissionDenied
    form = ComplaintFilterForm(request.GET or None)
    complaints = for_table(complaints_for(user))
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
            # A name or a word from the description (trigram indexes on PostgreSQL); not among
            # the complaints of which the user may only see reference and status.
            complaints = complaints.filter(
                Q(name__icontains=query) | Q(description__icontains=query), contents_visible=True
            )
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
def complaint_detail(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    user = request.user
    # The quality section reads the survey and the classification in small queries of their
    # own: joined to the complaint's query they made it three times slower to plan.
    complaint = get_complaint_for(user, reference, contents=False, annotations=section_flags())
    if not complaint.contents_visible:
        return limited_complaint_page(request, complaint)
    log_access(user=user, complaint=complaint, action=AccessAction.VIEW)
    return render_detail(request, complaint)


def section_flags() -> dict[str, Exists]:
    """Whether the page's lists that are most often empty have rows, asked in the complaint's
    own query (an index probe each): an empty list then costs no query of its own. Each section
    reads its flag as `complaint.has_…` and asks the database itself when the flag is missing
    (a page rendered from a complaint fetched elsewhere)."""
    complaint = OuterRef("pk")
    return {
        "has_attachments": Exists(Attachment.objects.filter(complaint=complaint)),
        "has_agreements": Exists(Agreement.objects.filter(complaint=complaint)),
        "has_links": Exists(ComplaintLink.objects.filter(Q(first=complaint) | Q(second=complaint))),
        "has_corrective_actions": Exists(CorrectiveAction.complaints.through.objects.filter(complaint=complaint)),
        "has_failed_mail": Exists(OutboxMessage.objects.filter(complaint=complaint, status=MessageStatus.FAILED)),
        "has_about_staff": Exists(Complaint.about_staff.through.objects.filter(complaint=complaint)),
        "has_survey": Exists(SurveyInvitation.objects.filter(complaint=complaint)),
    }


def render_detail(
    request: AuthenticatedRequest,
    complaint: Complaint,
    *,
    bound: tuple[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The complaint page; after a refused action, with that action's form as it was sent."""
    user = request.user
    actions = available_actions(user, complaint)
    action_forms = blank_forms(user, complaint, actions)
    if bound is not None:
        action_forms[bound[0]] = bound[1]
    # One query per list, whatever its length, and none for a list known to be empty (see
    # section_flags); the contacts also serve the letters section.
    lists: list[str | Prefetch[str]] = [
        "contacts",
        Prefetch("events", queryset=TimelineEvent.objects.select_related("actor")),
    ]
    has_attachments = getattr(complaint, "has_attachments", True)
    has_agreements = getattr(complaint, "has_agreements", True)
    if has_attachments:
        lists.append("attachments")
    if has_agreements:
        lists.append(Prefetch("agreements", queryset=Agreement.objects.select_related("done_by")))
    prefetch_related_objects([complaint], *lists)
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "attachments": complaint.attachments.all() if has_attachments else [],
            "contacts": complaint.contacts.all(),
            "agreements": complaint.agreements.all() if has_agreements else [],
            "events": complaint.events.all(),
            "steps": steps(complaint),
            "actions": actions,
            "forms": action_forms,
            "person_suggestions": (
                staff_suggestions(complaint.about)
                if "link_person" in actions and complaint.about and not complaint.linked_staff
                else []
            ),
            "open_action": bound[0] if bound else "",
            "bound_form": bound[1] if bound else None,
            "action_error": error,
        },
        status=status,
    )


def blank_forms(user: User, complaint: Complaint, actions: frozenset[str]) -> dict[str, forms.Form]:
    result: dict[str, forms.Form] = {}
    if "assign" in actions:
        result["assign"] = AssignForm(complaint=complaint, prefix="assign")
    if "log_call" in actions:
        result["log_call"] = CallForm(
            prefix="call", initial={"at": timezone.localtime().replace(second=0, microsecond=0)}
        )
    if "plan_meeting" in actions:
        result["plan_meeting"] = PlanMeetingForm(prefix="meeting")
    if "discussion" in actions:
        result["discussion"] = DiscussionForm(prefix="discussion", initial={"summary": complaint.discussion_summary})
    if "agreement" in actions:
        result["agreement"] = AgreementForm(prefix="agreement", complaint=complaint)
    if "extend" in actions:
        result["extend"] = ExtendForm(prefix="extend")
    if "link_person" in actions:
        result["link_person"] = LinkPersonForm(prefix="person", complaint=complaint)
    if "close" in actions:
        result["close"] = CloseForm(prefix="close", allow_override=is_quality_manager(user))
    if "reopen" in actions:
        result["reopen"] = ReasonForm(prefix="reopen")
    if "withdraw" in actions:
        result["withdraw"] = ReasonForm(prefix="withdraw")
    return result


def steps(complaint: Complaint) -> list[tuple[object, bool, object]]:
    """The procedure's steps: (name, done, when) for the page's checklist."""
    return [
        (_("Received"), True, complaint.received_at),
        (_("Acknowledgement sent"), complaint.acknowledged_at is not None, complaint.acknowledged_at),
        (_("Handed over to a responsible person"), complaint.assigned_at is not None, complaint.assigned_at),
        (
            _("Contact with the complainant (a call, or an invitation to a meeting)"),
            complaint.first_contact_at is not None,
            complaint.first_contact_at,
        ),
        (_("Conversation held"), complaint.conversation_at is not None, complaint.conversation_at),
        (_("Confirmation of the conversation sent"), complaint.confirmed_at is not None, complaint.confirmed_at),
        (
            _("Closed") if complaint.status != Status.WITHDRAWN else _("Withdrawn"),
            complaint.closed_at is not None,
            complaint.closed_at,
        ),
    ]


@login_required
def attachment_download(request: AuthenticatedRequest, reference: str, attachment_id: int) -> FileResponse:
    user = request.user
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
