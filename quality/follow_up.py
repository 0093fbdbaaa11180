"""The quality manager's follow-up of an unhappy survey answer: reopen the complaint or leave it
closed. A step on top of the procedure (it may reopen) and of the quality loop."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from complaints import services as procedure
from complaints.errors import ProcedureError
from complaints.sentences import Sentence
from complaints.timeline import record_event

from .models import SurveyInvitation


@transaction.atomic
def handle_flag(*, invitation: SurveyInvitation, by: User, reopen_reason: str = "") -> SurveyInvitation:
    """The quality manager deals with an unhappy answer: reopen the complaint (with a reason)
    or leave it closed; either way the flag leaves the work queue."""
    done = SurveyInvitation.objects.filter(pk=invitation.pk, flagged=True).update(
        flagged=False, flag_handled_at=timezone.now(), flag_handled_by=by
    )
    if not done:
        raise ProcedureError(_("This answer has already been dealt with."))
    if reopen_reason.strip():
        procedure.reopen(complaint=invitation.complaint, by=by, reason=reopen_reason.strip())
    else:
        record_event(
            complaint=invitation.complaint,
            kind="survey_flag_handled",
            actor=by,
            message=Sentence(gettext_noop("The unhappy survey answer was reviewed; the complaint stays closed.")),
        )
    invitation.refresh_from_db()
    return invitation
