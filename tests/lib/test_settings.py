"""The production settings refuse to start without a real secret key and allowed hosts."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = secrets.token_urlsafe(64)


def start(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ALLOW_LOCAL_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="klachtenregeling.settings.production",
        KLACHTEN_VAR_DIR=str(tmp_path),
        **environment,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = start(tmp_path, ALLOWED_HOSTS="klachten.example.nl")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "key",
    ["development-only-secret-key-do-not-use-in-production", "too-short"],
    ids=["the development key", "a short key"],
)
def test_it_refuses_a_weak_secret_key(tmp_path: Path, key: str) -> None:
    result = start(tmp_path, SECRET_KEY=key, ALLOWED_HOSTS="klachten.example.nl")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("hosts", [None, "", "127.0.0.1,localhost,[::1]", "*"], ids=["unset", "empty", "local", "any"])
def test_it_refuses_to_start_without_real_allowed_hosts(tmp_path: Path, hosts: str | None) -> None:
    environment = {"SECRET_KEY": REAL_KEY}
    if hosts is not None:
        environment["ALLOWED_HOSTS"] = hosts

    result = start(tmp_path, **environment)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must" in result.stderr


def test_it_starts_with_a_real_key_and_hosts(tmp_path: Path) -> None:
    result = start(tmp_path, SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="klachten.example.nl")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def mail_backend(tmp_path: Path, **environment: str) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(DJANGO_SETTINGS_MODULE="klachtenregeling.settings.local", KLACHTEN_VAR_DIR=str(tmp_path), **environment)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.MAILERS['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_in_development_mail_stays_on_the_machine_unless_an_smtp_host_is_set(tmp_path: Path) -> None:
    assert mail_backend(tmp_path) == "django.core.mail.backends.dummy.EmailBackend"
    assert mail_backend(tmp_path, EMAIL_HOST="smtp.example.nl") == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ],
)
def test_another_django_mail_backend_can_be_chosen_and_opened(tmp_path: Path, backend: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(
        DJANGO_SETTINGS_MODULE="klachtenregeling.settings.local",
        KLACHTEN_VAR_DIR=str(tmp_path),
        EMAIL_HOST="smtp.example.nl",
        EMAIL_BACKEND=backend,
    )
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.core.mail import mailers; "
            "connection = mailers.default; connection.open(); print(type(connection).__module__)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend.rsplit(".", 1)[0]
