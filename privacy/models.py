"""What the privacy rules need to remember: who read what (the access log), which complaints
may not be anonymised yet (legal holds) or processed further (restrictions), the data
subjects' requests, and files still to be removed from storage after an anonymisation."""

from datetime import date
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib.exports import ACTIVE, BackgroundExport


class AppendOnlyError(Exception):
    """An attempt to change or remove a row of an append-only record."""


class AppendOnlyQuerySet[M: models.Model](models.QuerySet[M]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.label} is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.label} is append-only.")


class AccessAction(models.TextChoices):
    VIEW = "view", _("opened the complaint")
    VIEW_LIMITED = "view_limited", _("opened reference and status only")
    ATTACHMENT = "attachment", _("downloaded an attachment")
    LETTER = "letter", _("downloaded a letter")
    EXPORT = "export", _("exported personal data")
    REQUEST = "request", _("looked up for a data-subject request")
    RECTIFY = "rectify", _("rectified personal data")
    ERASE = "erase", _("erased personal data")
    # The anonymised list of complaints from the reports page: no personal data, yet kept track of.
    REPORT_EXPORT = "report_export", _("downloaded an anonymised export of the reports")
    # The complainant on their own status page (no staff user).
    STATUS_CLAIMED = "status_claimed", _("complainant opened the link from their letter or e-mail")
    STATUS_VIEWED = "status_viewed", _("complainant viewed the status page")
    STATUS_LETTER = "status_letter", _("complainant downloaded a letter")
    MAIL = "mail", _("opened a sent e-mail")
    LETTER_PREVIEW = "letter_preview", _("viewed a letter preview")
    # A staff member asked for a complaint, or a file of one, outside their reach (a 404).
    DENIED = "denied", _("was refused access")


class AccessLog(models.Model):
    """One read of personal data: who, what, when and, for exports, why.

    Append-only for the application: the model refuses changes and deletions, and on
    PostgreSQL a trigger refuses them in the database too (see migration 0002). The only
    exception is the anonymiser scrubbing `detail` and `reason`, which may name people."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    # Empty for the complainant's own use of the status page.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    # PROTECT: a complaint with a read history cannot be deleted, the history must survive.
    complaint = models.ForeignKey(
        "complaints.Complaint", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("complaint")
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            # The log of one complaint, newest first.
            models.Index(fields=["complaint", "-at"], name="accesslog_complaint_idx"),
            # The log of one user, newest first.
            models.Index(fields=["user", "-at"], name="accesslog_user_idx"),
            # The whole log newest first, and the entries past their term (privacy.retention).
            models.Index(fields=["-at"], name="accesslog_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("An access log entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("An access log entry cannot be deleted.")


class LegalHold(models.Model):
    """Keeps a complaint from being anonymised (a court case, an insurer's claim) until lifted."""

    complaint = models.ForeignKey(
        "complaints.Complaint", models.PROTECT, related_name="legal_holds", verbose_name=_("complaint")
    )
    reason = models.TextField(_("reason"))
    placed_at = models.DateTimeField(_("placed on"), default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    lifted_at = models.DateTimeField(_("lifted on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lifted by")
    )

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-pk"]
        indexes = [
            # "Is this complaint on hold?" in the retention sweep and on every erasure.
            models.Index(fields=["complaint"], condition=models.Q(lifted_at__isnull=True), name="legalhold_active_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.placed_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ProcessingRestriction(models.Model):
    """GDPR art. 18: the complaint is only stored; no mail, no changes until lifted."""

    complaint = models.ForeignKey(
        "complaints.Complaint", models.PROTECT, related_name="restrictions", verbose_name=_("complaint")
    )
    request = models.ForeignKey(
        "privacy.DataSubjectRequest", models.PROTECT, null=True, blank=True, related_name="restrictions"
    )
    reason = models.TextField(_("reason"))
    placed_at = models.DateTimeField(_("placed on"), default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    lifted_at = models.DateTimeField(_("lifted on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lifted by")
    )

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        ordering = ["-placed_at", "-pk"]
        indexes = [
            # "Is this complaint restricted?" before every procedure step and every mail.
            models.Index(
                fields=["complaint"], condition=models.Q(lifted_at__isnull=True), name="restriction_active_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.placed_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RequestKind(models.TextChoices):
    ACCESS = "access", _("access (export)")
    RECTIFICATION = "rectification", _("rectification")
    RESTRICTION = "restriction", _("restriction of processing")
    ERASURE = "erasure", _("erasure")
    PORTABILITY = "portability", _("data portability (machine-readable copy)")
    OBJECTION = "objection", _("objection to the processing")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", pgettext_lazy("privacy request status", "done")
    REFUSED = "refused", _("refused")


class DataSubjectRequest(models.Model):
    """A person's request to see, correct, restrict or erase their data, answered within a month.

    Kept after it is handled, as proof that it was (GDPR art. 5(2)), for REQUEST_RETENTION_MONTHS
    (privacy.retention); it is not part of a complaint file and is not anonymised with one."""

    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    received_at = models.DateTimeField(_("received on"))
    # One month from receipt, on a working day (GDPR art. 12(3)); two months later when extended.
    due = models.DateField(_("answer due"))
    extended_at = models.DateTimeField(_("extended on"), null=True, blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # How the person was told of the extension: by e-mail (sent by the system) or as recorded here.
    extension_notice = models.CharField(_("person told of the extension"), max_length=200, blank=True)
    requester_name = models.CharField(_("name"), max_length=200, blank=True)
    requester_email = models.EmailField(_("e-mail address"), blank=True)
    requester_phone = models.CharField(_("phone number"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    complaints = models.ManyToManyField("complaints.Complaint", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("handled on"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The request list: open ones by due date first.
            models.Index(fields=["status", "due"], name="dsr_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    def on_time(self, today: date) -> bool:
        """Answered on or before the due date, or still open and not yet past it."""
        if self.completed_at is not None:
            return timezone.localtime(self.completed_at).date() <= self.due
        return today <= self.due


class FileErasure(models.Model):
    """A stored file whose database reference was removed by an anonymisation that committed,
    waiting to be deleted from storage. Written in the anonymisation's transaction, so a
    crash between the commit and the file deletion leaves a row the next run finishes."""

    storage_name = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.storage_name


class RequestExport(BackgroundExport):
    """A data subject's data for an access or portability request, made by the worker; only
    the privacy officer who asked downloads it (access-logged), and it is removed after
    settings.EXPORT_KEEP_HOURS."""

    request = models.ForeignKey(DataSubjectRequest, models.CASCADE, related_name="exports")
    fmt = models.CharField(max_length=4, choices=[("zip", "ZIP"), ("json", "JSON"), ("pdf", "PDF")])
    reason = models.CharField(max_length=500)

    class Meta:
        constraints = [
            # A second click while one is being made does not start a second one.
            models.UniqueConstraint(
                fields=["requested_by", "request", "fmt"],
                condition=Q(status__in=ACTIVE),
                name="request_export_once_at_a_time",
            )
        ]
