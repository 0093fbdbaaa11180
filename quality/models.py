"""What the quality manager learns from complaints: how they are classified, how they
relate, what was changed because of them, and what complainants thought of the handling.

Kept beside `complaints.Complaint` (one-to-one or many-to-many), never in it, and free of
personal data apart from the survey comment, so the figures survive anonymisation."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def in_reader_language(name: str, name_en: str) -> str:
    return name_en if name_en and (translation.get_language() or "").startswith("en") else name


class Category(models.Model):
    """A node in the category tree the quality manager maintains (e.g. "communicatie")."""

    name = models.CharField(_("name"), max_length=120)
    # Shown on the English pages; the Dutch name when left empty.
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True, help_text=_("Retired categories stay in the reports."))

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name_per_parent"),
            # Two top-level categories may not share a name either (NULL parents are distinct).
            models.UniqueConstraint(fields=["name"], condition=Q(parent=None), name="category_unique_top_name"),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return in_reader_language(self.name, self.name_en)

    @property
    def path(self) -> str:
        names: list[str] = []
        seen: set[int | None] = set()
        node: Category | None = self
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.label)
            node = node.parent
        return " › ".join(reversed(names))


class RootCause(models.Model):
    """Why it went wrong (e.g. "afspraak niet nagekomen"), chosen when closing."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    # Shown on the English pages; the Dutch name when left empty.
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True, help_text=_("Retired root causes stay in the reports."))

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return in_reader_language(self.name, self.name_en)


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Classification(models.Model):
    complaint = models.OneToOneField(
        "complaints.Complaint", models.CASCADE, primary_key=True, related_name="classification"
    )
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    root_cause = models.ForeignKey(
        RootCause, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("root cause")
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    updated_at = models.DateTimeField(_("classified on"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.category or '-'}"


class LinkReason(models.TextChoices):
    SAME_CAUSE = "same_cause", _("same cause")
    SAME_PERSON = "same_person", _("same person")
    SAME_CLIENT = "same_client", _("same client")


class ComplaintLink(models.Model):
    """Two related complaints; stored once, with the lower primary key first."""

    first = models.ForeignKey("complaints.Complaint", models.CASCADE, related_name="+")
    second = models.ForeignKey("complaints.Complaint", models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=LinkReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("link between complaints")
        verbose_name_plural = _("links between complaints")
        constraints = [
            models.UniqueConstraint(fields=["first", "second", "reason"], name="complaint_link_unique"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="complaint_link_ordered"),
        ]
        indexes = [
            # "Related complaints" on the page of the second complaint (the first is served by the unique index).
            models.Index(fields=["second"], name="complaint_link_second_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} – {self.second_id} ({self.reason})"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", pgettext_lazy("corrective action status", "done")
    CANCELLED = "cancelled", _("cancelled")


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", _("effective: the complaints stopped")
    PARTLY = "partly", _("partly effective")
    NOT_EFFECTIVE = "not_effective", _("not effective")


class CorrectiveAction(models.Model):
    """A verbetermaatregel: something changed because of one or more complaints, and later
    checked for effect."""

    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="corrective_actions", verbose_name=_("who")
    )
    due = models.DateField(_("by when"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    complaints = models.ManyToManyField("complaints.Complaint", related_name="corrective_actions", blank=True)
    # The category whose inflow shows whether the action worked.
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("category to watch")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    done_at = models.DateTimeField(pgettext_lazy("corrective action", "done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("corrective action", "done by"),
    )
    check_due = models.DateField(_("effectiveness check on"), null=True, blank=True)
    # The latest check, for lists and reports; every check is kept as an EffectivenessCheck.
    check_result = models.CharField(_("effect"), max_length=15, choices=Effectiveness.choices, blank=True)
    check_notes = models.TextField(_("findings"), blank=True)
    checked_at = models.DateTimeField(_("checked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due", "pk"]
        indexes = [
            # The work queue and the reminders job: open actions by due date.
            models.Index(fields=["status", "due"], name="action_status_due_idx"),
            # Effectiveness checks that have come due.
            models.Index(fields=["status", "check_due"], name="action_status_check_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class EffectivenessCheck(models.Model):
    """One check of a corrective action's effect, kept for good (ISO 9001 §10.2.2): who checked,
    when, the result and the evidence, i.e. the complaints in the watched category in as many
    days before the action was done as have passed since."""

    action = models.ForeignKey(CorrectiveAction, models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(_("checked on"))
    # Empty only for checks recorded before each one was kept.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("checked by")
    )
    result = models.CharField(_("effect"), max_length=15, choices=Effectiveness.choices)
    notes = models.TextField(_("findings"), blank=True)
    early_reason = models.TextField(_("reason for checking before the date"), blank=True)
    window_days = models.PositiveIntegerField(_("days compared"))
    # None: the action watches no category.
    complaints_before = models.PositiveIntegerField(_("complaints in the days before"), null=True, blank=True)
    complaints_after = models.PositiveIntegerField(_("complaints in the days since"), null=True, blank=True)

    class Meta:
        verbose_name = _("effectiveness check")
        verbose_name_plural = _("effectiveness checks")
        ordering = ["checked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.result} {self.checked_at:%Y-%m-%d}"


class ActionReminder(models.Model):
    """Proof that one reminder about one action was sent for one date: the unique
    constraint is the claim that keeps two runs of the job from sending it twice."""

    action = models.ForeignKey(CorrectiveAction, models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    for_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "for_date"], name="action_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.kind} {self.for_date}"


class SurveyInvitation(models.Model):
    """The satisfaction survey sent after closing: one per complaint, answered once.

    Only the SHA-256 of the link's token is stored; the token itself exists only in the mail."""

    complaint = models.OneToOneField("complaints.Complaint", models.CASCADE, primary_key=True, related_name="survey")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent on"))
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("satisfaction with the handling"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # An unhappy answer waits here for the quality manager until they deal with it.
    flagged = models.BooleanField(_("needs attention"), default=False)
    flag_handled_at = models.DateTimeField(null=True, blank=True)
    flag_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("flag handled by"),
    )

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="survey_score_1_to_5"
            ),
        ]
        indexes = [
            # The quality manager's queue of unhappy answers not yet dealt with.
            models.Index(fields=["flagged"], condition=Q(flagged=True), name="survey_flagged_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.score or '-'}"
