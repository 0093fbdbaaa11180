"""Reminders and escalations about deadlines, mailed as one daily digest per person.

Run by the periodic scheduler (settings.PERIODIC_JOBS). Everything is decided by the
stored deadlines and the rows already claimed, so a run can be repeated, run twice at
once, or missed: the next run claims what is still due and nothing twice.

1. Claim: for every open complaint with an unmet deadline within two working days, a
   reminder to whoever must act; for every deadline already passed, an escalation to
   the quality manager(s). Inserting the Reminder row (unique per complaint, deadline,
   kind, due date and person) is the claim.
2. Digest: for every person with claimed reminders not yet mailed, insert today's Digest
   row (unique per person and day: the claim of the day's one mail), attach the reminders
   and write the mail to the outbox in the same transaction. Reminders claimed after a
   person's digest went out wait for the next day's digest."""

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from complaints.models import OPEN_STATUSES, Agreement, Complaint
from lib.dates import local_date
from organisation.selectors import closure_days, get_organisation
from outbox.services import queue_mail
from privacy.restriction import restricted

from .models import DEADLINE_FIELDS, DeadlineKind, Digest, Reminder, ReminderKind
from .status import soon_limit

logger = logging.getLogger(__name__)


def quality_manager_addresses() -> list[str]:
    addresses = sorted(
        set(
            User.objects.filter(is_active=True, groups__name=Role.QUALITY_MANAGER)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    # Without a quality manager account the quality inbox still hears about it.
    return addresses or [get_organisation().quality_inbox]


def _due_complaints(kind: DeadlineKind, reminder_kind: ReminderKind, **due_filter: date) -> list[dict[str, Any]]:
    """Open complaints whose `kind` deadline is unmet and in range, not yet claimed for anyone.

    Served by the (status, <deadline>_due) indexes: with nothing due this reads no rows."""
    due_field, met_field = DEADLINE_FIELDS[kind]
    already = Reminder.objects.filter(
        complaint=OuterRef("pk"), deadline=kind, kind=reminder_kind, due=OuterRef(due_field)
    )
    due: Any = (
        Complaint.objects.filter(
            status__in=OPEN_STATUSES,
            **{f"{met_field}__isnull": True},
            **{f"{due_field}__{lookup}": value for lookup, value in due_filter.items()},
        )
        .exclude(Exists(already))
        # A restricted complaint's deadlines are paused (GDPR art. 18): nobody is reminded.
        .exclude(restricted())
    )
    found = list(due.values("pk", "assigned_to__email", "assigned_to__is_active", due=F(due_field)))
    # The addresses of the staff each complaint is about (few complaints have any).
    about: dict[int, set[str]] = {}
    if found:
        links = Complaint.about_staff.through.objects.filter(complaint__in=due.values("pk"))
        for complaint_id, email in links.values_list("complaint_id", "user__email"):
            about.setdefault(complaint_id, set()).add(email.casefold())
    for row in found:
        row["about"] = about.get(row["pk"], set())
    return found


def claim_reminders(*, today: date) -> int:
    """Insert the Reminder rows now due; returns how many were found unclaimed.

    ON CONFLICT DO NOTHING: a row another run inserted first (or is inserting, on PostgreSQL
    the insert waits for it) is skipped, so each reminder exists once whoever wins."""
    limit = soon_limit(today, closure_days=closure_days())
    quality = quality_manager_addresses()
    rows: list[Reminder] = []
    for kind in DEADLINE_FIELDS:
        for row in _due_complaints(kind, ReminderKind.REMINDER, gte=today, lte=limit):
            # The quality manager acknowledges; the responsible person, once there is one, does the rest.
            assignee = row["assigned_to__email"] if row["assigned_to__is_active"] else ""
            addresses = [assignee] if kind != DeadlineKind.ACKNOWLEDGE and assignee else quality
            rows += [_reminder(row, kind, ReminderKind.REMINDER, address) for address in _not_about(row, addresses)]
        for row in _due_complaints(kind, ReminderKind.ESCALATION, lt=today):
            rows += [_reminder(row, kind, ReminderKind.ESCALATION, address) for address in _not_about(row, quality)]
    rows += _agreement_reminders(today=today, limit=limit)
    Reminder.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


def _agreement_reminders(*, today: date, limit: date) -> list[Reminder]:
    """Open agreements of open complaints carried out by a member of staff: a reminder before the
    date and one when it has passed, both to that person."""
    already = Reminder.objects.filter(
        complaint=OuterRef("complaint"),
        deadline=DeadlineKind.AGREEMENT,
        due=OuterRef("due"),
        address=OuterRef("owner_user__email"),
    )
    agreements = (
        Agreement.objects.filter(
            done_at__isnull=True, complaint__status__in=OPEN_STATUSES, due__lte=limit, owner_user__is_active=True
        )
        .exclude(owner_user__email="")
        .exclude(restricted("complaint"))
        .values("complaint_id", "due", "owner_user__email")
    )
    rows = []
    for kind, found in (
        (ReminderKind.REMINDER, agreements.filter(due__gte=today)),
        (ReminderKind.ESCALATION, agreements.filter(due__lt=today)),
    ):
        for row in found.exclude(Exists(already.filter(kind=kind))):
            rows.append(
                Reminder(
                    complaint_id=row["complaint_id"],
                    deadline=DeadlineKind.AGREEMENT,
                    kind=kind,
                    due=row["due"],
                    address=row["owner_user__email"],
                )
            )
    return rows


def _not_about(row: dict[str, Any], addresses: list[str]) -> list[str]:
    """The person a complaint is about hears nothing of it, not even its reference."""
    return [address for address in addresses if address.casefold() not in row["about"]]


def _reminder(row: dict[str, Any], kind: DeadlineKind, reminder_kind: ReminderKind, address: str) -> Reminder:
    return Reminder(complaint_id=row["pk"], deadline=kind, kind=reminder_kind, due=row["due"], address=address)


def _digest_items(reminders: list[Reminder]) -> list[dict[str, Any]]:
    items = []
    for reminder in sorted(reminders, key=lambda r: (r.kind != ReminderKind.ESCALATION, r.due, r.complaint_id)):
        complaint = reminder.complaint
        if reminder.deadline == DeadlineKind.AGREEMENT:
            met = not complaint.agreements.filter(
                due=reminder.due, owner_user__email=reminder.address, done_at__isnull=True
            ).exists()
        else:
            _due_field, met_field = DEADLINE_FIELDS[DeadlineKind(reminder.deadline)]
            met = getattr(complaint, met_field) is not None
        items.append(
            {
                "reminder": reminder,
                "complaint": complaint,
                "deadline": DeadlineKind(reminder.deadline).label,
                "escalation": reminder.kind == ReminderKind.ESCALATION,
                # Met or closed between the claim and this mail: say so rather than nag.
                "settled": met or complaint.status not in OPEN_STATUSES,
                "url": settings.SITE_URL + reverse("complaints:detail", args=[complaint.reference]),
            }
        )
    return items


def send_digests(*, today: date) -> int:
    """One mail per person with reminders not yet mailed: nothing claimed waits longer than the
    next run, and nobody gets more than one mail from a run."""
    sent = 0
    addresses = (
        Reminder.objects.filter(digest__isnull=True).values_list("address", flat=True).distinct().order_by("address")
    )
    for address in list(addresses):
        with transaction.atomic():
            # Rows another run holds are its to mail (PostgreSQL; SQLite runs one writer at a time).
            pending = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(address=address, digest__isnull=True)
                .select_related("complaint")
            )
            if not pending:
                continue
            digest = Digest.objects.create(address=address, day=today)
            Reminder.objects.filter(pk__in=[r.pk for r in pending], digest__isnull=True).update(digest=digest)
            items = _digest_items(pending)
            context = {"items": items, "today": today, "organisation": get_organisation()}
            with translation.override(settings.LANGUAGE_CODE):
                queue_mail(
                    kind="deadline_digest",
                    notice=True,
                    to=[address],
                    subject=render_to_string("deadlines/mail/digest_subject.txt", context).strip(),
                    text=render_to_string("deadlines/mail/digest.txt", context),
                )
            sent += 1
    return sent


def send_reminders() -> dict[str, int]:
    """The periodic job: claim what is due, then mail each person's digest."""
    today = local_date(timezone.now())
    claimed = claim_reminders(today=today)
    sent = send_digests(today=today)
    if claimed or sent:
        logger.info("deadline reminders: %d claimed, %d digests", claimed, sent)
    return {"claimed": claimed, "digests": sent}
