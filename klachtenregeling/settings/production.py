"""Production settings: refuse to start without a real secret and allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from lib.env import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, PRIVATE_MEDIA_ROOT, SECRET_KEY

if not SECRET_KEY or SECRET_KEY.startswith("development-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters.")
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# "*" would answer for any Host header, which is what ALLOWED_HOSTS exists to prevent.
if (
    not ALLOWED_HOSTS
    or "*" in ALLOWED_HOSTS
    or (ALLOWED_HOSTS == LOCAL_HOSTS and not env_bool("ALLOW_LOCAL_HOSTS", False))
):
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names this site is served under.")

DEBUG = False
DEMO_ACCOUNTS_ALLOWED = False
# Every account logs in with a password and a second factor.
TWO_FACTOR_REQUIRED = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe the health endpoint over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405

# --- Scaling out: several web processes and workers that share only the database, Redis
# and the file storage (docs/deployment.md).

# Sync gunicorn workers keep their database connection between requests.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)

# Redis holds the cache, the sessions and the throttles (rate limits and login throttling
# must be shared by all web processes). Without it the cache lives in the database.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_CACHE_URL", REDIS_URL),
            "KEY_PREFIX": "klachten",
        }
    }
    # Sessions read from Redis on every request, written through to the database so that a
    # restart or eviction of Redis logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Created by `manage.py createcachetable`.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}}

# Background tasks wait in the database (django-tasks-db) for `manage.py db_worker`; workers on
# any number of hosts share the queue, each claiming a task by locking its row.

# Attachments and letters: a volume shared by every process (default) or S3-compatible
# object storage. Either way they are private: no public URLs, downloads go through the
# permission-checked views.
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("AWS_LOCATION", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND == "filesystem":
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    }
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'filesystem' or 's3', not {STORAGE_BACKEND!r}.")
