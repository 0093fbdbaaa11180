"""Settings for the test suite: SQLite by default, PostgreSQL when DATABASE_URL is set."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

# A fixed, public key: it signs nothing outside the test run.
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="klachten-test-media-"))
STORAGES = {**STORAGES, "default": {**STORAGES["default"], "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)}}}
# Tests run tasks on enqueue unless a test chooses the database backend itself.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEMO_ACCOUNTS_ALLOWED = True
# WhiteNoise warns about a missing STATIC_ROOT on every request otherwise.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="klachten-test-static-"))
