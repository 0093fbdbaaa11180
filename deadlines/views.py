"""The quality manager's pages for closure days and the procedure's periods."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.permissions import role_required
from accounts.roles import Role
from complaints.errors import ProcedureError
from organisation.models import ClosureDay
from organisation.selectors import get_organisation

from . import services
from .forms import ClosureDayForm, PeriodsForm


@role_required(Role.QUALITY_MANAGER)
def closure_days(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ClosureDayForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                closure = services.add_closure_day(by=user, **form.cleaned_data)
            except ProcedureError as error:
                form.add_error("day", str(error))
            else:
                messages.success(request, _("Closure day %(day)s added.") % {"day": closure.day.strftime("%d-%m-%Y")})
                return redirect("deadlines:closure_days")
        status = 400
    this_year = timezone.localdate().year
    days = ClosureDay.objects.filter(day__year__gte=this_year - 1)
    return render(request, "deadlines/closure_days.html", {"form": form, "days": days}, status=status)


@role_required(Role.QUALITY_MANAGER)
@require_POST
def closure_day_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    closure = get_object_or_404(ClosureDay, pk=pk)
    services.delete_closure_day(closure_day=closure, by=user)
    messages.success(request, _("Closure day %(day)s deleted.") % {"day": closure.day.strftime("%d-%m-%Y")})
    return redirect("deadlines:closure_days")


@role_required(Role.QUALITY_MANAGER)
def periods(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = get_organisation()
    initial = {
        "acknowledgement_working_days": organisation.acknowledgement_working_days,
        "first_contact_days": organisation.first_contact_days,
        "resolution_days": organisation.resolution_days,
    }
    form = PeriodsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_periods(by=user, **form.cleaned_data)
            except ProcedureError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The periods are saved; they apply to complaints received from now on."))
                return redirect("deadlines:periods")
        status = 400
    return render(request, "deadlines/periods.html", {"form": form}, status=status)
