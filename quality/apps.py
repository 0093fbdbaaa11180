from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def action_changed(**kwargs: Any) -> None:
    """Corrective actions are part of "my work" (quality.selectors.work_queue)."""
    from complaints.queue_counts import work_changed

    work_changed()


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("Quality")

    def ready(self) -> None:
        from .models import CorrectiveAction

        post_save.connect(action_changed, sender=CorrectiveAction, dispatch_uid="quality-action-saved")
        post_delete.connect(action_changed, sender=CorrectiveAction, dispatch_uid="quality-action-deleted")
