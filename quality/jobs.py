"""Reminders about corrective actions, run by the one scheduler (settings.PERIODIC_JOBS).

Each reminder is claimed by inserting an ActionReminder row whose unique constraint
(action, kind, date) lets exactly one run send it; a missed run catches up because the
job looks for everything due on or before today."""

import logging
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from deadlines.calendar import add_working_days
from lib.dates import local_date
from organisation.selectors import closure_days, get_organisation
from outbox.services import queue_mail

from .models import ActionReminder, ActionStatus, CorrectiveAction

logger = logging.getLogger(__name__)

# An owner hears about an action this many working days before it is due.
REMIND_WORKING_DAYS_BEFORE = 2


def _claim_and_send(
    action: CorrectiveAction, *, kind: str, for_date: date, to: list[str], context: dict[str, object]
) -> bool:
    try:
        with transaction.atomic():
            ActionReminder.objects.create(action=action, kind=kind, for_date=for_date)
            with translation.override(settings.LANGUAGE_CODE):
                queue_mail(
                    kind=f"action_{kind}",
                    notice=True,
                    to=to,
                    subject=render_to_string("quality/mail/action_reminder_subject.txt", context).strip(),
                    text=render_to_string("quality/mail/action_reminder.txt", context),
                )
    except IntegrityError:
        # Another run claimed it first.
        return False
    return True


def send_action_reminders() -> int:
    """1. Owners of open actions due within two working days get a reminder.
    2. The day after an action's due date passes, the quality managers hear it is overdue.
    3. When an effectiveness check comes due, the quality managers are asked to do it.
    Returns the number of reminders sent."""
    today = local_date(timezone.now())
    soon = add_working_days(today, REMIND_WORKING_DAYS_BEFORE, closure_days=closure_days())
    managers = [
        u.email for u in User.objects.filter(groups__name=Role.QUALITY_MANAGER, is_active=True).exclude(email="")
    ] or [get_organisation().quality_inbox]
    site = settings.SITE_URL
    sent = 0
    open_actions = CorrectiveAction.objects.filter(status=ActionStatus.OPEN, due__lte=soon).select_related("owner")
    for action in open_actions:
        url = site + reverse("quality:action_detail", args=[action.pk])
        if action.due >= today and action.owner.email:
            context = {"action": action, "url": url, "kind": "due_soon"}
            sent += _claim_and_send(
                action, kind="due_soon", for_date=action.due, to=[action.owner.email], context=context
            )
        if action.due < today:
            context = {"action": action, "url": url, "kind": "overdue"}
            sent += _claim_and_send(action, kind="overdue", for_date=action.due, to=managers, context=context)
    checks = CorrectiveAction.objects.filter(
        status=ActionStatus.DONE, check_due__lte=today, checked_at__isnull=True
    ).select_related("owner")
    for action in checks:
        url = site + reverse("quality:action_detail", args=[action.pk])
        context = {"action": action, "url": url, "kind": "check_due"}
        assert action.check_due is not None  # the query asked for check_due <= today
        sent += _claim_and_send(action, kind="check_due", for_date=action.check_due, to=managers, context=context)
    if sent:
        logger.info("corrective action reminders sent: %s", sent)
    return sent
