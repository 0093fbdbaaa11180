import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_speaks_dutch_to_a_browser_that_prefers_english() -> None:
    response = Client().get("/klacht/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert '<html lang="nl">' in response.content.decode()
    assert "Omschrijving van de klacht" in response.content.decode()


def test_it_speaks_english_after_the_person_chose_english() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/klacht/"})

    response = client.get("/klacht/")

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in response.content.decode()
    assert "Description of the complaint" in response.content.decode()


def test_it_ignores_a_language_cookie_it_does_not_offer() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get("/klacht/")

    assert '<html lang="nl">' in response.content.decode()


def test_the_first_option_of_a_drop_down_list_speaks_the_page_s_language() -> None:
    from django import forms
    from django.utils import translation

    from accounts.models import User

    class Choose(forms.Form):
        person = forms.ModelChoiceField(queryset=User.objects.none())

    with translation.override("nl"):
        assert '<option value="" selected>- Maak een keuze -</option>' in str(Choose()["person"])
    with translation.override("en"):
        assert '<option value="" selected>- Select an option -</option>' in str(Choose()["person"])
