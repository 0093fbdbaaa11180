"""The complainant's own page, reached only through the private link in the acknowledgement.

A wrong, expired or anonymised link answers 404 and says nothing else."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from complaints.services import ProcedureError

from . import services
from .forms import AddInformationForm
from .selectors import complaint_for_token, procedure_steps, public_events, sent_letters, upcoming_deadlines
from .views import attachment_totals, stored_pdf_response


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    complaint = complaint_for_token(token)
    form = AddInformationForm(
        request.POST or None, request.FILES or None, attachments_so_far=attachment_totals(complaint)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_information(
                complaint=complaint, text=form.cleaned_data["message"], upload=form.cleaned_data["attachment"]
            )
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. We have added your information to your complaint."))
            return redirect("correspondence:status", token)
    context = {
        "complaint": complaint,
        "token": token,
        "steps": procedure_steps(complaint),
        "deadlines": upcoming_deadlines(complaint),
        "letters": sent_letters(complaint),
        "events": public_events(complaint),
        "form": form,
        "person": complaint.assigned_to,
    }
    status = 400 if form.is_bound else 200
    return _private(render(request, "correspondence/status/page.html", context, status=status))


@never_cache
def status_letter(request: HttpRequest, token: str, letter_id: int) -> HttpResponse:
    complaint = complaint_for_token(token)
    letter = get_object_or_404(sent_letters(complaint), pk=letter_id)
    return _private(stored_pdf_response(letter))
