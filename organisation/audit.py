"""The administration log: every change to a staff account or to the organisation's settings.

The services that make a change write the entry in their own transaction; the periodic job
removes entries older than settings.ADMIN_LOG_RETENTION_MONTHS."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import AdminAction, AdminLogEntry

if TYPE_CHECKING:
    from accounts.models import User


def record(*, by: "User | None", action: AdminAction, detail: str = "", subject: "User | None" = None) -> AdminLogEntry:
    return AdminLogEntry.objects.create(actor=by, subject=subject, action=action, detail=detail)


def field_label(model: type[models.Model], name: str) -> str:
    """The field's name as people read it, for the log's "what changed"."""
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def describe_changes(changes: Mapping[str, tuple[object, object]]) -> str:
    """ "label: old → new" per changed field, one per line, for the log's "what changed"."""
    return "\n".join(f"{label}: {_shown(old)} → {_shown(new)}" for label, (old, new) in changes.items())


def _shown(value: object) -> str:
    if value in (None, ""):
        return "—"
    return str(getattr(value, "display_name", value))


def purge_expired() -> dict[str, int]:
    """The periodic retention job for the log."""
    cutoff = timezone.now() - relativedelta(months=settings.ADMIN_LOG_RETENTION_MONTHS)
    deleted, _ = AdminLogEntry.objects.filter(at__lt=cutoff).delete()
    return {"deleted": deleted}
