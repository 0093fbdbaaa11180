"""Response headers, cookies and the production settings' deploy checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD

PAGES = ["/", "/klacht/", "/accounts/login/", "/accounts/wachtwoord-vergeten/", "/backoffice/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_strict_policy_and_security_headers(
    client: Client, quality_manager: User, path: str
) -> None:
    client.force_login(quality_manager)
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_back_office_pages_are_not_kept_in_caches(client: Client, quality_manager: User) -> None:
    assert "no-store" not in client.get("/klacht/").get("Cache-Control", "")
    client.force_login(quality_manager)
    assert client.get("/backoffice/")["Cache-Control"] == "private, no-store"


def test_no_page_template_contains_inline_script_or_style() -> None:
    """The CSP would block them; this finds them before a browser does."""
    import re
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    offenders = []
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    for template in root.glob("**/templates/**/*.html"):
        # Mail bodies and templates rendered to PDF (named *_pdf.html or kept in pdf/) are never
        # served as pages, so the page policy does not apply to them.
        if ".venv" in template.parts or "mail" in template.parts or "pdf" in template.parts:
            continue
        if template.stem.endswith("_pdf"):
            continue
        text = template.read_text()
        if (
            inline_script.search(text)
            or re.search(r"\sstyle=\"", text)
            or "<style" in text
            or re.search(r"\son[a-z]+=\"", text)
        ):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []


def test_session_and_csrf_cookies_are_httponly_and_samesite(client: Client, quality_manager: User) -> None:
    client.get("/accounts/login/")
    client.post("/accounts/login/", {"username": "karin", "password": PASSWORD})
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert client.cookies[settings.CSRF_COOKIE_NAME]["samesite"] == "Lax"


def production_env(**extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "klachtenregeling.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-" + "q" * 30,
        "ALLOWED_HOSTS": "klachten.example.nl",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/klachten-deploy-check.sqlite3"),
        **extra,
    }


def test_check_deploy_is_clean_under_the_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_real_secret_key() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=production_env(SECRET_KEY="short"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_cookies_and_transport_are_secure() -> None:
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=production_env(), capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "True", "False"], result.stderr


def test_hsts_is_sent_over_https_in_production_like_settings(client: Client, settings: object, db: None) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # type: ignore[attr-defined]
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_health_endpoint_is_reachable_over_plain_http_in_production() -> None:
    code = (
        "import django;django.setup();from django.conf import settings as s;import re;"
        "print(any(re.search(p, 'health/') for p in s.SECURE_REDIRECT_EXEMPT),"
        " any(re.search(p, 'klacht/') for p in s.SECURE_REDIRECT_EXEMPT))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=production_env(), capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "False"], result.stderr
