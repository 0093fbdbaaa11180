import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement of receipt")
    INVITATION = "invitation", _("invitation to a meeting")
    CANCELLATION = "cancellation", _("cancellation of a meeting")
    CONFIRMATION = "confirmation", _("confirmation of the conversation and agreements")
    EXTENSION = "extension", _("notice of an extended deadline")
    CLOSING = "closing", _("closing letter")
    WITHDRAWAL = "withdrawal", _("confirmation of the withdrawal")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent")


class SendChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    POST = "post", _("post")


class LetterTemplate(models.Model):
    """The editable text of one kind of letter, with named placeholders such as {naam}.

    The text is never handed to a template engine: placeholders are replaced once by plain
    string substitution, so whatever a complainant typed is inserted as data."""

    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


def letter_path(instance: "Letter", filename: str) -> str:
    # Names never carry personal data; the reference and kind live in the database row.
    return f"letters/{instance.sent_at:%Y/%m}/{uuid.uuid4().hex}.pdf"


class Letter(models.Model):
    """A letter to the complainant: a draft staff review, then the document that went out.

    Once sent, the PDF in `pdf` is the exact file that left the building (its SHA-256 in
    `sha256`); it is never generated again."""

    complaint = models.ForeignKey("complaints.Complaint", models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    # The meeting an invitation or cancellation is about, and what the calendar attachment
    # said, so an update can be told from the first invitation.
    contact = models.ForeignKey(
        "complaints.Contact", models.SET_NULL, null=True, blank=True, related_name="letters", verbose_name=_("meeting")
    )
    ics_uid = models.CharField(max_length=255, blank=True)
    ics_sequence = models.PositiveIntegerField(null=True, blank=True)
    ics_method = models.CharField(max_length=10, blank=True)
    # Facts the letter was about when it was sent (e.g. the new resolution date of an extension).
    data = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sent by")
    )
    channel = models.CharField(_("sent by"), max_length=10, choices=SendChannel.choices, blank=True)
    pdf = models.FileField(upload_to=letter_path, max_length=200, blank=True, verbose_name=_("PDF"))
    filename = models.CharField(max_length=120, blank=True, verbose_name=_("file name"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("checksum (SHA-256)"))
    outbox_message = models.OneToOneField(
        "outbox.OutboxMessage", models.SET_NULL, null=True, blank=True, related_name="letter"
    )
    # Set when the e-mail could not be delivered and someone will print and post the letter.
    post_fallback_at = models.DateTimeField(_("to be sent by post since"), null=True, blank=True)
    post_fallback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by post instead by"),
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at", "pk"]
        constraints = [
            # One draft per kind at a time: a double click opens the same draft.
            models.UniqueConstraint(
                fields=["complaint", "kind"], condition=Q(status="draft"), name="letter_one_draft_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(sent_at__isnull=False) & ~Q(channel="") & ~Q(sha256="")),
                name="letter_sent_has_document",
            ),
        ]
        indexes = [
            # The letters panel on the complaint page and the status page: a complaint's letters by kind.
            models.Index(fields=["complaint", "kind", "status"], name="letter_complaint_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT


class StatusLink(models.Model):
    """The complainant's private link to their status page. Only a hash of the token is
    kept: the link itself exists only in the letter and the e-mail that carried it.

    The link works once: opening it starts a status session of the complainant's own, so a
    copy of the link (in the stored letter, the outbox, a proxy's log) opens nothing after
    that. A new link (asked for by the complainant, or sent again by staff) replaces it and
    ends the sessions started with the old one."""

    complaint = models.OneToOneField("complaints.Complaint", models.CASCADE, related_name="status_link")
    # SHA-256 hex of the token; unique, so the lookup by hash is an index seek.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status link")
        verbose_name_plural = _("status links")

    def __str__(self) -> str:
        return f"status link {self.complaint_id}"
