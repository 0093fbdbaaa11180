from datetime import date

from django.conf import settings

from .models import ClosureDay, OrganisationSettings


def get_organisation() -> OrganisationSettings:
    """The organisation's settings, created from the environment's defaults on first use."""
    organisation = OrganisationSettings.objects.order_by("pk").first()
    if organisation is None:
        organisation, _ = OrganisationSettings.objects.get_or_create(pk=1, defaults=settings.ORGANISATION_DEFAULTS)
    return organisation


def closure_days() -> frozenset[date]:
    return frozenset(ClosureDay.objects.values_list("day", flat=True))
