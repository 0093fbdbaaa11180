"""The retention terms of the records outside a complaint file, applied by one periodic job.

A complaint file is anonymised when the organisation's retention period has passed
(privacy.anonymise). These records live outside it and have terms of their own (settings, named
in the processing register):

- a data-subject request, REQUEST_RETENTION_MONTHS after it was answered: deleted;
- an access log entry, ACCESS_LOG_RETENTION_MONTHS after it was written: deleted (the database
  keeps every entry at least a year);
- a deactivated staff account, STAFF_ACCOUNT_RETENTION_MONTHS after the deactivation: its name,
  e-mail address and job title removed; the account stays, as the timeline points at it;
- e-mail not about a complaint, OUTBOX_RETENTION_MONTHS after it was sent or given up: deleted;
- incoming mail that no complaint took in (unreadable, rejected, a bounce, our own),
  MAIL_EXCERPT_RETENTION_DAYS after it came in: its sender, subject, header excerpt and held copy
  removed; the row stays, so the same message is not fetched again."""

from datetime import datetime, timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from mailintake.models import InboundMessage, Outcome
from outbox.models import MessageStatus, OutboxMessage

from .models import AccessLog, DataSubjectRequest, ProcessingRestriction, RequestStatus

# The user name a former staff member's account keeps.
FORMER = "oud-medewerker-"


class Term(NamedTuple):
    months: int = 0
    days: int = 0

    def cutoff(self, now: datetime) -> datetime:
        moment: datetime = now - relativedelta(months=self.months) - timedelta(days=self.days)
        return moment


def terms() -> dict[str, Term]:
    """Each record's term, as the processing register shows it."""
    return {
        "requests": Term(months=settings.REQUEST_RETENTION_MONTHS),
        "access_log": Term(months=settings.ACCESS_LOG_RETENTION_MONTHS),
        "staff_accounts": Term(months=settings.STAFF_ACCOUNT_RETENTION_MONTHS),
        "outbox": Term(months=settings.OUTBOX_RETENTION_MONTHS),
        "mail_excerpts": Term(days=settings.MAIL_EXCERPT_RETENTION_DAYS),
    }


def purge_expired(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: each kind of record in its own transaction."""
    now = now or timezone.now()
    cutoff = {name: term.cutoff(now) for name, term in terms().items()}
    done = {}
    with transaction.atomic():
        expired = DataSubjectRequest.objects.filter(
            status__in=(RequestStatus.DONE, RequestStatus.REFUSED), completed_at__lt=cutoff["requests"]
        )
        # Restrictions placed for a request keep their own record; they stop pointing at it.
        ProcessingRestriction.objects.filter(request__in=expired).update(request=None)
        done["requests"] = expired.delete()[1].get(DataSubjectRequest._meta.label, 0)
    with transaction.atomic():
        # The base manager: the access log's own manager refuses deletes on purpose.
        deleted = AccessLog._base_manager.filter(at__lt=cutoff["access_log"]).delete()[1]
        done["access_log"] = deleted.get(AccessLog._meta.label, 0)
    with transaction.atomic():
        done["staff_accounts"] = forget_former_staff(before=cutoff["staff_accounts"])
    with transaction.atomic():
        done["outbox"] = (
            OutboxMessage.objects.filter(complaint__isnull=True)
            .filter(status__in=(MessageStatus.SENT, MessageStatus.FAILED), created_at__lt=cutoff["outbox"])
            .delete()[1]
            .get(OutboxMessage._meta.label, 0)
        )
    with transaction.atomic():
        done["mail_excerpts"] = (
            InboundMessage.objects.filter(complaint__isnull=True, received_at__lt=cutoff["mail_excerpts"])
            .exclude(outcome=Outcome.HELD)
            .exclude(from_address="", from_name="", subject="", headers_excerpt="", held_message__isnull=True)
            .update(from_address="", from_name="", subject="", headers_excerpt="", held_message=None)
        )
    return done


def forget_former_staff(*, before: datetime) -> int:
    """Remove the name, e-mail address and job title of accounts deactivated before `before`.
    The account stays (the timeline and the access log point at it), as "former staff member N"."""
    former = User.objects.filter(is_active=False, deactivated_at__lt=before).exclude(username__startswith=FORMER)
    count = 0
    for user in former.select_for_update():
        user.username = f"{FORMER}{user.pk}"
        user.first_name, user.last_name, user.email, user.job_title = "", "", "", ""
        user.set_unusable_password()
        user.save(update_fields=["username", "first_name", "last_name", "email", "job_title", "password"])
        count += 1
    return count
