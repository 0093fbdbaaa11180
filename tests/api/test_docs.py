"""The API documentation: served by the app itself (no CDN), working under the strict CSP."""

import json

import pytest
from django.test import Client
from playwright.sync_api import Page

pytestmark = pytest.mark.django_db


def test_the_openapi_document_describes_every_operation_with_token_authentication(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"]["title"] == "Klachtenregeling API"
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert {
        ("POST", "/api/v1/complaints"),
        ("GET", "/api/v1/complaints"),
        ("GET", "/api/v1/complaints/{reference}"),
        ("POST", "/api/v1/complaints/{reference}/attachments"),
        ("POST", "/api/v1/complaints/{reference}/acknowledge"),
        ("POST", "/api/v1/complaints/{reference}/assign"),
        ("POST", "/api/v1/complaints/{reference}/contacts"),
        ("POST", "/api/v1/complaints/{reference}/agreements"),
        ("POST", "/api/v1/complaints/{reference}/close"),
    } <= operations
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    refused_extra = document["components"]["schemas"]["ComplaintIn"]["additionalProperties"]
    assert refused_extra is False


def test_the_docs_page_loads_only_our_own_files_and_runs_under_the_csp(
    live_server: object, page: Page, console_errors: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(f"{base}/api/v1/docs")
    assert response is not None and response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("Klachtenregeling API").first.wait_for()
    page.get_by_text("/api/v1/complaints/{reference}/acknowledge").first.wait_for()
    assert console_errors == []
    foreign = [url for url in requested if not url.startswith(base) and not url.startswith("data:")]
    assert foreign == []
