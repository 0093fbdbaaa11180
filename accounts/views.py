from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from security import throttle
from security.middleware import too_many_requests

from . import twofactor
from .backends import THROTTLED_ATTRIBUTE
from .forms import EnrolForm, OutboxPasswordResetForm, TokenForm
from .http import AuthenticatedRequest
from .invitations import invitation_tokens
from .models import RecoveryCodeDevice
from .tasks import send_password_reset


def safe_next(request: HttpRequest, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class LoginView(auth_views.LoginView):
    def form_invalid(self, form: Any) -> HttpResponse:
        retry_after = getattr(self.request, THROTTLED_ATTRIBUTE, None)
        if retry_after is not None:
            response = too_many_requests(self.request, retry_after)
            return response
        return super().form_invalid(form)


@require_http_methods(["GET", "POST"])
@login_required
def otp_verify(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(safe_next(request))
    if not twofactor.has_confirmed_device(user):
        twofactor.remember_enrolment(request, False)
        return redirect("accounts:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit = throttle.Limit.from_setting("second_factor")
        verdict = throttle.check("second-factor", str(user.pk), limit)
        if not verdict.allowed:
            return too_many_requests(request, verdict.retry_after)
        device = twofactor.verify_second_factor(user=user, token=form.cleaned_data["token"])
        if device is not None:
            # A new session key for the fully authenticated session.
            request.session.cycle_key()
            otp_login(request, device)
            if isinstance(device, RecoveryCodeDevice):
                remaining = twofactor.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)s is left. Make new codes on the two-step login page.",
                        "You used a recovery code; %(count)s are left. Make new codes on the two-step login page.",
                        remaining,
                    )
                    % {"count": remaining},
                )
            return redirect(safe_next(request))
        throttle.hit("second-factor", str(user.pk), limit)
        form.add_error("token", _("This code is not correct or has expired. Try the next code from your app."))
    status = 400 if form.is_bound else 200
    return render(request, "accounts/otp_verify.html", {"form": form, "next": safe_next(request, "")}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def otp_enrol(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    enrolled = twofactor.has_confirmed_device(user)
    twofactor.remember_enrolment(request, enrolled)
    if enrolled and not user.is_verified():  # type: ignore[attr-defined]
        # Only the holder of the current second factor may replace it.
        return redirect("accounts:otp_verify")
    device = twofactor.pending_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            request.session.cycle_key()
            otp_login(request, device)
            twofactor.remember_enrolment(request, True)
            response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": safe_next(request)})
            response["Cache-Control"] = "no-store"
            return response
        form.add_error(
            "token", _("This code is not correct. Scan the code again and enter the code the app shows now.")
        )
    response = render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "enrolled": enrolled,
            "recovery_left": twofactor.remaining_recovery_codes(user) if enrolled else 0,
            "qr": twofactor.qr_data_uri(device),
            "manual_key": twofactor.manual_key(device),
            "next": safe_next(request, ""),
        },
        status=400 if form.is_bound else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:otp_verify")
    codes = twofactor.new_recovery_codes(user=user)
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": settings.LOGIN_REDIRECT_URL})
    response["Cache-Control"] = "no-store"
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer, and the same work, for every address: the lookup happens in a task.
    Throttled per client address (429) and per target address (silently: nothing more is
    sent, so the answer still reveals nothing)."""

    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        per_address = throttle.Limit.from_setting("password_reset_address")
        verdict = throttle.hit("reset-address", throttle.client_address(self.request), per_address)
        if not verdict.allowed:
            return too_many_requests(self.request, verdict.retry_after)
        per_email = throttle.Limit.from_setting("password_reset_email")
        email = form.cleaned_data["email"].strip().casefold()
        if throttle.hit("reset-email", email, per_email).allowed:
            send_password_reset.enqueue(form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class InvitationView(auth_views.PasswordResetConfirmView):
    """A new staff member chooses a password with the link from their invitation."""

    template_name = "accounts/invitation.html"
    token_generator = invitation_tokens
    reset_url_token = "wachtwoord-kiezen"  # noqa: S105 (a URL segment, not a password)
    success_url = reverse_lazy("accounts:login")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Log in with your user name and new password."))
        return response
