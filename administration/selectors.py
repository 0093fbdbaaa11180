"""What the administrator's pages read: the staff list, one staff member, their open work."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.permissions import is_administrator
from complaints.models import OPEN_STATUSES, Agreement, Complaint
from organisation.models import AdminLogEntry
from quality.models import ActionStatus, CorrectiveAction


def staff_members() -> "QuerySet[User]":
    """Every account with its roles and whether it has a second factor, in one query."""
    second_factor = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return User.with_roles().annotate(has_second_factor=Exists(second_factor)).order_by("-is_active", "username")


def get_staff_member_for(by: User, pk: int) -> User:
    """A staff account an administrator may manage; 404 for everyone else."""
    if not is_administrator(by):
        raise Http404
    user = staff_members().filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


@dataclass(frozen=True)
class OpenWork:
    """What a staff member still has in hand: to hand over before or after deactivating."""

    complaints: list[Complaint]
    agreements: list[Agreement]
    corrective_actions: list[CorrectiveAction]

    @property
    def is_empty(self) -> bool:
        return not (self.complaints or self.agreements or self.corrective_actions)


def open_work_of(user: User) -> OpenWork:
    # References, states and dates only: an administrator does not read complaints.
    complaints = Complaint.objects.filter(assigned_to=user, status__in=OPEN_STATUSES).only(
        "reference", "status", "resolve_due", "assigned_to"
    )
    agreements = (
        Agreement.objects.filter(complaint__assigned_to=user, complaint__status__in=OPEN_STATUSES, done_at__isnull=True)
        .select_related("complaint")
        .only("due", "complaint__reference")
    )
    actions = (
        CorrectiveAction.objects.filter(owner=user)
        .filter(status=ActionStatus.OPEN)
        .only("title", "due", "status", "owner")
    )
    return OpenWork(
        complaints=list(complaints.order_by("resolve_due")),
        agreements=list(agreements.order_by("due")),
        corrective_actions=list(actions.order_by("due")),
    )


def log_entries() -> "QuerySet[AdminLogEntry]":
    return AdminLogEntry.objects.select_related("actor", "subject")
