"""The complainant's own page.

The link in the acknowledgement (or a fresh one the complainant asks for) works once: opening it
starts a status session of the complainant's own and leads to /klacht/status/, which has no key
in its address. A copy of the link found later (in the stored letter, the outbox, a proxy's
access log) opens nothing. A wrong, used, expired or anonymised link answers 404 with the way to
ask for a new link, and says nothing else. Every use is on the complaint's access log."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from complaints.errors import ProcedureError
from complaints.models import Complaint
from privacy.models import AccessAction
from privacy.services import log_access
from security import throttle
from security.middleware import too_many_requests

from . import status as status_links
from .forms import AddInformationForm, FreshLinkForm
from .selectors import (
    STATUS_SESSION_KEY,
    complaint_for_session,
    link_for_token,
    procedure_steps,
    public_events,
    sent_letters,
    upcoming_deadlines,
)
from .views import attachment_totals, stored_pdf_response


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _unusable(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "correspondence/status/unusable.html", status=404))


@never_cache
def status_claim(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the letter or e-mail: used once, it becomes the complainant's session."""
    try:
        link = link_for_token(token)
    except Http404:
        return _unusable(request)
    held = request.session.get(STATUS_SESSION_KEY)
    if isinstance(held, dict) and held.get("hash") == link.token_hash:
        return _private(redirect("correspondence:status_home"))
    if not status_links.claim_status_link(link=link):
        return _unusable(request)
    request.session.cycle_key()
    request.session[STATUS_SESSION_KEY] = {"link": link.pk, "hash": link.token_hash}
    if not request.user.is_authenticated:
        request.session.set_expiry(settings.STATUS_SESSION_DAYS * 24 * 3600)
    log_access(user=None, complaint=link.complaint, action=AccessAction.STATUS_CLAIMED)
    return _private(redirect("correspondence:status_home"))


def _session_complaint(request: HttpRequest) -> Complaint | None:
    try:
        return complaint_for_session(request.session)
    except Http404:
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def status_page(request: HttpRequest) -> HttpResponse:
    complaint = _session_complaint(request)
    if complaint is None:
        return _unusable(request)
    form = AddInformationForm(
        request.POST or None, request.FILES or None, attachments_so_far=attachment_totals(complaint)
    )
    if request.method == "POST" and form.is_valid():
        try:
            status_links.add_information(
                complaint=complaint, text=form.cleaned_data["message"], upload=form.cleaned_data["attachment"]
            )
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. We have added your information to your complaint."))
            return redirect("correspondence:status_home")
    if request.method == "GET":
        log_access(user=None, complaint=complaint, action=AccessAction.STATUS_VIEWED)
    context = {
        "complaint": complaint,
        "steps": procedure_steps(complaint),
        "deadlines": upcoming_deadlines(complaint),
        "letters": sent_letters(complaint),
        "events": public_events(complaint),
        "form": form,
        "person": complaint.assigned_to,
        "status_session_days": settings.STATUS_SESSION_DAYS,
        "fresh_link_url": reverse("correspondence:status_fresh_link"),
    }
    status = 400 if form.is_bound else 200
    return _private(render(request, "correspondence/status/page.html", context, status=status))


@never_cache
def status_letter(request: HttpRequest, letter_id: int) -> HttpResponse:
    complaint = _session_complaint(request)
    if complaint is None:
        return _unusable(request)
    letter = get_object_or_404(sent_letters(complaint), pk=letter_id)
    log_access(user=None, complaint=complaint, action=AccessAction.STATUS_LETTER, detail=f"letter {letter.pk}")
    return _private(stored_pdf_response(letter))


@never_cache
@require_http_methods(["GET", "POST"])
def fresh_link(request: HttpRequest) -> HttpResponse:
    """The complainant asks for a new link, sent to the e-mail address they gave. The answer is
    the same whether or not reference and address match."""
    form = FreshLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = throttle.hit(
            "status-fresh-link", throttle.client_address(request), throttle.Limit.from_setting("status_fresh_link")
        )
        if not verdict.allowed:
            return too_many_requests(request, verdict.retry_after)
        status_links.look_up_and_send_fresh_link.enqueue(form.cleaned_data["reference"], form.cleaned_data["email"])
        return _private(render(request, "correspondence/status/fresh_link_sent.html"))
    status = 400 if form.is_bound else 200
    return _private(render(request, "correspondence/status/fresh_link.html", {"form": form}, status=status))
