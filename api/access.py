"""The API reads complaints under the same access log as the back office: every response that
carries a complaint's contents is recorded as a view, with what the API call was."""

from accounts.models import User
from complaints.models import Complaint
from privacy.models import AccessAction
from privacy.services import log_access as record_access


def log_access(*, user: User, complaint: Complaint, action: str) -> None:
    record_access(user=user, complaint=complaint, action=AccessAction.VIEW, detail=action)
