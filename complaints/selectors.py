"""Reading complaints, always scoped to what the user may see.

Views fetch complaints only through these functions; a complaint outside the user's
reach does not exist for them (404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.roles import Role

from .models import Complaint


def complaints_for(user: User) -> QuerySet[Complaint]:
    if not user.is_authenticated or not user.is_active:
        return Complaint.objects.none()
    if user.has_role(Role.QUALITY_MANAGER):
        scope = Q()
    else:
        scope = Q(pk__in=[])
        if user.has_role(Role.RESPONSIBLE):
            scope |= Q(assigned_to=user)
        if user.has_role(Role.BACK_OFFICE):
            scope |= Q(registered_by=user)
    # The person a complaint is about never sees it, whatever their role.
    return Complaint.objects.filter(scope).exclude(about_user=user)


def get_complaint_for(user: User, reference: str) -> Complaint:
    try:
        return complaints_for(user).select_related("assigned_to", "registered_by", "received_by").get(
            reference=reference
        )
    except Complaint.DoesNotExist:
        raise Http404("No such complaint.") from None
