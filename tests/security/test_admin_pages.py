"""The Django admin's user form renders its fields and refuses an empty submission with the
admin's own error. (With the Jinja2 form renderer every add and change page answered 500, as it
has no templates for the admin's widgets; tests/security/test_crawl.py requests every admin page.)"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.security.world import build_world


@pytest.fixture
def administrator_client(db: None) -> Client:
    build_world()
    administrator = User.objects.create_superuser("beheerder", "beheer@example.nl", "not-used-here-1234")
    client = Client()
    client.force_login(administrator)
    return client


def test_the_user_admin_shows_its_form_fields(administrator_client: Client) -> None:
    response = administrator_client.get(reverse("admin:accounts_user_add"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password1"' in response.content


def test_an_empty_admin_add_form_answers_with_a_validation_error(administrator_client: Client) -> None:
    response = administrator_client.post(reverse("admin:accounts_user_add"), {})
    assert response.status_code == 200
    assert b"errornote" in response.content


def test_the_admin_names_every_section_in_dutch(administrator_client: Client) -> None:
    html = administrator_client.get(reverse("admin:index")).content.decode()
    sections = re.findall(r"<caption>\s*<a [^>]*>([^<]*)</a>", html)
    assert "Achtergrondtaken" in sections
    assert "Inloggen in twee stappen: authenticator-apps" in sections
    assert not {"Tasks Database Backend", "Otp_Totp"} & set(sections), sections
