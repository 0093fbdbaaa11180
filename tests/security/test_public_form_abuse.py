"""Floods and bots on the public form, and bodies that are too large."""

from typing import Any

import pytest
from django.test import Client

from complaints.models import Complaint
from outbox.models import OutboxMessage
from tests.security.helpers import form_data

FORM = "/klacht/"


def post(client: Client, address: str = "192.0.2.10", **overrides: object) -> Any:
    return client.post(FORM, form_data(**overrides), REMOTE_ADDR=address)


def test_a_bot_filling_the_honeypot_gets_a_thank_you_page_and_nothing_is_saved(client: Client, db: None) -> None:
    response = post(client, website="http://spam.example")
    assert response.status_code == 200
    assert "Bedankt, we hebben uw klacht ontvangen" in response.content.decode()
    assert Complaint.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_the_honeypot_is_in_the_form_but_hidden_from_people(client: Client, db: None) -> None:
    html = client.get(FORM).content.decode()
    assert '<div hidden><div class="field" id="field-website">' in html.replace("\n", "")
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_an_empty_honeypot_does_not_stop_a_real_complaint(client: Client, db: None) -> None:
    assert post(client, website="").status_code == 302
    assert Complaint.objects.count() == 1


def test_too_many_posts_from_one_address_get_429_with_retry_after(client: Client, settings: object, db: None) -> None:
    settings.PUBLIC_FORM_GUARD = {  # type: ignore[attr-defined]
        "intake:complaint_form": {**settings.PUBLIC_FORM_GUARD["intake:complaint_form"], "limit": 3}  # type: ignore[attr-defined]
    }
    for _ in range(3):
        assert post(client).status_code == 302
    response = post(client)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Te veel pogingen" in response.content.decode()
    assert Complaint.objects.count() == 3
    # Another client is not affected, and reading the form still works for the first.
    assert post(Client(), address="198.51.100.20").status_code == 302
    assert client.get(FORM, REMOTE_ADDR="192.0.2.10").status_code == 200


def test_behind_a_proxy_the_limit_follows_the_configured_header(client: Client, settings: object, db: None) -> None:
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"  # type: ignore[attr-defined]
    settings.PUBLIC_FORM_GUARD = {  # type: ignore[attr-defined]
        "intake:complaint_form": {**settings.PUBLIC_FORM_GUARD["intake:complaint_form"], "limit": 1}  # type: ignore[attr-defined]
    }
    proxy = "10.0.0.2"
    assert client.post(FORM, form_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    assert client.post(FORM, form_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    # A different client behind the same proxy still gets through; a spoofed first entry does not help.
    assert client.post(FORM, form_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302
    spoofed = client.post(FORM, form_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.1")
    assert spoofed.status_code == 429


def test_a_body_over_the_maximum_is_refused_with_413_before_it_is_read(
    client: Client, settings: object, db: None
) -> None:
    settings.MAX_REQUEST_BODY_BYTES = 1000  # type: ignore[attr-defined]
    response = client.post(FORM, form_data(description="x" * 2000), REMOTE_ADDR="192.0.2.11")
    assert response.status_code == 413
    assert "Te veel gegevens" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_too_many_form_fields_get_a_friendly_400(client: Client, db: None) -> None:
    data = form_data(**{f"extra{n}": "x" for n in range(400)})
    response = client.post(FORM, data, REMOTE_ADDR="192.0.2.12")
    assert response.status_code == 400
    assert "We konden dit verzoek niet verwerken" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_huge_text_field_gets_a_friendly_400_not_a_500(client: Client, db: None) -> None:
    response = client.post(FORM, form_data(description="x" * (1024 * 1024 + 10)), REMOTE_ADDR="192.0.2.13")
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("length", ["-1", "abc", ""])
def test_a_nonsense_content_length_is_not_a_500(client: Client, length: str, db: None) -> None:
    response = client.generic(
        "POST", FORM, b"", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH=length
    )
    assert response.status_code < 500


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_an_oversize_post_with_413(live_server: Any, settings: Any) -> None:
    import http.client
    from urllib.parse import urlsplit

    settings.MAX_REQUEST_BODY_BYTES = 10_000
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    body = b"name=" + b"x" * 20_000
    connection.request("POST", FORM, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    assert response.status == 413
    assert "Te veel gegevens" in response.read().decode()
    connection.close()
    assert Complaint.objects.count() == 0
