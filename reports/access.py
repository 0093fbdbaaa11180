from accounts.models import User
from accounts.roles import COMPLAINT_ROLES, Role


def reports_only(user: User) -> bool:
    """Management without a complaint role sees the reports and nothing else of the back office."""
    return user.has_role(Role.MANAGEMENT) and not user.has_role(*COMPLAINT_ROLES)
