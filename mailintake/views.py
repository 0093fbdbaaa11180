from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.permissions import role_required
from accounts.roles import Role
from complaints.errors import ProcedureError

from . import services
from .models import InboundMessage, Outcome


@role_required(Role.QUALITY_MANAGER)
def message_list(request: HttpRequest) -> HttpResponse:
    """Received e-mail: what needs a person (held and quarantined messages) first, then the
    latest processed."""
    held = InboundMessage.objects.filter(outcome=Outcome.HELD).select_related("complaint").order_by("processed_at")
    quarantined = InboundMessage.objects.filter(outcome=Outcome.QUARANTINED).order_by("-processed_at", "-pk")[:200]
    recent = (
        InboundMessage.objects.exclude(outcome__in=[Outcome.QUARANTINED, Outcome.HELD])
        .select_related("complaint")
        .order_by("-processed_at", "-pk")[:50]
    )
    return render(
        request,
        "mailintake/message_list.html",
        {"held": held[:200], "quarantined": quarantined, "recent": recent},
    )


@role_required(Role.QUALITY_MANAGER)
@require_POST
def decide_held(request: AuthenticatedRequest, pk: int, add: bool) -> HttpResponse:
    """Add a held message to the complaint it names, or reject it."""
    inbound = get_object_or_404(InboundMessage.objects.filter(outcome=Outcome.HELD), pk=pk)
    try:
        if add:
            decided = services.add_held(inbound=inbound, by=request.user)
        else:
            decided = services.reject_held(inbound=inbound, by=request.user)
    except ProcedureError as error:
        messages.error(request, str(error))
    else:
        reference = decided.complaint.reference if decided.complaint else ""
        if add:
            messages.success(request, _("The e-mail is added to %(reference)s.") % {"reference": reference})
        else:
            messages.success(request, _("The e-mail is not added to %(reference)s.") % {"reference": reference})
    return redirect("mailintake:list")
