"""Back-office views for letters and their templates. Thin: parse, fetch through the
permission-scoped selectors (404), call one service, render."""

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from accounts.permissions import role_required
from accounts.roles import Role
from complaints.errors import ProcedureError
from complaints.models import Complaint
from complaints.selectors import complaints_for, get_complaint_for
from lib.dates import local_date
from organisation.selectors import get_organisation
from privacy.models import AccessAction
from privacy.services import log_access

from . import services
from . import status as status_links
from .forms import LetterForm, StartLetterForm, TemplateForm
from .models import Letter, LetterKind
from .placeholders import PLACEHOLDERS, substitute, values_for
from .renderer import PDF_MIMETYPE, LetterContent, file_word, render_content

LETTER_ROLES = (Role.QUALITY_MANAGER, Role.RESPONSIBLE)


def pdf_response(data: bytes, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF_MIMETYPE)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def stored_pdf_response(letter: Letter, *, inline: bool = False) -> HttpResponse:
    # The stored file, byte for byte: a letter is a few dozen kilobytes.
    with letter.pdf.open("rb") as handle:
        return pdf_response(handle.read(), letter.filename, inline=inline)


def _letter(request: AuthenticatedRequest, reference: str, letter_id: int) -> tuple[Complaint, Letter]:
    user = request.user
    complaint = get_complaint_for(user, reference)
    letter = get_object_or_404(complaint.letters.select_related("contact"), pk=letter_id)
    letter.complaint = complaint
    return complaint, letter


@role_required(*LETTER_ROLES)
@require_POST
def start(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    user = request.user
    complaint = get_complaint_for(user, reference)
    form = StartLetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a kind of letter."))
        return redirect("complaints:detail", complaint.reference)
    contact = None
    if form.cleaned_data["contact"]:
        contact = get_object_or_404(complaint.contacts, pk=form.cleaned_data["contact"])
    try:
        letter = services.draft_letter(complaint=complaint, kind=form.cleaned_data["kind"], by=user, contact=contact)
    except ProcedureError as error:
        messages.error(request, str(error))
        return redirect("complaints:detail", complaint.reference)
    return redirect("correspondence:edit", complaint.reference, letter.pk)


@role_required(*LETTER_ROLES)
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, reference: str, letter_id: int) -> HttpResponse:
    user = request.user
    complaint, letter = _letter(request, reference, letter_id)
    if not letter.is_draft:
        return render(request, "correspondence/letter_sent.html", {"complaint": complaint, "letter": letter})
    form = LetterForm(request.POST or None, initial={"subject": letter.subject, "body": letter.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(letter=letter, by=user, **form.cleaned_data)
        except ProcedureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("correspondence:edit", complaint.reference, letter.pk)
    status = 400 if form.is_bound else 200
    context = {
        "complaint": complaint,
        "letter": letter,
        "form": form,
        "channel_email": bool(complaint.email),
        "may_write": services.may_write(user, complaint, letter.kind),
    }
    return render(request, "correspondence/letter_edit.html", context, status=status)


@role_required(*LETTER_ROLES)
@require_http_methods(["GET", "POST"])
def preview(request: AuthenticatedRequest, reference: str, letter_id: int) -> HttpResponse:
    """The PDF as it would go out: from the posted (unsaved) text, or the saved draft.
    A sent letter always answers with the stored file, never a new rendering."""
    complaint, letter = _letter(request, reference, letter_id)
    log_access(user=request.user, complaint=complaint, action=AccessAction.LETTER_PREVIEW, detail=f"letter {letter.pk}")
    if not letter.is_draft:
        return stored_pdf_response(letter, inline=True)
    subject, body = letter.subject, letter.body
    if request.method == "POST":
        form = LetterForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_("The letter needs a subject and a text."), status=400, content_type="text/plain")
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
    content = LetterContent(
        complaint=complaint,
        subject=subject,
        body=body,
        letter_date=local_date(timezone.now()),
        kind=letter.kind,
        draft=True,
    )
    filename = f"{complaint.reference}-{file_word(letter.kind)}-concept.pdf"
    return pdf_response(render_content(content), filename, inline=True)


@role_required(*LETTER_ROLES)
@require_POST
def send(request: AuthenticatedRequest, reference: str, letter_id: int) -> HttpResponse:
    """Save the reviewed text and send it, in one go."""
    user = request.user
    complaint, letter = _letter(request, reference, letter_id)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "correspondence/letter_edit.html",
            {"complaint": complaint, "letter": letter, "form": form, "channel_email": bool(complaint.email)},
            status=400,
        )
    try:
        services.save_draft(letter=letter, by=user, **form.cleaned_data)
        letter = services.send_letter(letter=letter, by=user)
    except ProcedureError as error:
        messages.error(request, str(error))
        return redirect("correspondence:edit", complaint.reference, letter.pk)
    if letter.channel == "email":
        messages.success(request, _("The letter has been sent by e-mail to %(email)s.") % {"email": complaint.email})
    else:
        messages.success(request, _("The letter is recorded as sent by post. Print the PDF and post it today."))
    return redirect("correspondence:edit", complaint.reference, letter.pk)


@role_required(*LETTER_ROLES)
@require_POST
def discard(request: AuthenticatedRequest, reference: str, letter_id: int) -> HttpResponse:
    user = request.user
    complaint, letter = _letter(request, reference, letter_id)
    try:
        services.discard_draft(letter=letter, by=user)
    except ProcedureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The draft has been deleted."))
    return redirect("complaints:detail", complaint.reference)


@role_required(*LETTER_ROLES)
def download(request: AuthenticatedRequest, reference: str, letter_id: int) -> HttpResponse:
    """The stored PDF of a sent letter: print-ready, exactly what went out."""
    complaint, letter = _letter(request, reference, letter_id)
    # An anonymised complaint's letters are gone from storage.
    if letter.is_draft or not letter.pdf:
        raise Http404
    log_access(user=request.user, complaint=complaint, action=AccessAction.LETTER, detail=f"letter {letter.pk}")
    return stored_pdf_response(letter)


@role_required(*LETTER_ROLES)
@require_POST
def post_instead(request: AuthenticatedRequest, reference: str, letter_id: int) -> HttpResponse:
    user = request.user
    complaint, letter = _letter(request, reference, letter_id)
    try:
        services.send_by_post_instead(letter=letter, by=user)
    except ProcedureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked to be sent by post. Print the PDF and post it."))
    if request.POST.get("next") == "outbox":
        return redirect("outbox:list")
    return redirect("complaints:detail", complaint.reference)


# Templates -----------------------------------------------------------------------------


@role_required(Role.QUALITY_MANAGER)
def template_list(request: AuthenticatedRequest) -> HttpResponse:
    templates = [services.get_template(kind) for kind in LetterKind.values]
    return render(request, "correspondence/template_list.html", {"templates": templates})


@role_required(Role.QUALITY_MANAGER)
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """Edit a kind's text; "preview" renders it on a real complaint without saving."""
    user = request.user
    if kind not in LetterKind.values:
        raise Http404
    template = services.get_template(kind)
    form = TemplateForm(
        request.POST or None,
        initial={"subject": template.subject, "body": template.body, "reference": request.GET.get("klacht", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "preview":
            if not data["reference"]:
                form.add_error("reference", _("Give the reference number of the complaint to preview with."))
            else:
                complaint = complaints_for(user).filter(reference=data["reference"]).first()
                if complaint is None:
                    form.add_error("reference", _("There is no complaint with this reference number."))
                else:
                    return _template_preview(complaint, kind=kind, subject=data["subject"], body=data["body"])
        else:
            try:
                services.update_template(kind=kind, by=user, subject=data["subject"], body=data["body"])
            except ProcedureError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The template has been saved."))
                return redirect("correspondence:template_edit", kind)
    placeholders = sorted(PLACEHOLDERS.items())
    status = 400 if form.is_bound else 200
    return render(
        request,
        "correspondence/template_edit.html",
        {"template": template, "form": form, "placeholders": placeholders},
        status=status,
    )


def _template_preview(complaint: Complaint, *, kind: str, subject: str, body: str) -> HttpResponse:
    values = values_for(complaint, organisation=get_organisation())
    content = LetterContent(
        complaint=complaint,
        subject=substitute(subject, values),
        body=substitute(body, values),
        letter_date=local_date(timezone.now()),
        kind=kind,
        draft=True,
    )
    return pdf_response(render_content(content), f"{complaint.reference}-{file_word(kind)}-voorbeeld.pdf", inline=True)


def attachment_totals(complaint: Complaint) -> tuple[int, int]:
    totals = complaint.attachments.aggregate(count=Count("pk"), size=Sum("size"))
    return totals["count"] or 0, totals["size"] or 0


@role_required(*LETTER_ROLES)
@require_POST
def reissue_status_link(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """A new link for the complainant: mailed, or a letter to print when they have no e-mail."""
    user = request.user
    complaint = get_complaint_for(user, reference)
    try:
        letter = status_links.reissue_status_link(complaint=complaint, by=user)
    except ProcedureError as error:
        messages.error(request, str(error))
        return redirect("complaints:detail", complaint.reference)
    if letter is None:
        messages.success(
            request,
            _("A new link has been sent to %(email)s; earlier links no longer work.") % {"email": complaint.email},
        )
        return redirect("complaints:detail", complaint.reference)
    filename, pdf = letter
    return pdf_response(pdf, filename, inline=False)
