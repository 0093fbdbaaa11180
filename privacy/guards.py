"""Model-level guards for records the application may only add to.

The timeline belongs to the complaints app, but whether it may be changed is a privacy and
accountability rule, so the guard lives here and is connected when the app loads. It stops
`save()` on an existing event and every `delete()` of an event or a complaint (which would
cascade to its timeline). Bulk `QuerySet.update()` bypasses signals; on PostgreSQL the
triggers (migration 0011) refuse that in the database as well. The anonymiser is the one
caller allowed to scrub personal text, by a bulk update that the triggers let through only
when it anonymises a finished complaint that is not on hold (see privacy.anonymise)."""

from typing import Any

from django.db.models.signals import pre_delete, pre_save

from complaints.models import Complaint, TimelineEvent

from .models import AppendOnlyError


def refuse_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance._state.adding and kwargs.get("raw") is not True:
        raise AppendOnlyError(f"A {sender._meta.verbose_name} cannot be changed once written.")


def refuse_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    raise AppendOnlyError(f"A {sender._meta.verbose_name} cannot be deleted.")


def connect() -> None:
    pre_save.connect(refuse_change, sender=TimelineEvent, dispatch_uid="privacy.timeline_append_only")
    pre_delete.connect(refuse_delete, sender=TimelineEvent, dispatch_uid="privacy.timeline_no_delete")
    # A complaint is anonymised when its time has come, never deleted: deleting it would
    # take its timeline and access history with it.
    pre_delete.connect(refuse_delete, sender=Complaint, dispatch_uid="privacy.complaint_no_delete")
