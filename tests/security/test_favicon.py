"""Browsers ask for /favicon.ico on every site; it answers with the app's own icon."""

from django.test import Client


def test_favicon_ico_leads_to_the_icon_the_app_serves(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


def test_every_page_names_the_icon(client: Client, db: None) -> None:
    response = client.get("/klacht/")
    assert b'rel="icon" href="/static/favicon.svg"' in response.content
