from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.permissions import role_required
from accounts.roles import Role
from complaints.errors import ProcedureError
from complaints.selectors import complaints_for, get_complaint_for
from lib.dates import local_date

from . import follow_up, services
from .forms import (
    ActionForm,
    CategoryForm,
    ClassificationForm,
    CompleteActionForm,
    EffectivenessForm,
    FlagForm,
    LinkForm,
    RootCauseForm,
    SurveyForm,
)
from .models import ActionStatus, Category, CorrectiveAction, RootCause, SurveyInvitation
from .selectors import (
    actions_for,
    all_categories,
    can_classify,
    classification_of,
    get_action_for,
    get_link_for,
    related_complaints,
    with_effect,
)

QUALITY = (Role.QUALITY_MANAGER,)
HANDLERS = (Role.QUALITY_MANAGER, Role.RESPONSIBLE)


# --- Classification and links on a complaint ------------------------------------------------


@role_required(*HANDLERS)
def classify(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    user = request.user
    complaint = get_complaint_for(user, reference)
    if not can_classify(user, complaint):
        raise PermissionDenied
    current = classification_of(complaint)
    form = ClassificationForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.classify(complaint=complaint, by=user, **form.cleaned_data)
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The classification has been saved."))
            return redirect("complaints:detail", complaint.reference)
    return render(request, "quality/classify.html", {"complaint": complaint, "form": form, "current": current})


@role_required(*HANDLERS)
def related(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    user = request.user
    complaint = get_complaint_for(user, reference)
    form = LinkForm(request.POST or None)
    if request.method == "POST":
        if not can_classify(user, complaint):
            raise PermissionDenied
        if form.is_valid():
            other = complaints_for(user).filter(reference=form.cleaned_data["reference"]).first()
            if other is None:
                form.add_error("reference", _("No complaint found with this reference."))
            else:
                try:
                    services.link_complaints(
                        complaint=complaint, other=other, reason=form.cleaned_data["reason"], by=user
                    )
                except ProcedureError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("The complaints have been linked."))
                    return redirect("quality:related", complaint.reference)
    return render(
        request,
        "quality/related.html",
        {
            "complaint": complaint,
            "form": form,
            "related": related_complaints(user, complaint),
            "may_edit": can_classify(user, complaint),
        },
    )


@role_required(*HANDLERS)
@require_POST
def unlink(request: AuthenticatedRequest, reference: str, link_id: int) -> HttpResponse:
    user = request.user
    complaint = get_complaint_for(user, reference)
    if not can_classify(user, complaint):
        raise PermissionDenied
    services.unlink_complaints(link=get_link_for(user, complaint, link_id), by=user)
    messages.success(request, _("The link has been removed."))
    return redirect("quality:related", complaint.reference)


# --- Categories and root causes -------------------------------------------------------------


@role_required(*QUALITY)
def categories(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    category = get_object_or_404(Category, pk=pk) if pk is not None else None
    initial = (
        {
            "name": category.name,
            "name_en": category.name_en,
            "parent": category.parent_id,
            "position": category.position,
            "active": category.active,
        }
        if category
        else None
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_category(by=user, category=category, **form.cleaned_data)
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The category has been saved."))
            return redirect("quality:categories")
    return render(
        request, "quality/categories.html", {"form": form, "category": category, "categories": all_categories()}
    )


@role_required(*QUALITY)
def root_causes(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    root_cause = get_object_or_404(RootCause, pk=pk) if pk is not None else None
    initial = (
        {
            "name": root_cause.name,
            "name_en": root_cause.name_en,
            "position": root_cause.position,
            "active": root_cause.active,
        }
        if root_cause
        else None
    )
    form = RootCauseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_root_cause(by=user, root_cause=root_cause, **form.cleaned_data)
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The root cause has been saved."))
            return redirect("quality:root_causes")
    return render(
        request,
        "quality/root_causes.html",
        {"form": form, "root_cause": root_cause, "root_causes": RootCause.objects.all()},
    )


# --- Corrective actions ---------------------------------------------------------------------


@role_required(*HANDLERS)
def action_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", ActionStatus.OPEN)
    if status not in ActionStatus.values and status != "all":
        status = ActionStatus.OPEN
    actions = with_effect(actions_for(user)).select_related("owner", "category__parent")
    if status != "all":
        actions = actions.filter(status=status)
    return render(
        request,
        "quality/action_list.html",
        {"actions": actions.order_by("due", "pk")[:200], "status": status, "statuses": ActionStatus.choices},
    )


@role_required(*QUALITY)
def action_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    scope = complaints_for(user)
    initial = {"references": request.GET.get("klacht", "")[:200]}
    form = ActionForm(request.POST or None, complaints=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.open_action(
                by=user,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due=data["due"],
                check_due=data["check_due"],
                category=data["category"],
                complaints=data["references"],
            )
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The corrective action has been opened."))
            return redirect("quality:action_detail", action.pk)
    return render(request, "quality/action_form.html", {"form": form})


@role_required(*HANDLERS)
def action_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _action_page(request, get_action_for(request.user, pk))


def _action_page(
    request: AuthenticatedRequest,
    action: CorrectiveAction,
    *,
    effect_form: EffectivenessForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "quality/action_detail.html",
        {
            "action": action,
            "complaints": complaints_for(user).filter(corrective_actions=action),
            "checks": action.checks.select_related("checked_by"),
            "complete_form": CompleteActionForm(initial={"check_due": action.check_due}),
            "effect_form": effect_form or EffectivenessForm(),
            "check_is_early": bool(action.check_due and local_date(timezone.now()) < action.check_due),
            "is_manager": user.has_role(Role.QUALITY_MANAGER),
        },
        status=status,
    )


@role_required(*HANDLERS)
@require_POST
def action_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    user = request.user
    action = get_action_for(user, pk)
    is_manager = user.has_role(Role.QUALITY_MANAGER)
    try:
        if step == "done":
            form = CompleteActionForm(request.POST)
            check_due = form.cleaned_data["check_due"] if form.is_valid() else None
            services.complete_action(action=action, by=user, check_due=check_due)
            messages.success(request, _("The corrective action is done."))
        elif step == "cancel" and is_manager:
            services.cancel_action(action=action, by=user)
            messages.success(request, _("The corrective action has been cancelled."))
        elif step == "effect" and is_manager:
            effect_form = EffectivenessForm(request.POST)
            if not effect_form.is_valid():
                return _action_page(request, action, effect_form=effect_form, status=400)
            try:
                services.record_effectiveness(action=action, by=user, **effect_form.cleaned_data)
            except ProcedureError as error:
                effect_form.add_error(None, str(error))
                return _action_page(request, action, effect_form=effect_form, status=409)
            messages.success(request, _("The effect has been recorded."))
        else:
            raise PermissionDenied
    except ProcedureError as error:
        messages.error(request, str(error))
    return redirect("quality:action_detail", action.pk)


# --- Satisfaction ---------------------------------------------------------------------------


@never_cache
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The public two-question survey behind the single-use link in the closing mail."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "quality/survey_gone.html", {"reason": "unknown"}, status=404)
    if invitation.answered_at is not None:
        return render(request, "quality/survey_gone.html", {"reason": "answered"}, status=410)
    if services.is_expired(invitation):
        return render(request, "quality/survey_gone.html", {"reason": "expired"}, status=410)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_survey(invitation=invitation, **form.cleaned_data)
        except ProcedureError:
            return render(request, "quality/survey_gone.html", {"reason": "answered"}, status=410)
        return render(request, "quality/survey_thanks.html", {"complaint": invitation.complaint})
    return render(request, "quality/survey.html", {"form": form, "complaint": invitation.complaint})


@role_required(*QUALITY)
def survey_answer(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """An answer on a complaint, and for an unhappy one: reopen or keep closed."""
    user = request.user
    complaint = get_complaint_for(user, reference)
    invitation = SurveyInvitation.objects.filter(complaint=complaint).first()
    if invitation is None:
        raise Http404("No survey for this complaint.")
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.handle_flag(invitation=invitation, by=user, reopen_reason=form.cleaned_data["reopen_reason"])
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer has been dealt with."))
            return redirect("complaints:detail", complaint.reference)
    return render(
        request, "quality/survey_answer.html", {"complaint": complaint, "invitation": invitation, "form": form}
    )
