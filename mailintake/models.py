from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Outcome(models.TextChoices):
    COMPLAINT = "complaint", _("new complaint")
    REPLY = "reply", _("added to a complaint")
    BOUNCE = "bounce", _("delivery failure report")
    OWN = "own", _("our own mail, ignored")
    DUPLICATE = "duplicate", _("already received")
    QUARANTINED = "quarantined", _("could not be read")
    HELD = "held", _("held: not from the complainant's address")
    REJECTED = "rejected", _("not added to the complaint")


# Outcomes that mean the message has had its effect; a second copy of it changes nothing.
HANDLED = ("complaint", "reply", "bounce", "own")


class InboundMessage(models.Model):
    """One message taken from the intake mailbox, and what became of it.

    The row is written in the same transaction as the complaint or timeline entry it caused,
    and the mailbox position (folder, UIDVALIDITY, UID) and the Message-ID are unique: a
    message is processed once even when moving it out of the inbox fails or it arrives twice."""

    folder = models.CharField(max_length=200)
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(_("Message-ID"), max_length=255)
    received_at = models.DateTimeField(_("received on"))
    processed_at = models.DateTimeField(_("processed on"), auto_now_add=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True, verbose_name=_("sender's name"))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    outcome = models.CharField(pgettext_lazy("inbound mail", "outcome"), max_length=12, choices=Outcome.choices)
    # RFC 3834: nothing may ever be sent automatically in answer to this message.
    auto_generated = models.BooleanField(_("auto-generated"), default=False)
    complaint = models.ForeignKey(
        "complaints.Complaint", models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )
    outbox_message = models.ForeignKey(
        "outbox.OutboxMessage", models.SET_NULL, null=True, blank=True, related_name="bounces"
    )
    error = models.TextField(_("problem"), blank=True)
    # For quarantined messages only: the headers, so a person can find the message in the mailbox.
    headers_excerpt = models.TextField(blank=True, verbose_name=_("excerpt of the mail headers"))
    # For held messages only, until a person adds them to the complaint or rejects them.
    held_message = models.BinaryField(null=True, blank=True, verbose_name=_("held message"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("received e-mail")
        verbose_name_plural = _("received e-mails")
        ordering = ["-processed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["folder", "uidvalidity", "uid"], name="inbound_unique_mailbox_position"),
            # A message delivered twice (two copies, or a mailbox rebuilt with new UIDs) counts once;
            # the second copy is recorded as a duplicate. A quarantined message does not count: put
            # back in the inbox by a person, it is read again.
            models.UniqueConstraint(
                fields=["message_id"], condition=Q(outcome__in=HANDLED), name="inbound_unique_message_id"
            ),
        ]
        indexes = [
            # The quarantine list for the quality manager, newest first.
            models.Index(fields=["outcome", "-processed_at"], name="inbound_outcome_idx"),
            # Mail no complaint took in, by age: its excerpts go after their term (privacy.retention).
            models.Index(
                fields=["received_at"], condition=models.Q(complaint__isnull=True), name="inbound_unattached_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.outcome})"


class MailboxClaim(models.Model):
    """Who is reading a mailbox folder now. A worker claims the folder with a conditional UPDATE
    before reading it, so two workers never move the same messages at once (IMAP servers copy a
    message twice when two sessions move it together); a claim left by a crashed worker expires."""

    folder = models.CharField(max_length=200, unique=True)
    holder = models.CharField(max_length=32, blank=True)
    until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.folder} until {self.until:%Y-%m-%d %H:%M}"
