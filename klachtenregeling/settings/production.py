"""Production settings: refuse to start without a real secret and allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, env_bool, env_int

if not SECRET_KEY or SECRET_KEY.startswith("development-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters.")
if not ALLOWED_HOSTS or ALLOWED_HOSTS == ["127.0.0.1", "localhost", "[::1]"] and not env_bool(
    "ALLOW_LOCAL_HOSTS", False
):
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names this site is served under.")

DEBUG = False
DEMO_ACCOUNTS_ALLOWED = False
# Every account logs in with a password and a second factor.
TWO_FACTOR_REQUIRED = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
