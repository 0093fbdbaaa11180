"""The quality manager's changes to the calendar and the procedure's periods.

Deadlines are stored on each complaint when it is registered, so a change here affects
complaints registered afterwards only; the deadlines already promised stay as they are."""

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from complaints.errors import NotPermitted, ProcedureError
from complaints.rules import is_quality_manager
from organisation import audit
from organisation.models import AdminAction, ClosureDay, OrganisationSettings
from organisation.selectors import get_organisation

from . import calendar
from .models import DeadlineKind, Reminder, ReminderKind

logger = logging.getLogger(__name__)


def _require_quality_manager(by: User) -> None:
    if not is_quality_manager(by):
        raise NotPermitted(_("Only the quality manager manages the calendar and the periods."))


def add_closure_day(*, day: date, description: str, by: User) -> ClosureDay:
    _require_quality_manager(by)
    description = (description or "").strip()
    if not description:
        raise ProcedureError(_("Say why the organisation is closed that day."))
    if not calendar.is_working_day(day):
        name = calendar.holiday_name(day)
        raise ProcedureError(
            _("%(date)s is not a working day anyway (%(why)s).")
            % {"date": date_format(day, "l j F Y"), "why": name or _("weekend")}
        )
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(day=day, description=description)
            audit.record(by=by, action=AdminAction.CLOSURE_DAY_ADDED, detail=f"{day:%d-%m-%Y} {description}")
    except IntegrityError:
        raise ProcedureError(_("%(date)s is already a closure day.") % {"date": date_format(day, "j F Y")}) from None
    logger.info("closure day %s added by %s", day, by.username)
    return closure


def delete_closure_day(*, closure_day: ClosureDay, by: User) -> None:
    _require_quality_manager(by)
    with transaction.atomic():
        closure_day.delete()
        audit.record(
            by=by,
            action=AdminAction.CLOSURE_DAY_DELETED,
            detail=f"{closure_day.day:%d-%m-%Y} {closure_day.description}",
        )
    logger.info("closure day %s deleted by %s", closure_day.day, by.username)


def update_periods(
    *, by: User, acknowledgement_working_days: int, first_contact_days: int, resolution_days: int
) -> OrganisationSettings:
    """Change the procedure's periods, for complaints registered from now on."""
    _require_quality_manager(by)
    if min(acknowledgement_working_days, first_contact_days, resolution_days) < 1:
        raise ProcedureError(_("Every period is at least one day."))
    if first_contact_days > resolution_days:
        raise ProcedureError(_("First contact cannot come after the resolution deadline."))
    with transaction.atomic():
        organisation = OrganisationSettings.objects.select_for_update().get(pk=get_organisation().pk)
        changes = {
            audit.field_label(OrganisationSettings, name): (getattr(organisation, name), value)
            for name, value in (
                ("acknowledgement_working_days", acknowledgement_working_days),
                ("first_contact_days", first_contact_days),
                ("resolution_days", resolution_days),
            )
            if getattr(organisation, name) != value
        }
        organisation.acknowledgement_working_days = acknowledgement_working_days
        organisation.first_contact_days = first_contact_days
        organisation.resolution_days = resolution_days
        organisation.save(
            update_fields=["acknowledgement_working_days", "first_contact_days", "resolution_days", "updated_at"]
        )
        if changes:
            audit.record(by=by, action=AdminAction.PERIODS_CHANGED, detail=audit.describe_changes(changes))
    logger.info(
        "periods changed by %s: %s working days / %s days / %s days",
        by.username,
        acknowledgement_working_days,
        first_contact_days,
        resolution_days,
    )
    return organisation


def move_open_reminders(*, complaint_pk: int, to_address: str) -> int:
    """On a hand-over, the reminders not yet mailed about the deadlines the responsible person
    acts on (contact, resolution) go to the new owner instead of the previous one."""
    if not to_address:
        return 0
    pending = Reminder.objects.filter(
        complaint_id=complaint_pk,
        kind=ReminderKind.REMINDER,
        deadline__in=[DeadlineKind.CONTACT, DeadlineKind.RESOLVE],
        digest__isnull=True,
    ).exclude(address=to_address)
    return pending.update(address=to_address)
