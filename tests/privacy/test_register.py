"""The processing register (GDPR art. 30) says what holds for this deployment: the measures that
depend on the settings are read from the settings in force, the processors, the transfers and
the data protection officer from what the administrator recorded; the privacy officer can
download it as a tagged PDF for the records."""

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from accounts.models import User
from organisation.selectors import get_organisation
from privacy.statement import statement
from tests.support.pdf import assert_archival_and_tagged

pytestmark = pytest.mark.django_db
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def register(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("privacy:register"), secure=True).content.decode()


def test_the_measures_that_depend_on_the_deployment_follow_its_settings(privacy_officer: User, settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    settings.SECURE_SSL_REDIRECT = False
    settings.MAILERS = {"default": {"BACKEND": SMTP, "OPTIONS": {"use_tls": False, "use_ssl": False}}}
    page = register(privacy_officer)
    assert "Inloggen in twee stappen is beschikbaar voor medewerkers, maar niet verplicht." in page
    assert "E-mail gaat zonder versleuteling naar de mailserver (EMAIL_USE_TLS staat uit)." in page
    assert "De applicatie dwingt HTTPS niet af" in page

    settings.TWO_FACTOR_REQUIRED = True
    settings.SECURE_SSL_REDIRECT = True
    settings.MAILERS = {"default": {"BACKEND": SMTP, "OPTIONS": {"use_tls": True}}}
    # (With two-step login required the page itself first asks this officer to set it up.)
    with translation.override("nl"):
        page = "\n".join(statement().security_measures)
    assert "Inloggen in twee stappen is verplicht voor elke medewerker." in page
    assert "E-mail gaat via een versleutelde verbinding (TLS) naar de mailserver." in page
    assert "alleen via HTTPS" in page
    if connection.vendor == "postgresql":
        assert "ook de database weigert dat" in page
    else:
        assert "deze database (SQLite) dwingt dat zelf niet af" in page


def test_processors_transfers_and_the_officer_are_what_the_administrator_recorded(privacy_officer: User) -> None:
    page = register(privacy_officer)
    assert "Nog geen verwerkers vastgelegd" in page
    assert "Geen: de gegevens blijven in de Europese Economische Ruimte." in page
    organisation = get_organisation()
    organisation.processors = "Hosting: Voorbeeld Cloud BV, Amsterdam\nE-mail: Postbode BV, Utrecht"
    organisation.transfers = "Ondersteuning door Help Inc. (VS), onder het EU-VS gegevensprivacykader"
    organisation.privacy_contact_name = "Fatima Gegevens"
    organisation.privacy_contact_email = "fg@supportoplus.nl"
    organisation.save()
    page = register(privacy_officer)
    assert "Verwerker: Hosting: Voorbeeld Cloud BV, Amsterdam" in page
    assert "Verwerker: E-mail: Postbode BV, Utrecht" in page
    assert "Help Inc. (VS)" in page
    assert "Fatima Gegevens, fg@supportoplus.nl" in page


def test_the_privacy_officer_downloads_the_register_as_a_tagged_pdf(privacy_officer: User) -> None:
    client = Client()
    client.force_login(privacy_officer)
    assert 'href="/backoffice/privacy/register/pdf/"' in register(privacy_officer)
    response = client.get(reverse("privacy:register_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="verwerkingsregister.pdf"'
    assert_archival_and_tagged(response.content, title="Verwerkingsregister – Supportoplus")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Doelen en grondslag" in text and "Persoonsgegevens per veld" in text
