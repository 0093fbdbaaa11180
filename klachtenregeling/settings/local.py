"""Development settings: SQLite, mail kept in the outbox, demo accounts allowed."""

from lib.env import env_str

from .base import *  # noqa: F403

DEBUG = True
# Mail is shown on the back office's "Verzonden e-mail" page instead of leaving the machine,
# unless EMAIL_HOST points at a real server.
if not env_str("EMAIL_HOST", ""):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
DEMO_ACCOUNTS_ALLOWED = True
AUTH_PASSWORD_VALIDATORS = []
