from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.models import User
from deadlines.display import calendar_for
from deadlines.status import soon_limit
from lib.pagination import newest_first_page
from outbox.models import MessageStatus, OutboxMessage
from privacy.models import AccessAction
from privacy.restriction import restricted
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
        "is_restricted": restricted(),
    }


@dataclass(frozen=True)
class PageAction:
    """A step the complaint page offers: a link to its URL, where GET shows the page with the
    step's form open and POST takes the step (complaints/actions.py)."""

    name: str
    url_name: str
    title: str
    submit: str
    primary: bool = True


def page_actions(complaint: Complaint, actions: frozenset[str]) -> list[PageAction]:
    """The steps of `actions` that have a form of their own, in the page's order."""
    # Asked only when the step is on offer (it may take a query).
    linked = "link_person" in actions and complaint.linked_staff
    offered = [
        PageAction(
            "assign",
            "assign",
            gettext("Reassign") if complaint.assigned_to_id else gettext("Hand over"),
            gettext("Hand over"),
        ),
        PageAction(
            "link_person",
            "link_person",
            gettext("Link another staff member") if linked else gettext("About a staff member?"),
            gettext("Link this person"),
            primary=False,
        ),
        PageAction("log_call", "log_call", gettext("Log a phone call"), gettext("Log the call")),
        PageAction("plan_meeting", "plan_meeting", gettext("Plan a meeting"), gettext("Plan the meeting")),
        PageAction(
            "discussion", "record_discussion", gettext("Summary of the conversation"), gettext("Save the summary")
        ),
        PageAction("agreement", "add_agreement", gettext("Record an agreement"), gettext("Record the agreement")),
        PageAction("extend", "extend", gettext("Extend the resolution deadline"), gettext("Extend")),
        PageAction("close", "close", gettext("Close the complaint"), gettext("Close the complaint")),
        PageAction("reopen", "reopen", gettext("Reopen the complaint"), gettext("Reopen")),
        PageAction(
            "withdraw",
            "withdraw",
            gettext("The complainant withdraws the complaint"),
            gettext("Record the withdrawal"),
            primary=False,
        ),
    ]
    return [action for action in offered if action.name in actions]


def render_detail(
    request: AuthenticatedRequest,
    complaint: Complaint,
    *,
    action: str = "",
    form: forms.Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The complaint page; with `action`, that step's form open: blank, or after a refused
    step as it was sent (`form`)."""
    user = request.user
    actions = available_actions(user, complaint)
    offered = page_actions(complaint, actions)
    person_suggestions = (
        staff_suggestions(complaint.about)
        if "link_person" in actions and complaint.about and not complaint.linked_staff
        else []
    )
    if not action and person_suggestions:
        # "Persoon / functie" names someone on the staff: offer the link straight away.
        action = "link_person"
    opened = next((offer for offer in offered if offer.name == action), None)
    if opened is not None and form is None:
        form = blank_form(user, complaint, action)
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
            "page_actions": offered,
            "opened": opened,
            "form": form,
            "person_suggestions": person_suggestions,
            "action_error": error,
        },
        status=status,
    )


def blank_form(user: User, complaint: Complaint, action: str) -> forms.Form:
    """The form of `action` as the complaint page opens it."""
    match action:
        case "assign":
            return AssignForm(complaint=complaint, prefix="assign")
        case "link_person":
            return LinkPersonForm(prefix="person", complaint=complaint)
        case "log_call":
            return CallForm(prefix="call", initial={"at": timezone.localtime().replace(second=0, microsecond=0)})
        case "plan_meeting":
            return PlanMeetingForm(prefix="meeting")
        case "discussion":
            return DiscussionForm(prefix="discussion", initial={"summary": complaint.discussion_summary})
        case "agreement":
            return AgreementForm(prefix="agreement", complaint=complaint)
        case "extend":
            return ExtendForm(prefix="extend", complaint=complaint)
        case "close":
            return CloseForm(prefix="close", allow_override=is_quality_manager(user))
        case "reopen":
            return ReasonForm(prefix="reopen")
        case "withdraw":
            return ReasonForm(prefix="withdraw")
    raise ValueError(f"no form for {action!r}")


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
