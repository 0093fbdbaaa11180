"""The production settings choose the cache, the task queue and the file storage from the
environment. Each case imports the settings module in a fresh interpreter, as a server does."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "production-like-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "klachten.example.nl",
    "DATABASE_URL": "postgres://klachten@db.example.nl:5432/klachten",
}
SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"],
    "tasks": settings.TASKS["default"]["BACKEND"],
    "storage": settings.STORAGES["default"],
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "db_options": settings.DATABASES["default"]["OPTIONS"],
    "debug": settings.DEBUG,
    "sessions": settings.SESSION_ENGINE,
}))
"""


def production_settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS", "AWS_", "STORAGE_", "TASKS_"))}
    clean.update(REQUIRED, DJANGO_SETTINGS_MODULE="klachtenregeling.settings.production", **env)
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SHOW],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_with_redis_the_cache_and_the_sessions_are_in_redis_and_the_tasks_in_the_database() -> None:
    chosen = production_settings(REDIS_URL="redis://cache.example.nl:6379/2")

    assert chosen["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert chosen["cache"]["LOCATION"] == "redis://cache.example.nl:6379/2"
    assert chosen["tasks"] == "django_tasks_db.DatabaseBackend"
    assert chosen["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_the_cache_and_the_tasks_are_in_the_database() -> None:
    chosen = production_settings()

    assert chosen["cache"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert chosen["tasks"] == "django_tasks_db.DatabaseBackend"
    assert chosen["sessions"] == "django.contrib.sessions.backends.db"


def test_files_are_on_the_shared_volume_by_default_and_never_get_a_url() -> None:
    chosen = production_settings(PRIVATE_MEDIA_ROOT="/srv/klachten/private")

    assert chosen["storage"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/klachten/private", "base_url": None},
    }


def test_files_can_be_in_private_s3_compatible_storage() -> None:
    chosen = production_settings(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="klachten-bestanden",
        AWS_S3_ENDPOINT_URL="https://s3.example.nl",
        AWS_S3_REGION_NAME="nl-ams",
    )

    options = chosen["storage"]["OPTIONS"]
    assert chosen["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "klachten-bestanden"
    assert options["endpoint_url"] == "https://s3.example.nl"
    assert options["default_acl"] == "private"
    # Downloads go through the permission-checked views: only signed, expiring URLs exist.
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_it_refuses_s3_without_a_bucket_and_an_unknown_storage() -> None:
    with pytest.raises(RuntimeError, match="AWS_STORAGE_BUCKET_NAME is required"):
        production_settings(STORAGE_BACKEND="s3")
    with pytest.raises(RuntimeError, match="STORAGE_BACKEND must be"):
        production_settings(STORAGE_BACKEND="ftp")


def test_static_files_have_hashed_names_and_connections_persist() -> None:
    chosen = production_settings()

    assert chosen["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert chosen["conn_max_age"] == 60
    assert chosen["debug"] is False


def test_postgresql_keeps_djangos_client_side_binding_and_prepares_nothing() -> None:
    assert production_settings()["db_options"] == {}
    # Options in the address (here: TLS) are kept.
    with_tls = production_settings(DATABASE_URL=REQUIRED["DATABASE_URL"] + "?sslmode=require")["db_options"]
    assert with_tls == {"sslmode": "require"}


def test_the_s3_storage_can_be_built_with_the_installed_client() -> None:
    # django-storages imports boto3 lazily: without it STORAGE_BACKEND=s3 fails at the first upload.
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name="klachten-bestanden",
        endpoint_url="https://s3.example.nl",
        region_name="nl-ams",
        access_key="test-key",
        secret_key="test-secret",
        querystring_auth=True,
        default_acl="private",
    )
    url = storage.url("bijlagen/brief.pdf")
    assert url.startswith("https://s3.example.nl/klachten-bestanden/bijlagen/brief.pdf?")
    assert "Signature" in url
