from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.http import AuthenticatedRequest
from accounts.permissions import role_required
from accounts.roles import Role
from lib.pagination import newest_first_page
from privacy.models import AccessAction
from privacy.services import log_access

from .models import OutboxMessage


@role_required(Role.QUALITY_MANAGER)
def message_list(request: HttpRequest) -> HttpResponse:
    page = newest_first_page(
        OutboxMessage.objects.select_related("complaint", "letter").defer("body_text", "body_html"),
        field="created_at",
        cursor=request.GET.get("cursor"),
        size=50,
    )
    return render(request, "outbox/message_list.html", {"page": page})


@role_required(Role.QUALITY_MANAGER)
def message_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage.objects.select_related("complaint", "letter"), pk=pk)
    if message.complaint is not None:
        # The whole message, with what it says about the complainant.
        log_access(user=request.user, complaint=message.complaint, action=AccessAction.MAIL, detail=f"e-mail {pk}")
    return render(request, "outbox/message_detail.html", {"message": message, "attachments": message.attachments.all()})
