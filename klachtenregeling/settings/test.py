"""Settings for the test suite: SQLite by default, PostgreSQL when DATABASE_URL is set."""

import tempfile
from datetime import timedelta
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
# Many tests move the clock by days within one logged-in session; the staff session limits are
# tested on their own with the real values (tests/security/test_session_lifetime.py).
STAFF_SESSION_IDLE = timedelta(days=3650)
STAFF_SESSION_MAX_AGE = timedelta(days=3650)
SESSION_COOKIE_AGE = int(STAFF_SESSION_MAX_AGE.total_seconds())
