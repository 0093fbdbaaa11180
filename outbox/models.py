from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.redaction import redact_status_links


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("could not be delivered")


# Mail whose text holds a one-time link (to set a password, or a status link): whoever reads it can
# act as the recipient, so the back office shows who got it and when, never the text.
CREDENTIAL_KINDS = frozenset({"invitation", "password_reset", "status_link"})


class OutboxMessage(models.Model):
    """An e-mail written in the same transaction as the change it reports, and delivered
    by the worker afterwards. A row is the proof of what was sent, to whom and when."""

    kind = models.CharField(_("kind"), max_length=40)
    complaint = models.ForeignKey(
        "complaints.Complaint", models.CASCADE, null=True, blank=True, related_name="outbox_messages"
    )
    to = models.JSONField(_("to"))
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # Extra headers, e.g. Auto-Submitted, In-Reply-To; names and values free of CR/LF.
    headers = models.JSONField(default=dict, blank=True, verbose_name=_("mail headers"))
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The delivery sweep: due messages by status.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            # The outbox page, newest first.
            models.Index(fields=["-created_at", "-id"], name="outbox_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"

    @property
    def holds_credential(self) -> bool:
        return self.kind in CREDENTIAL_KINDS

    @property
    def shown_text(self) -> str:
        """The text as staff may read it: without the complainant's status link."""
        return redact_status_links(self.body_text)


def outbox_attachment_path(instance: "OutboxAttachment", filename: str) -> str:
    return f"outbox/{instance.message.created_at:%Y/%m}/{instance.message_id}-{instance.position}"


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    filename = models.CharField(max_length=255, verbose_name=_("file name"))
    content_type = models.CharField(max_length=100)
    file = models.FileField(upload_to=outbox_attachment_path, max_length=200, verbose_name=_("file"))

    class Meta:
        verbose_name = _("e-mail attachment")
        verbose_name_plural = _("e-mail attachments")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["message", "position"], name="outbox_attachment_position"),
        ]

    def __str__(self) -> str:
        return self.filename
