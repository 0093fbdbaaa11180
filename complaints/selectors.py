"""Reading complaints, always scoped to what the user may see.

Views fetch complaints only through these functions; a complaint outside the user's
reach does not exist for them (404)."""

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
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
    # `contents_visible`: need to know. Back office staff keep seeing what they registered in
    # their list, but once it is handed over only its reference and status.
    return Complaint.objects.filter(scope).exclude(about_user=user).annotate(contents_visible=_contents_visible(user))


def _contents_visible(user: User) -> Case | Value:
    if user.has_role(Role.QUALITY_MANAGER):
        return Value(True)
    readable = Q(pk__in=[])
    if user.has_role(Role.RESPONSIBLE):
        readable |= Q(assigned_to=user)
    if user.has_role(Role.BACK_OFFICE):
        readable |= Q(registered_by=user, assigned_to__isnull=True)
    return Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField())


def get_complaint_for(user: User, reference: str, *, contents: bool = True) -> Complaint:
    """The complaint, if the user may read it (404 otherwise). With contents=False also a
    complaint of which the user may only see the reference and status (the detail page)."""
    complaints = complaints_for(user)
    if contents:
        complaints = complaints.filter(contents_visible=True)
    try:
        return complaints.select_related("assigned_to", "registered_by", "received_by").get(reference=reference)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint.") from None
