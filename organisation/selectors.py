import copy
from datetime import date
from typing import Any

from django.conf import settings

from .models import ClosureDay, OrganisationSettings
from .versioning import current_version

# This process's copies, valid while the shared version token is unchanged (see versioning).
_copies: dict[str, Any] = {"version": None}


def _current() -> dict[str, Any]:
    version = current_version()
    if _copies["version"] != version:
        _copies.clear()
        _copies["version"] = version
    return _copies


def get_organisation() -> OrganisationSettings:
    """The organisation's settings, created from the environment's defaults on first use."""
    copies = _current()
    organisation = copies.get("organisation")
    if organisation is None:
        organisation = OrganisationSettings.objects.order_by("pk").first()
        if organisation is None:
            organisation, _ = OrganisationSettings.objects.get_or_create(pk=1, defaults=settings.ORGANISATION_DEFAULTS)
            copies = _current()  # creating it moved the version
        copies["organisation"] = organisation
    # A copy: callers may change it (a bound form does) without changing what others read.
    return copy.copy(organisation)


def closure_days() -> frozenset[date]:
    copies = _current()
    days = copies.get("closure_days")
    if days is None:
        days = copies["closure_days"] = frozenset(ClosureDay.objects.values_list("day", flat=True))
    return days
