"""The roles of the complaints procedure. Each role is a Django group of the same name,
so administrators can grant them in the admin and a user can hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    QUALITY_MANAGER = "kwaliteitsmanager", _("Quality manager")
    BACK_OFFICE = "backoffice", _("Back office")
    RESPONSIBLE = "verantwoordelijke", _("Responsible person")
    PRIVACY_OFFICER = "privacy", _("Privacy officer / administrator")
    MANAGEMENT = "management", _("Management (reports only)")


# Roles that handle complaint contents; an administrator without one of these
# manages users but does not read complaints.
COMPLAINT_ROLES = frozenset({Role.QUALITY_MANAGER, Role.BACK_OFFICE, Role.RESPONSIBLE})
