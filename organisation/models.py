from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .versioning import bump_version


def _default(key: str) -> object:
    return settings.ORGANISATION_DEFAULTS[key]


class OrganisationSettings(models.Model):
    """The organisation's own details and the periods of its published procedure.

    One row. The defaults come from the environment (settings.ORGANISATION_DEFAULTS) so a
    new installation starts right; the quality manager changes them in the back office.
    """

    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code_city = models.CharField(_("postal code and city"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    quality_inbox = models.EmailField(_("quality inbox"))
    logo = models.FileField(_("logo"), upload_to="organisation/", blank=True)
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
    def postal_address(self) -> str:
        return f"{self.street_address}, {self.postal_code_city}"


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
