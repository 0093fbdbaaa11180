from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import role_required
from accounts.roles import Role

from .models import InboundMessage, Outcome


@role_required(Role.QUALITY_MANAGER)
def message_list(request: HttpRequest) -> HttpResponse:
    """Received e-mail: what needs a person (quarantined messages) first, then the latest processed."""
    quarantined = InboundMessage.objects.filter(outcome=Outcome.QUARANTINED).order_by("-processed_at", "-pk")[:200]
    recent = (
        InboundMessage.objects.exclude(outcome=Outcome.QUARANTINED)
        .select_related("complaint")
        .order_by("-processed_at", "-pk")[:50]
    )
    return render(request, "mailintake/message_list.html", {"quarantined": quarantined, "recent": recent})
