"""Who may take which step, and which steps a complaint's state allows.

One place for both questions, so the service that does a step, the view that offers it
(403 for a role that may not) and the complaint page that shows its button agree."""

from accounts.models import User
from accounts.roles import Role

from .models import Agreement, Complaint, Status


def is_quality_manager(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.QUALITY_MANAGER)


def manages(user: User, complaint: Complaint) -> bool:
    """The quality manager, unless the complaint is about them."""
    return is_quality_manager(user) and not complaint.is_about(user)


def handles(user: User, complaint: Complaint) -> bool:
    """The quality manager, or the responsible person the complaint is assigned to."""
    if not user.is_authenticated or complaint.is_about(user):
        return False
    if user.has_role(Role.QUALITY_MANAGER):
        return True
    return user.has_role(Role.RESPONSIBLE) and complaint.assigned_to_id == user.pk


def may_record_withdrawal(user: User, complaint: Complaint) -> bool:
    # A complainant often withdraws by phone, and the back office takes the calls.
    if not user.is_authenticated or complaint.is_about(user):
        return False
    return handles(user, complaint) or user.has_role(Role.BACK_OFFICE)


def may_link_person(user: User, complaint: Complaint) -> bool:
    # The back office registers the complaint and reads "Persoon / functie" first.
    if not user.is_authenticated or complaint.is_about(user):
        return False
    return manages(user, complaint) or user.has_role(Role.BACK_OFFICE)


# Each action: (who may, in which states).
ROLE_CHECKS = {
    "link_person": may_link_person,
    "acknowledge": manages,
    "assign": manages,
    "extend": manages,
    "reopen": manages,
    "log_call": handles,
    "plan_meeting": handles,
    "meeting": handles,
    "discussion": handles,
    "agreement": handles,
    "complete_agreement": handles,
    "confirm": handles,
    "close": handles,
    "withdraw": may_record_withdrawal,
}


def may_complete_agreement(user: User, agreement: Agreement) -> bool:
    """The handler ticks any agreement off; the staff member who carries one out, their own, also
    when the complaint itself is outside their reach."""
    complaint = agreement.complaint
    if handles(user, complaint):
        return True
    return user.is_authenticated and agreement.owner_user_id == user.pk and not complaint.is_about(user)


def may(user: User, action: str, complaint: Complaint) -> bool:
    return bool(ROLE_CHECKS[action](user, complaint))


def available_actions(user: User, complaint: Complaint) -> frozenset[str]:
    """The actions the complaint page offers this user now: role and state both allow them.
    None on a complaint whose data is gone or whose processing is restricted."""
    if complaint.anonymised_at is not None or complaint.is_restricted:
        return frozenset()
    if complaint.status == Status.CLOSED:
        candidates = {"reopen", "complete_agreement"}
    elif complaint.status == Status.WITHDRAWN:
        candidates = set()
    else:
        # The acknowledgement and the confirmation are recorded by sending their letter only.
        candidates = set(ROLE_CHECKS) - {"reopen", "acknowledge", "confirm"}
    return frozenset(action for action in candidates if may(user, action, complaint))
