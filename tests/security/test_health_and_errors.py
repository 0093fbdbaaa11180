"""The health endpoint, and the error pages a visitor may see."""

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from outbox.models import MessageStatus, OutboxMessage
from outbox.services import queue_mail
from security import health


def test_health_reports_database_queue_and_outbox_backlog(client: Client, db: None) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "outbox": {"pending": 0, "oldest_pending": None},
    }


def test_health_counts_the_backlog_and_gives_the_oldest_age_only_as_a_bucket(client: Client, db: None) -> None:
    queue_mail(kind="test", to=["a@example.nl"], subject="Een", text="x")
    old = queue_mail(kind="test", to=["b@example.nl"], subject="Twee", text="x")
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    sent = queue_mail(kind="test", to=["c@example.nl"], subject="Drie", text="x")
    OutboxMessage.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)
    body = client.get("/health/").json()
    assert body["outbox"] == {"pending": 2, "oldest_pending": "under_1_day"}


@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (timedelta(minutes=1), "under_5_minutes"),
        (timedelta(minutes=30), "under_1_hour"),
        (timedelta(hours=5), "under_1_day"),
        (timedelta(days=3), "over_1_day"),
    ],
)
def test_backlog_ages_fall_in_coarse_buckets(age: timedelta, bucket: str) -> None:
    assert health.age_bucket(age) == bucket


def test_health_says_failing_with_503_and_no_details_when_the_database_is_down(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    class DownDatabase:
        def cursor(self) -> object:
            raise OperationalError("could not connect to server at 10.1.2.3 (PostgreSQL 17.2)")

    monkeypatch.setattr(health, "connection", DownDatabase())
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing" and body["database"] == "failing"
    text = json.dumps(body)
    for leak in ("10.1.2.3", "PostgreSQL", "17.2", "connect", "Error"):
        assert leak not in text


def test_health_reveals_no_versions_or_host_names(client: Client, db: None) -> None:
    response = client.get("/health/")
    text = response.content.decode()
    assert set(response.json()) == {"status", "database", "queue", "outbox"}
    assert "Server" not in response.headers or "Django" not in response["Server"]
    for leak in ("django", "python", "postgres", "sqlite", "localhost", "127.0.0.1"):
        assert leak not in text.lower()


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail: password=hunter2 at /srv/app/settings.py")


urlpatterns = [path("boom/", boom)]


@override_settings(ROOT_URLCONF="tests.security.test_health_and_errors", DEBUG=False)
def test_a_server_error_shows_a_dutch_page_without_a_stack_trace(db: None) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    for leak in ("Traceback", "hunter2", "RuntimeError", "settings.py"):
        assert leak not in html
    # The page works under the strict CSP: a stylesheet from our own origin, no inline code.
    assert "<script" not in html and "style=" not in html


def test_a_missing_page_shows_a_dutch_404(client: Client, db: None) -> None:
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_a_forbidden_page_shows_a_dutch_403(client: Client, outsider: object) -> None:
    client.force_login(outsider)  # type: ignore[arg-type]
    response = client.get("/backoffice/registreren/")
    assert response.status_code == 403
    assert "U heeft geen toegang tot deze pagina" in response.content.decode()


def test_a_post_without_csrf_token_shows_a_dutch_expired_page(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/klacht/", {"name": "x"})
    assert response.status_code == 403
    assert "Deze pagina is verlopen" in response.content.decode()
