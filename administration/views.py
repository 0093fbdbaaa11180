"""The administrator's back-office pages: staff, roles, the organisation's settings, the log."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.permissions import administrator_required
from correspondence import renderer
from organisation.selectors import get_organisation

from . import selectors, services
from .forms import OrganisationForm, StaffForm

LOG_PAGE_SIZE = 50


@administrator_required
def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "administration/staff_list.html", {"staff": selectors.staff_members()})


@never_cache
@administrator_required
def staff_invite(request: AuthenticatedRequest) -> HttpResponse:
    by = request.user
    form = StaffForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        user = services.invite_staff(
            by=by,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            job_title=data["job_title"],
            roles=data["roles"],
        )
        messages.success(
            request,
            _("%(name)s is invited; the invitation went to %(email)s.")
            % {"name": user.display_name, "email": user.email},
        )
        return redirect("administration:staff_detail", pk=user.pk)
    status = 400 if form.is_bound else 200
    return render(request, "administration/staff_invite.html", {"form": form}, status=status)


@never_cache
@administrator_required
def staff_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    by = request.user
    member = selectors.get_staff_member_for(by, pk)
    form = StaffForm(request.POST if request.method == "POST" else None, instance=member, inviting=False)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = services.update_staff(
                    user=member,
                    by=by,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    job_title=data["job_title"],
                    roles=data["roles"],
                )
            except services.AdministrationError as error:
                form.add_error("roles", str(error))
            else:
                if changed:
                    messages.success(request, _("The changes to %(name)s are saved.") % {"name": member.display_name})
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("administration:staff_detail", pk=member.pk)
        status = 400
        member.refresh_from_db()
    context = {
        "member": member,
        "form": form,
        "work": selectors.open_work_of(member),
        "accepted": services.has_accepted_invitation(member),
        "entries": selectors.log_entries().filter(subject=member)[:20],
    }
    return render(request, "administration/staff_detail.html", context, status=status)


def _staff_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    by = request.user
    member = selectors.get_staff_member_for(by, pk)
    name = member.display_name
    try:
        if action == "deactivate":
            if request.POST.get("confirm") != "yes":
                raise services.AdministrationError(_("Tick the box to confirm the deactivation."))
            revoked = services.deactivate_staff(user=member, by=by)
            done = _("%(name)s is deactivated: logging in and the API no longer work for this account.") % {
                "name": name
            }
            if revoked:
                done += " " + ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", revoked) % {
                    "count": revoked
                }
        elif action == "reactivate":
            services.reactivate_staff(user=member, by=by)
            done = _("%(name)s is active again.") % {"name": name}
        elif action == "reset_second_factor":
            services.reset_second_factor(user=member, by=by)
            done = _("Two-step login of %(name)s is reset; they set it up again at their next login.") % {"name": name}
        else:
            services.resend_invitation(user=member, by=by)
            done = _("A new invitation went to %(email)s.") % {"email": member.email}
    except services.AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("administration:staff_detail", pk=member.pk)


@require_POST
@administrator_required
def staff_deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, "deactivate")


@require_POST
@administrator_required
def staff_reactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, "reactivate")


@require_POST
@administrator_required
def staff_reset_second_factor(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, "reset_second_factor")


@require_POST
@administrator_required
def staff_resend_invitation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, "resend_invitation")


@never_cache
@administrator_required
def organisation_settings(request: AuthenticatedRequest) -> HttpResponse:
    by = request.user
    organisation = get_organisation()
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, request.FILES or None, instance=organisation
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        services.update_organisation(
            by=by,
            values={name: data[name] for name in services.ORGANISATION_FIELDS},
            logo=data["logo_upload"],
            remove_logo=data["remove_logo"],
        )
        messages.success(request, _("The organisation's settings are saved and in force from now on."))
        return redirect("administration:organisation")
    if form.is_bound:
        organisation = get_organisation()
    status = 400 if form.is_bound else 200
    context = {"form": form, "organisation": organisation, "environment": settings.ORGANISATION_DEFAULTS}
    return render(request, "administration/organisation.html", context, status=status)


@administrator_required
def admin_log(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.log_entries(), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "retention_months": settings.ADMIN_LOG_RETENTION_MONTHS}
    return render(request, "administration/log.html", context)


@administrator_required
def organisation_logo(request: AuthenticatedRequest) -> HttpResponse:
    """The letterhead logo in force, for the preview on the settings page."""
    # The letters' own reading of the logo: PNG or JPEG by content, nothing for a missing file.
    data, content_type = renderer.organisation_logo(get_organisation())
    if data is None:
        raise Http404
    return HttpResponse(data, content_type=content_type)
