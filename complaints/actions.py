"""The procedure's actions on the complaint page: each a small form, one view, one service.

Each view: log-in required, the complaint through the permission-scoped selector (404), the
role check (403). POST: the form and one service call; a refused step (ProcedureError) shows
the page again with the message and the form as it was sent. GET, for a step with a form of
its own: the complaint page with that form open (the page links to it)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedRequest
from privacy.models import AccessAction
from privacy.services import log_access

from . import rules, services
from .errors import ProcedureError
from .forms import (
    AgreementForm,
    AssignForm,
    CallForm,
    CloseForm,
    DiscussionForm,
    ExtendForm,
    LinkPersonForm,
    MeetingForm,
    MeetingHeldForm,
    PlanMeetingForm,
    ReasonForm,
)
from .models import Complaint
from .selectors import get_complaint_for
from .views import render_detail, section_flags

# An action: given the request, the complaint, the valid form (or None) and the URL's extra
# arguments, call one service and return the success message.
Step = Callable[[AuthenticatedRequest, Complaint, Any, dict[str, Any]], str]


def action(
    name: str, *, form: Callable[[AuthenticatedRequest, Complaint], forms.Form] | None = None, opens: bool = False
) -> Callable[[Step], Callable[..., HttpResponse]]:
    """`opens`: the step has a form of its own on the complaint page, which GET opens."""

    def decorator(step: Step) -> Callable[..., HttpResponse]:
        @login_required
        @require_http_methods(["GET", "POST"] if opens else ["POST"])
        @wraps(step)
        def view(request: AuthenticatedRequest, reference: str, **extra: Any) -> HttpResponse:
            user = request.user
            # GET shows the whole page: its often empty lists are asked in the complaint's query.
            showing = request.method == "GET"
            complaint = get_complaint_for(user, reference, annotations=section_flags() if showing else None)
            if not rules.may(user, name, complaint):
                raise PermissionDenied
            if showing:
                log_access(user=user, complaint=complaint, action=AccessAction.VIEW)
                return render_detail(request, complaint, action=name)
            bound = form(request, complaint) if form else None
            if bound is not None and not bound.is_valid():
                return render_detail(
                    request, complaint, action=name, form=bound, error=_("Please correct the form."), status=400
                )
            try:
                message = step(request, complaint, bound.cleaned_data if bound else None, extra)
            except ProcedureError as error:
                complaint.refresh_from_db()
                return render_detail(
                    request, complaint, action=name if bound else "", form=bound, error=str(error), status=409
                )
            messages.success(request, message)
            return redirect("complaints:detail", complaint.reference)

        return view

    return decorator


def _form(
    form_class: type[forms.Form], prefix: str, **kwargs: Any
) -> Callable[[AuthenticatedRequest, Complaint], forms.Form]:
    return lambda request, complaint: form_class(request.POST, prefix=prefix, **kwargs)


@action(
    "assign", opens=True, form=lambda request, complaint: AssignForm(request.POST, complaint=complaint, prefix="assign")
)
def assign(request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]) -> str:
    services.assign(complaint=complaint, to=data["to"], by=request.user)
    return _("The complaint is handed over to %(name)s.") % {"name": data["to"].display_name}


@action(
    "link_person",
    opens=True,
    form=lambda request, complaint: LinkPersonForm(request.POST, complaint=complaint, prefix="person"),
)
def link_person(
    request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]
) -> str:
    person = data["person"]
    services.link_person(complaint=complaint, person=person, by=request.user)
    return _("The complaint is linked to %(name)s, who can no longer see it.") % {"name": person.display_name}


@action("link_person")
def unlink_person(request: AuthenticatedRequest, complaint: Complaint, data: None, extra: dict[str, Any]) -> str:
    person = get_object_or_404(complaint.about_staff.all(), pk=extra["person_id"])
    services.unlink_person(complaint=complaint, person=person, by=request.user)
    return _("The complaint is no longer linked to %(name)s.") % {"name": person.display_name}


@action("log_call", opens=True, form=_form(CallForm, "call"))
def log_call(request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]) -> str:
    services.log_call(complaint=complaint, by=request.user, at=data["at"], summary=data["summary"])
    return _("The call is logged.")


@action("plan_meeting", opens=True, form=_form(PlanMeetingForm, "meeting"))
def plan_meeting(
    request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]
) -> str:
    services.plan_meeting(complaint=complaint, by=request.user, **data)
    return _("The meeting is planned.")


def _meeting(complaint: Complaint, extra: dict[str, Any]) -> Any:
    return get_object_or_404(complaint.contacts.select_related("complaint"), pk=extra["contact_id"])


@action("meeting", form=lambda request, complaint: MeetingForm(request.POST, prefix="reschedule"))
def reschedule_meeting(
    request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]
) -> str:
    services.reschedule_meeting(contact=_meeting(complaint, extra), by=request.user, **data)
    return _("The meeting is moved.")


@action("meeting", form=lambda request, complaint: MeetingHeldForm(request.POST, prefix="held"))
def meeting_held(
    request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]
) -> str:
    services.record_meeting_held(contact=_meeting(complaint, extra), by=request.user, **data)
    return _("The meeting is recorded as held.")


@action("meeting", form=lambda request, complaint: ReasonForm(request.POST, prefix="cancel"))
def cancel_meeting(
    request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]
) -> str:
    services.cancel_meeting(contact=_meeting(complaint, extra), by=request.user, reason=data["reason"])
    return _("The meeting is cancelled.")


@action("discussion", opens=True, form=_form(DiscussionForm, "discussion"))
def record_discussion(
    request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]
) -> str:
    services.record_discussion(complaint=complaint, by=request.user, summary=data["summary"])
    return _("The summary of the conversation is saved.")


@action(
    "agreement",
    opens=True,
    form=lambda request, complaint: AgreementForm(request.POST, complaint=complaint, prefix="agreement"),
)
def add_agreement(
    request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]
) -> str:
    owner = data["owner_user"] or data["owner"]
    services.add_agreement(
        complaint=complaint, by=request.user, description=data["description"], owner=owner, due=data["due"]
    )
    return _("The agreement is recorded.")


@action("complete_agreement")
def complete_agreement(request: AuthenticatedRequest, complaint: Complaint, data: None, extra: dict[str, Any]) -> str:
    agreement = get_object_or_404(complaint.agreements.select_related("complaint"), pk=extra["agreement_id"])
    services.complete_agreement(agreement=agreement, by=request.user)
    return _("The agreement is ticked off.")


@action(
    "extend", opens=True, form=lambda request, complaint: ExtendForm(request.POST, complaint=complaint, prefix="extend")
)
def extend(request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]) -> str:
    services.extend_resolution(complaint=complaint, by=request.user, **data)
    return _("The resolution deadline is extended.")


@action(
    "close",
    opens=True,
    form=lambda request, complaint: CloseForm(
        request.POST, prefix="close", allow_override=rules.is_quality_manager(request.user)
    ),
)
def close(request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]) -> str:
    services.close(
        complaint=complaint,
        by=request.user,
        outcome=data["outcome"],
        resolution=data["resolution"],
        complainant_agrees={"yes": True, "no": False}.get(data["complainant_agrees"]),
        override_reason=data.get("override_reason", ""),
        skip_reason=data.get("skip_reason", ""),
    )
    return _("The complaint is closed.")


@action("reopen", opens=True, form=_form(ReasonForm, "reopen"))
def reopen(request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]) -> str:
    services.reopen(complaint=complaint, by=request.user, reason=data["reason"])
    return _("The complaint is reopened.")


@action("withdraw", opens=True, form=_form(ReasonForm, "withdraw"))
def withdraw(request: AuthenticatedRequest, complaint: Complaint, data: dict[str, Any], extra: dict[str, Any]) -> str:
    services.withdraw(complaint=complaint, by=request.user, reason=data["reason"])
    return _("The withdrawal is recorded.")
