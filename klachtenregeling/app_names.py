"""The installed third-party apps under names the admin shows in the page's language."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    # The package declares a plain str; Django's AppConfig takes a translated one.
    verbose_name = _("Background tasks")  # type: ignore[assignment]


class AuthenticatorAppsConfig(DefaultConfig):  # type: ignore[misc]  # django-otp has no type hints
    verbose_name = _("Two-step login: authenticator apps")
