"""The production settings, as the benchmark serves them.

Only what a benchmark on loopback needs differs from production: plain HTTP on 127.0.0.1,
a throwaway secret, and the per-client protections (rate limiting, a second factor) that
would otherwise stop one load generator from acting as many complainants and staff members.
Everything else (DEBUG off, WhiteNoise with hashed names, templates, middleware) is production's.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/klachten_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "0123456789abcdef" * 4)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# One load generator posts the public form far more often than any one complainant may.
os.environ.setdefault("PUBLIC_FORM_POSTS_PER_HOUR", str(10**9))
os.environ.setdefault("KLACHTEN_VAR_DIR", os.path.join(os.path.dirname(__file__), "results", "var"))

from klachtenregeling.settings.production import *  # noqa: F403

# As in development: the bench accounts log in with a password only.
TWO_FACTOR_REQUIRED = False
# Mail stays in the outbox; the benchmark measures the web request, not an SMTP server.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
