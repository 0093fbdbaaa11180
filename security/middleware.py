"""Request-level guards: body size, ended accounts, public form abuse and the second factor."""

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.twofactor import session_has_device

from . import throttle

logger = logging.getLogger("security")

GetResponse = Callable[[HttpRequest], HttpResponse]


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "security/429.html", {"minutes": max(1, -(-retry_after // 60))}, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than settings.MAX_REQUEST_BODY_BYTES before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE only limits the non-file part of a form; this catches
    oversize uploads too, from the declared Content-Length, so nothing is written to disk."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            logger.warning("Refused a request body of %s bytes for %s", length, request.path)
            response = render(
                request,
                "security/413.html",
                {"limit": settings.MAX_REQUEST_BODY_BYTES},
                status=413,
            )
            return response
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A page that says what happened when a browser opens a URL that only takes a form
    (Django's require_POST answers 405 with an empty body); the Allow header stays."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content and request.method == "GET":
            page = render(request, "security/405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


class EndedAccountMiddleware:
    """End the session at once when its user was deactivated or deleted.

    Django's backend already stops authenticating such a user; flushing the session as well
    means nothing stored in it (a pending second-factor step, a half-filled form) survives."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            user = request.user
            if not user.is_authenticated or not user.is_active:
                logout(request)
        return self.get_response(request)


class StaffSessionLifetimeMiddleware:
    """End a logged-in session that was left idle for settings.STAFF_SESSION_IDLE, or that is
    older than settings.STAFF_SESSION_MAX_AGE, and say so on the login page.

    The last activity is written at most once a minute, so an ordinary page view does not save
    the session every time."""

    STARTED, SEEN = "staff_session_started", "staff_session_seen"

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session:
            now = int(time.time())
            started = request.session.setdefault(self.STARTED, now)
            seen = request.session.get(self.SEEN, now)
            idle = now - seen > settings.STAFF_SESSION_IDLE.total_seconds()
            if idle or now - started > settings.STAFF_SESSION_MAX_AGE.total_seconds():
                logout(request)
                messages.info(
                    request,
                    _("You were logged out because the back office was not used for a while.")
                    if idle
                    else _("You were logged out because your session reached its maximum length."),
                )
                if request.method == "GET":
                    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
            elif now - seen >= 60 or self.SEEN not in request.session:
                request.session[self.SEEN] = now
        return self.get_response(request)


class PublicFormGuardMiddleware:
    """Rate limit and honeypot for the public forms named in settings.PUBLIC_FORM_GUARD.

    POSTs per client address are limited (429 with Retry-After, other addresses unaffected).
    A post that fills the honeypot field gets an ordinary thank-you page and nothing is saved."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: object, args: object, kwargs: object) -> HttpResponse | None:
        if request.method != "POST" or request.resolver_match is None:
            return None
        guard = settings.PUBLIC_FORM_GUARD.get(request.resolver_match.view_name)
        if guard is None:
            return None
        limit = throttle.Limit(limit=int(str(guard["limit"])), window=int(str(guard["window"])))
        verdict = throttle.hit("public-form", throttle.client_address(request), limit)
        if not verdict.allowed:
            logger.warning("Public form rate limit reached for %s", request.resolver_match.view_name)
            return too_many_requests(request, verdict.retry_after)
        honeypot = guard.get("honeypot")
        if honeypot and request.POST.get(str(honeypot), "").strip():
            logger.info("Honeypot filled on %s; nothing saved", request.resolver_match.view_name)
            return render(request, str(guard["honeypot_template"]))
        return None


class SecondFactorMiddleware:
    """Send a user who logged in with a password to the second step before anything else.

    A user with a confirmed device must always pass it; with settings.TWO_FACTOR_REQUIRED
    (production) a user without one must enrol first."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: object, args: object, kwargs: object) -> HttpResponse | None:
        # is_verified() is added by django_otp's middleware.
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in settings.TWO_FACTOR_EXEMPT_VIEWS:
            return None
        if session_has_device(request, user):
            target = "accounts:otp_verify"
        elif settings.TWO_FACTOR_REQUIRED:
            target = "accounts:otp_enrol"
        else:
            return None
        if request.headers.get("accept", "").startswith("application/json"):
            return HttpResponse(_("Second factor required."), status=403)
        next_url = request.get_full_path() if request.method == "GET" else ""
        url = reverse(target)
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


class ResponseHeadersMiddleware:
    """Headers Django does not set itself: no powerful browser features for any page, resources
    only for our own origin, and no copies of back-office pages in browser or proxy caches."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response
