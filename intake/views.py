from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.permissions import role_required
from accounts.roles import Role
from complaints.models import Channel, Complaint
from complaints.services import register_complaint

from .forms import PublicComplaintForm, RegistrationForm

SESSION_KEY = "submitted_complaint"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/home.html")


@require_http_methods(["GET", "POST"])
def complaint_form(request: HttpRequest) -> HttpResponse:
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        complaint, _created = register_complaint(
            channel=Channel.WEB,
            received_at=timezone.now(),
            details=form.details(),
            submission_key=form.cleaned_data["submission_key"],
        )
        request.session[SESSION_KEY] = complaint.pk
        # Post/redirect/get: a refresh of the next page shows it again and posts nothing.
        return redirect("intake:submitted")
    status = 400 if form.is_bound else 200
    return render(request, "intake/complaint_form.html", {"form": form}, status=status)


def submitted(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_KEY)
    complaint = Complaint.objects.filter(pk=pk).only("reference", "email", "acknowledge_due").first() if pk else None
    if complaint is None:
        return redirect("intake:complaint_form")
    return render(request, "intake/submitted.html", {"complaint": complaint})


@role_required(Role.BACK_OFFICE, Role.QUALITY_MANAGER)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = RegistrationForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        complaint, _created = register_complaint(
            channel=Channel(form.cleaned_data["channel"]),
            received_at=form.cleaned_data["received_at"],
            details=form.details(),
            by=user,
            received_by=form.cleaned_data["received_by"] or user,
            submission_key=form.cleaned_data["submission_key"],
        )
        return redirect("complaints:detail", complaint.reference)
    status = 400 if form.is_bound else 200
    return render(request, "intake/register.html", {"form": form}, status=status)
