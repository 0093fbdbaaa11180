from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .versioning import bump_version


def _default(key: str) -> object:
    return settings.ORGANISATION_DEFAULTS[key]


class LegalBasis(models.TextChoices):
    """On what ground the organisation handles complaints (GDPR art. 6(1)), as it chooses."""

    LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest (GDPR art. 6(1)(f))")
    LEGAL_OBLIGATION = "legal_obligation", _("a legal obligation (GDPR art. 6(1)(c)), e.g. the Wkkgz")
    PUBLIC_TASK = "public_task", _("a public task (GDPR art. 6(1)(e)), e.g. chapter 9 of the Awb")


class Procedure(models.TextChoices):
    """The complaints procedure a complaint is handled under (deadlines.profiles declares each)."""

    OWN = "own", _("own complaints procedure")
    WKKGZ = "wkkgz", _("Wkkgz (care provider)")
    AWB = "awb", _("Awb chapter 9 (public body)")


class HealthDataBasis(models.TextChoices):
    """On what ground health data a complainant writes about is processed (GDPR art. 9(2))."""

    CLAIMS = "claims", _("the establishment or defence of claims (GDPR art. 9(2)(f))")
    HEALTH_CARE = "health_care", _("the provision of health care (GDPR art. 9(2)(h)), for care providers")


class OrganisationSettings(models.Model):
    """The organisation's own details and the periods of its published procedure.

    One row. The defaults come from the environment (settings.ORGANISATION_DEFAULTS) so a
    new installation starts right; the quality manager changes them in the back office.
    """

    name = models.CharField(_("name"), max_length=200)
    # The visiting address; letters go to `postal_address`.
    street_address = models.CharField(_("visiting address: street and number"), max_length=200)
    postal_code_city = models.CharField(_("visiting address: postal code and city"), max_length=200)
    mailing_address = models.CharField(
        _("postal address, if different"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Postbus 123, 1000 AB Amsterdam”. Empty: letters use the visiting address."),
    )
    phone = models.CharField(_("phone"), max_length=40)
    quality_inbox = models.EmailField(_("quality inbox"))
    privacy_contact_name = models.CharField(_("privacy contact (FG/DPO)"), max_length=200, blank=True)
    privacy_contact_email = models.EmailField(_("e-mail of the privacy contact"), blank=True)
    legal_basis = models.CharField(
        _("legal basis for handling complaints"),
        max_length=20,
        choices=LegalBasis.choices,
        default=LegalBasis.LEGITIMATE_INTEREST,
        help_text=_(
            "Legitimate interest fits an organisation that handles complaints because it wants to; a care "
            "provider (Wkkgz) or a public body (Awb) handles them because the law says so."
        ),
    )
    health_data_basis = models.CharField(
        _("legal basis for health data in a complaint"),
        max_length=20,
        choices=HealthDataBasis.choices,
        default=HealthDataBasis.CLAIMS,
        help_text=_(
            "Complainants sometimes write about their health. A care provider processes it to provide care; "
            "anyone else keeps it with the complaint in case of a claim."
        ),
    )
    # For complaints received from now on; each complaint keeps the one it was received under.
    procedure = models.CharField(
        _("complaints procedure"), max_length=10, choices=Procedure.choices, default=Procedure.OWN
    )
    publish_annual_report = models.BooleanField(
        _("publish the annual complaints report"),
        default=False,
        help_text=_("The figures of each finished year on a public page, anonymous: counts only, and none below 5."),
    )
    # For the processing register (GDPR art. 30): who processes the data for us, and where it goes.
    processors = models.TextField(
        _("processors"),
        blank=True,
        help_text=_("One per line: who, what for and where, e.g. “Hosting: Example BV, Amsterdam”."),
    )
    transfers = models.TextField(
        _("transfers outside the EEA"),
        blank=True,
        help_text=_("Leave empty when the data stays in the European Economic Area."),
    )
    # Complaints about the quality manager go to this person (another quality manager or a
    # director), so that someone can always handle a complaint.
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy for complaints about the quality manager"),
    )
    logo = models.FileField(_("letterhead logo"), upload_to="organisation/", blank=True)
    acknowledgement_working_days = models.PositiveSmallIntegerField(_("acknowledgement within (working days)"))
    first_contact_days = models.PositiveSmallIntegerField(_("first contact within (days)"))
    resolution_days = models.PositiveSmallIntegerField(_("resolution within (days)"))
    retention_months = models.PositiveSmallIntegerField(_("keep closed complaints for (months)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation settings")
        verbose_name_plural = _("organisation settings")

    def __str__(self) -> str:
        return self.name

    # Every process keeps a copy (organisation.selectors); a change retires them all.
    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        bump_version()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        bump_version()
        return result

    @property
    def visiting_address(self) -> str:
        return f"{self.street_address}, {self.postal_code_city}"

    @property
    def postal_address(self) -> str:
        return self.mailing_address or self.visiting_address


class ClosureDay(models.Model):
    """A day the organisation is closed (e.g. the day after Ascension): not a working day."""

    day = models.DateField(_("date"), unique=True)
    description = models.CharField(_("description"), max_length=120)

    class Meta:
        ordering = ["day"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.description}"

    # Every process keeps a copy of the closure days (organisation.selectors).
    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        bump_version()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        bump_version()
        return result


class AdminAction(models.TextChoices):
    INVITED = "invited", _("invited")
    INVITATION_RESENT = "invitation_resent", _("invitation sent again")
    DETAILS_CHANGED = "details_changed", _("details changed")
    ROLES_CHANGED = "roles_changed", _("roles changed")
    DEACTIVATED = "deactivated", _("deactivated")
    REACTIVATED = "reactivated", _("reactivated")
    SECOND_FACTOR_RESET = "second_factor_reset", _("second factor reset")
    SETTINGS_CHANGED = "settings_changed", _("organisation settings changed")
    PERIODS_CHANGED = "periods_changed", _("periods changed")
    CLOSURE_DAY_ADDED = "closure_day_added", _("closure day added")
    CLOSURE_DAY_DELETED = "closure_day_deleted", _("closure day deleted")


class AdminLogEntry(models.Model):
    """One change to a staff account or to the organisation's settings: who, when, what.

    Written by the service that makes the change, in its transaction; removed after
    settings.ADMIN_LOG_RETENTION_MONTHS by a periodic job (organisation.jobs)."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    # The staff member whose account changed; empty for changes to the organisation.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="admin_log_entries",
        verbose_name=_("staff member"),
    )
    action = models.CharField(_("action"), max_length=30, choices=AdminAction.choices)
    detail = models.TextField(_("what changed"), blank=True)

    class Meta:
        verbose_name = _("administration log entry")
        verbose_name_plural = _("administration log")
        ordering = ["-at", "-pk"]
        indexes = [
            # The log page (newest first) and the retention job (at < cutoff).
            models.Index(fields=["at"], name="adminlog_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
