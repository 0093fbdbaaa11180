from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedRequest
from accounts.permissions import role_required
from accounts.roles import Role
from complaints.models import Channel, Complaint
from complaints.services import link_person
from intake.registration import register_complaint

from . import accessibility
from .forms import PublicComplaintForm, RegistrationForm

# The confirmation page's address carries the complaint, signed: no session is written for an
# anonymous complainant. It holds only the complaint's number and works for an hour, enough for
# a refresh, not for a link that turns up later in someone's history.
SUBMITTED_SALT = "intake.submitted"
SUBMITTED_MAX_AGE = 60 * 60


def submitted_token(complaint: Complaint) -> str:
    return signing.TimestampSigner(salt=SUBMITTED_SALT).sign(str(complaint.pk))


def submitted_complaint_pk(token: str) -> int | None:
    try:
        return int(signing.TimestampSigner(salt=SUBMITTED_SALT).unsign(token, max_age=SUBMITTED_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None


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
        # Post/redirect/get: a refresh of the next page shows it again and posts nothing.
        return redirect("intake:submitted", token=submitted_token(complaint))
    status = 400 if form.is_bound else 200
    return render(request, "intake/complaint_form.html", {"form": form}, status=status)


def submitted(request: HttpRequest, token: str) -> HttpResponse:
    pk = submitted_complaint_pk(token)
    complaint = Complaint.objects.filter(pk=pk).only("reference", "email", "acknowledge_due").first() if pk else None
    if complaint is None:
        return redirect("intake:complaint_form")
    return render(request, "intake/submitted.html", {"complaint": complaint})


@require_http_methods(["GET", "HEAD"])
def privacy_statement(request: HttpRequest) -> HttpResponse:
    """The whole privacy statement, one link away from the form."""
    return render(request, "intake/privacy.html")


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (toegankelijkheidsverklaring), from what the tests check."""
    return render(
        request,
        "intake/accessibility.html",
        {
            "standard": accessibility.STANDARD,
            "level": accessibility.LEVEL,
            "pages": accessibility.PUBLIC_PAGES,
            "journeys": accessibility.CHECKED_IN_JOURNEYS,
            "criteria": accessibility.CHECKED_CRITERIA,
            "gaps": accessibility.KNOWN_GAPS,
            "reflow_width": accessibility.REFLOW_WIDTH,
            "reviewed_on": accessibility.REVIEWED_ON,
        },
    )


@role_required(Role.BACK_OFFICE, Role.QUALITY_MANAGER)
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = RegistrationForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        # The complaint and its links to the staff it is about are saved together, or not at all.
        with transaction.atomic():
            complaint, created = register_complaint(
                channel=Channel(form.cleaned_data["channel"]),
                received_at=form.cleaned_data["received_at"],
                details=form.details(),
                by=user,
                received_by=form.cleaned_data["received_by"] or user,
                submission_key=form.cleaned_data["submission_key"],
            )
            # Whoever registers a complaint about themselves is linked last: from then on they may
            # no longer change it.
            people = sorted(form.cleaned_data["about_staff"], key=lambda person: person.pk == user.pk)
            for person in people if created else []:
                link_person(complaint=complaint, person=person, by=user)
        if complaint.is_about(user):
            messages.success(
                request,
                _("Complaint %(reference)s is registered. It is about you, so you no longer see it.")
                % {"reference": complaint.reference},
            )
            return redirect("intake_backoffice:register")
        return redirect("complaints:detail", complaint.reference)
    status = 400 if form.is_bound else 200
    return render(request, "intake/register.html", {"form": form}, status=status)
