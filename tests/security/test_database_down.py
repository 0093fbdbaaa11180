"""Finding: a database failure answered 500 where 503 with Retry-After is right: the site is not
broken, it is briefly unavailable, and clients and proxies should come back."""

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


def connection_closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def a_bug(request: HttpRequest) -> HttpResponse:
    raise ZeroDivisionError


urlpatterns = [
    path("klacht/down/", database_gone),
    path("api/v1/down/", database_gone),
    path("closed/", connection_closed),
    path("bug/", a_bug),
]
handler500 = "security.views.server_error"


@override_settings(ROOT_URLCONF="tests.security.test_database_down", DEBUG=False)
def test_a_lost_database_answers_503_with_retry_after_and_a_dutch_page() -> None:
    for url in ("/klacht/down/", "/closed/"):
        response = Client(raise_request_exception=False).get(url)
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        page = response.content.decode()
        assert "Tijdelijk niet beschikbaar" in page
        assert "server closed" not in page and "connection already" not in page


@override_settings(ROOT_URLCONF="tests.security.test_database_down", DEBUG=False)
def test_the_api_answers_503_as_json() -> None:
    response = Client(raise_request_exception=False).get("/api/v1/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "Service temporarily unavailable; try again shortly."}


@override_settings(ROOT_URLCONF="tests.security.test_database_down", DEBUG=False)
def test_any_other_failure_is_still_a_500() -> None:
    response = Client(raise_request_exception=False).get("/bug/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_the_project_uses_this_handler() -> None:
    import klachtenregeling.urls

    assert klachtenregeling.urls.handler500 == "security.views.server_error"
