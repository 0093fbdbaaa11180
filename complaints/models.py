import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from organisation.models import Procedure

from .sentences import render as render_sentence

if TYPE_CHECKING:
    from accounts.models import User


class Channel(models.TextChoices):
    WEB = "web", _("web form")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    EMAIL = "email", _("e-mail")


class Subject(models.TextChoices):
    SERVICE = "service", _("service delivery")
    WORKING_METHOD = "working_method", _("working method")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)


class Outcome(models.TextChoices):
    WELL_FOUNDED = "well_founded", _("well-founded")
    PARTLY_WELL_FOUNDED = "partly_well_founded", _("partly well-founded")
    UNFOUNDED = "unfounded", _("unfounded")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Complaint(models.Model):
    """A complaint, from receipt to closing.

    The procedure's steps are recorded as moments (acknowledged_at, first_contact_at, ...)
    next to the deadlines they meet, so "was it on time" is a column comparison.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    receipt_year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)

    # Deadlines count from here: the moment the form was sent, the call came in, the letter arrived.
    received_at = models.DateTimeField(_("received on"))
    registered_at = models.DateTimeField(_("registered on"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("taken by")
    )
    # Protects against double clicks and replayed form posts: one key, one complaint.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The quality inbox has not been told yet: set at registration, cleared when the worker
    # writes the notice to the outbox right after commit (or the periodic catch-up does).
    inbox_notice_pending = models.BooleanField(default=False, editable=False)

    # The seed's form fields.
    name = models.CharField(_("Name"), max_length=200)
    company = models.CharField(_("Company"), max_length=200, blank=True)
    complaint_date = models.DateField(_("Date of complaint"))
    about = models.CharField(_("Person / position"), max_length=200, blank=True)
    # The staff members the complaint is about: they never handle it and never see it.
    about_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="complaints_about_them",
        verbose_name=_("staff members the complaint is about"),
    )
    email = models.EmailField(_("E-mail address"), blank=True)
    postal_address = models.TextField(_("Postal address"), blank=True)
    phone = models.CharField(_("Phone number"), max_length=40, blank=True)
    description = models.TextField(_("Description of the complaint"))
    subject = models.CharField(_("The complaint concerns"), max_length=20, choices=Subject.choices)
    desired_outcome = models.TextField(_("Desired outcome"), blank=True)

    # Deadlines, set at registration from the organisation's periods and the working-day calendar.
    # The procedure it was received under (deadlines.profiles); a later choice does not change it.
    procedure = models.CharField(
        _("complaints procedure"), max_length=10, choices=Procedure.choices, default=Procedure.OWN
    )
    acknowledge_due = models.DateField(_("acknowledgement due"))
    contact_due = models.DateField(_("first contact due"))
    resolve_due = models.DateField(_("resolution due"))

    # The procedure's steps.
    acknowledged_at = models.DateTimeField(_("acknowledged on"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("responsible person"),
    )
    assigned_at = models.DateTimeField(_("handed over on"), null=True, blank=True)
    # The first contact meets the contact deadline: a call, a meeting held, or an invitation to a
    # meeting sent (the seed: "contact met u opnemen ... of u uit te nodigen"). The first
    # conversation itself (a call or a meeting held) is what the written confirmation confirms.
    first_contact_at = models.DateTimeField(_("first contact on"), null=True, blank=True)
    conversation_at = models.DateTimeField(_("first conversation on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmation sent on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    complainant_agrees = models.BooleanField(_("complainant agrees"), null=True, blank=True)
    # What was discussed with the complainant; the written confirmation repeats it.
    discussion_summary = models.TextField(_("summary of the conversation"), blank=True)
    # Why the resolution deadline was moved (the last extension; the timeline keeps each one).
    resolve_extension_reason = models.TextField(_("reason for the extension"), blank=True)

    # Set when the personal data has been removed (retention or erasure).
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["receipt_year", "sequence"], name="complaint_unique_sequence_per_year"),
        ]
        indexes = [
            # The complaint list: newest first, optionally by status or channel.
            models.Index(fields=["-received_at", "-id"], name="complaint_newest_idx"),
            models.Index(fields=["status", "-received_at", "-id"], name="complaint_status_newest_idx"),
            models.Index(fields=["channel", "-received_at", "-id"], name="complaint_channel_newest_idx"),
            # A responsible person's work queue.
            models.Index(fields=["assigned_to", "status", "resolve_due"], name="complaint_assignee_idx"),
            # Reminder and escalation sweeps over open complaints.
            models.Index(fields=["status", "acknowledge_due"], name="complaint_ack_due_idx"),
            models.Index(fields=["status", "contact_due"], name="complaint_contact_due_idx"),
            models.Index(fields=["status", "resolve_due"], name="complaint_resolve_due_idx"),
            # Retention: closed complaints not yet anonymised, by closing date.
            models.Index(fields=["anonymised_at", "closed_at"], name="complaint_retention_idx"),
            # The few complaints whose notice to the quality inbox is still to be written.
            models.Index(fields=["id"], condition=models.Q(inbox_notice_pending=True), name="complaint_notice_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @cached_property
    def linked_staff(self) -> list["User"]:
        """The staff members it is about, read once per instance: the rules ask for every step
        they offer. The steps that change the links call forget_linked_staff()."""
        # No query when the complaint's own query found no link (has_about_staff:
        # complaints.views.section_flags).
        if self.pk is None or getattr(self, "has_about_staff", True) is False:
            return []
        return list(self.about_staff.order_by("first_name", "last_name", "username"))

    def is_about(self, user: object) -> bool:
        pk = getattr(user, "pk", None)
        return pk is not None and any(person.pk == pk for person in self.linked_staff)

    @cached_property
    def is_restricted(self) -> bool:
        """Its processing is restricted now (GDPR art. 18): stored only, no steps and no mail
        (privacy.restriction). The complaint page asks it in its own query."""
        return bool(self.restrictions.filter(lifted_at__isnull=True).exists())

    def forget_linked_staff(self) -> None:
        self.__dict__.pop("linked_staff", None)
        self.__dict__.pop("has_about_staff", None)


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The original name never reaches the file system.
    return f"attachments/{instance.received_at_path()}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200, verbose_name=_("file"))
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("checksum (SHA-256)"))
    uploaded_at = models.DateTimeField(_("added on"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    def received_at_path(self) -> str:
        return f"{self.complaint.received_at:%Y/%m}"


class Visibility(models.TextChoices):
    # Shown to the complainant on their status page as well as to staff.
    PUBLIC = "public", _("visible to the complainant")
    INTERNAL = "internal", _("internal")


# The parties other than staff that act on a complaint, by the words they were recorded with.
PARTIES = {
    "klager": _("complainant"),
    "complainant": _("complainant"),
    "systeem": _("system"),
    "system": _("system"),
}


class TimelineEvent(models.Model):
    """One thing that happened to a complaint: the audit trail and, filtered by visibility,
    the complainant's history. Rows are only ever added."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), db_index=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Who acted when it was not a user: "klager", "systeem", an e-mail sender.
    actor_label = models.CharField(max_length=120, blank=True, verbose_name=_("acting party"))
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    message = models.TextField(verbose_name=_("message"))
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL)
    data = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("history")
        ordering = ["at", "pk"]
        indexes = [
            # The timeline on the complaint page, in order.
            models.Index(fields=["complaint", "at"], name="timeline_complaint_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def sentence(self) -> str:
        """What happened, in the reader's language (complaints/sentences.py). An event recorded
        before its sentence was kept reads as it was written."""
        kept = self.data.get("sentence") if isinstance(self.data, dict) else None
        return render_sentence(kept) if kept else self.message

    @property
    def actor_name(self) -> str:
        """Who acted, in the reader's language: the complainant and the system were written
        down in the language of the moment it happened."""
        if self.actor_id is not None:
            return self.actor.display_name  # type: ignore[union-attr]
        party = PARTIES.get(self.actor_label.casefold())
        return str(party) if party is not None else self.actor_label


class ReferenceCounter(models.Model):
    """The last sequence number handed out per year of receipt."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ContactKind(models.TextChoices):
    CALL = "call", _("phone call")
    MEETING = "meeting", _("meeting")


class ContactStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Contact(models.Model):
    """A phone call or a meeting with the complainant.

    A meeting is planned first and later recorded as held or cancelled; a call is logged
    once it took place. `uid` and `sequence` are the iCalendar identity of a meeting
    invitation: the uid never changes, the sequence goes up with every change, so a
    calendar program replaces the earlier invitation instead of adding a second one."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ContactStatus.choices)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    happened_at = models.DateTimeField(_("took place on"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        # The complaint page lists a complaint's contacts in order; the FK index serves it.
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.status}"

    @property
    def is_planned_meeting(self) -> bool:
        return self.kind == ContactKind.MEETING and self.status == ContactStatus.PLANNED


class Agreement(models.Model):
    """An agreement (afspraak) made with the complainant: what, who does it, by when.

    The owner is a member of staff (`owner_user`, reminded before the date and when it passes,
    and listed on their "my work"), or free text for the complainant ("sends the invoice
    numbers") or an outside party. `owner` always holds the name as shown."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="agreements")
    description = models.TextField(_("description"))
    owner = models.CharField(_("who does it"), max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_agreements",
        verbose_name=_("staff member who does it"),
    )
    due = models.DateField(_("by when"))
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("done by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["due", "pk"]
        indexes = [
            # "Does this complaint still have open agreements?" when closing.
            models.Index(fields=["complaint", "done_at"], name="agreement_open_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:50]

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due < timezone.localdate()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
