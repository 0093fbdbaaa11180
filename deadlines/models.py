"""Reminders and escalations: each one claimed by inserting its row, so it is sent once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("acknowledgement")
    CONTACT = "contact", _("first contact")
    RESOLVE = "resolve", _("resolution")
    # An agreement's date, for the staff member who carries it out.
    AGREEMENT = "agreement", _("an agreement")


# Each deadline: the column with its date and the column whose moment meets it.
DEADLINE_FIELDS = {
    DeadlineKind.ACKNOWLEDGE: ("acknowledge_due", "acknowledged_at"),
    DeadlineKind.CONTACT: ("contact_due", "first_contact_at"),
    DeadlineKind.RESOLVE: ("resolve_due", "closed_at"),
}


class ReminderKind(models.TextChoices):
    # To whoever must act, two working days before the deadline.
    REMINDER = "reminder", _("reminder")
    # To the quality manager(s), from the day after a missed deadline.
    ESCALATION = "escalation", _("escalation")


class Digest(models.Model):
    """The one mail a person gets from a run of the scheduler, listing every reminder claimed for
    them since their last one. A reminder belongs to exactly one digest: the run that takes it
    locks it first, so two overlapping runs never mail it twice."""

    address = models.EmailField()
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.address} {self.day}"


class Reminder(models.Model):
    """One reminder or escalation about one deadline of one complaint.

    Inserting the row claims it: the unique constraint lets exactly one of two concurrent
    runs insert it. `due` is part of the key so an extended resolution deadline gets a new
    reminder before its new date; `address` so each quality manager is told once.
    Until a digest takes it, `digest` is empty; it then goes out in that person's next
    daily digest."""

    complaint = models.ForeignKey("complaints.Complaint", models.CASCADE, related_name="reminders")
    deadline = models.CharField(max_length=12, choices=DeadlineKind.choices)
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    due = models.DateField()
    address = models.EmailField(verbose_name=_("e-mail address"))
    created_at = models.DateTimeField(auto_now_add=True)
    digest = models.ForeignKey(Digest, models.SET_NULL, null=True, blank=True, related_name="reminders")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "deadline", "kind", "due", "address"], name="reminder_once_per_deadline_person"
            ),
        ]
        indexes = [
            # The digest step: a person's reminders not yet mailed.
            models.Index(fields=["address", "digest"], name="reminder_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.deadline} {self.kind} {self.due}"
