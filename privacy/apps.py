from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from django.core import checks

        from . import guards
        from .checks import check_database_role

        guards.connect()
        checks.register(check_database_role, checks.Tags.database)
