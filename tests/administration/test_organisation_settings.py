"""The organisation's settings in the back office: every change in force at once and on the log."""

import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import User
from organisation.models import AdminAction, AdminLogEntry
from organisation.selectors import get_organisation
from privacy.statement import statement


def client_for(user: User, language: str = "nl") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def form_data(**overrides: object) -> dict[str, object]:
    organisation = get_organisation()
    data: dict[str, object] = {
        name: getattr(organisation, name)
        for name in ("name", "street_address", "postal_code_city", "mailing_address", "phone", "quality_inbox")
    }
    data.update(retention_months=organisation.retention_months, privacy_contact_name="", privacy_contact_email="")
    data.update(legal_basis=organisation.legal_basis, health_data_basis=organisation.health_data_basis)
    data.update(overrides)
    return data


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_administrator_changes_the_retention_period_and_the_statement_says_so(privacy_officer: User) -> None:
    client = client_for(privacy_officer)
    page = client.get(reverse("administration:organisation")).content.decode()
    assert "Beginwaarde uit de omgeving: 24." in page
    response = client.post(reverse("administration:organisation"), form_data(retention_months=36))
    assert response.status_code == 302
    assert get_organisation().retention_months == 36
    assert "36 maanden" in statement().retention
    entry = AdminLogEntry.objects.get(action=AdminAction.SETTINGS_CHANGED)
    assert entry.actor == privacy_officer
    assert "24 → 36" in entry.detail


def test_a_postal_address_and_a_privacy_contact_are_used_where_they_belong(privacy_officer: User) -> None:
    client_for(privacy_officer).post(
        reverse("administration:organisation"),
        form_data(
            mailing_address="Postbus 12, 3500 AA Utrecht",
            privacy_contact_name="Fenna Gegevens",
            privacy_contact_email="fg@supportoplus.nl",
        ),
    )
    organisation = get_organisation()
    assert organisation.postal_address == "Postbus 12, 3500 AA Utrecht"
    assert organisation.visiting_address.startswith(organisation.street_address)
    assert "fg@supportoplus.nl" in " ".join(statement().public_paragraphs)


def test_only_a_quality_manager_or_responsible_person_can_be_the_deputy(
    privacy_officer: User, quality_manager: User, director: User, back_office: User
) -> None:
    client = client_for(privacy_officer)
    refused = client.post(reverse("administration:organisation"), form_data(deputy=back_office.pk))
    assert refused.status_code == 400
    assert client.post(reverse("administration:organisation"), form_data(deputy=director.pk)).status_code == 302
    assert get_organisation().deputy == director


def test_the_only_quality_manager_cannot_be_their_own_deputy(privacy_officer: User, quality_manager: User) -> None:
    client = client_for(privacy_officer)
    refused = client.post(reverse("administration:organisation"), form_data(deputy=quality_manager.pk))
    assert refused.status_code == 400
    assert "de enige kwaliteitsmanager" in refused.content.decode()


def test_the_log_names_the_deputy_and_uses_the_labels_of_the_form(privacy_officer: User, director: User) -> None:
    client = client_for(privacy_officer, language="en")
    client.post(reverse("administration:organisation"), form_data(deputy=director.pk, retention_months=36))
    entry = AdminLogEntry.objects.get(action=AdminAction.SETTINGS_CHANGED)
    # Written in the site's language, whatever the administrator reads.
    assert f"vervanger bij klachten over de kwaliteitsmanager: — → {director.display_name}" in entry.detail
    assert "afgesloten klachten bewaren (maanden)" in entry.detail
    form_page = client_for(privacy_officer).get(reverse("administration:organisation")).content.decode()
    assert "Afgesloten klachten bewaren (maanden)" in form_page


def test_a_logo_is_checked_by_content_and_size(privacy_officer: User) -> None:
    client = client_for(privacy_officer)
    url = reverse("administration:organisation")
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    refused = client.post(url, {**form_data(), "logo_upload": svg})
    assert refused.status_code == 400 and "Het logo moet een PNG- of JPEG-afbeelding zijn" in refused.content.decode()
    gif = SimpleUploadedFile("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    refused = client.post(url, {**form_data(), "logo_upload": gif})
    assert refused.status_code == 400 and "Het logo moet een PNG- of JPEG-afbeelding zijn" in refused.content.decode()
    huge = SimpleUploadedFile("logo.png", png(4000, 10))
    too_big = client.post(url, {**form_data(), "logo_upload": huge})
    assert too_big.status_code == 400 and "4000 × 10 pixels" in too_big.content.decode()
    renamed = SimpleUploadedFile("logo.jpg", png())
    refused = client.post(url, {**form_data(), "logo_upload": renamed})
    assert refused.status_code == 400 and "Het logo is niet geaccepteerd" in refused.content.decode()
    fine_but_name_missing = client.post(
        url, {**form_data(name=""), "logo_upload": SimpleUploadedFile("logo.png", png())}
    )
    assert fine_but_name_missing.status_code == 400
    assert "niet opgeslagen: kies het opnieuw" in fine_but_name_missing.content.decode()
    assert not get_organisation().logo

    assert client.post(url, {**form_data(), "logo_upload": SimpleUploadedFile("logo.png", png())}).status_code == 302
    organisation = get_organisation()
    assert organisation.logo
    with organisation.logo.open("rb") as handle:
        assert handle.read().startswith(b"\x89PNG")
    page = client.get(url).content.decode()
    assert reverse("administration:organisation_logo") in page
    preview = client.get(reverse("administration:organisation_logo"))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert preview.content.startswith(b"\x89PNG")
    assert client.post(url, {**form_data(), "remove_logo": "on"}).status_code == 302
    assert not get_organisation().logo


def test_empty_settings_are_refused_field_by_field(privacy_officer: User) -> None:
    response = client_for(privacy_officer).post(reverse("administration:organisation"), {"name": ""})
    assert response.status_code == 400
    assert response.content.decode().count("Dit veld is verplicht") >= 5
    assert get_organisation().name == "Supportoplus"


def test_period_and_closure_day_changes_are_on_the_same_log(quality_manager: User, privacy_officer: User) -> None:
    client = client_for(quality_manager)
    client.post(
        reverse("deadlines:periods"),
        {"acknowledgement_working_days": 5, "first_contact_days": 10, "resolution_days": 30},
    )
    client.post(reverse("deadlines:closure_days"), {"day": "2027-05-07", "description": "Dag na Hemelvaart"})
    page = client_for(privacy_officer).get(reverse("administration:log")).content.decode()
    assert "termijnen gewijzigd" in page and "14 → 10" in page
    assert "sluitingsdag toegevoegd" in page and "07-05-2027 Dag na Hemelvaart" in page


def test_the_preview_of_a_logo_whose_file_is_gone_is_not_found(privacy_officer: User) -> None:
    client = client_for(privacy_officer)
    url = reverse("administration:organisation")
    assert client.post(url, {**form_data(), "logo_upload": SimpleUploadedFile("logo.png", png())}).status_code == 302
    organisation = get_organisation()
    organisation.logo.storage.delete(str(organisation.logo.name))
    assert client.get(reverse("administration:organisation_logo")).status_code == 404


def test_the_legal_basis_is_the_organisations_choice_and_the_statements_follow_it(privacy_officer: User) -> None:
    client = client_for(privacy_officer)
    register = reverse("privacy:register")
    assert "Gerechtvaardigd belang (AVG art. 6 lid 1 onder f)" in client.get(register).content.decode()
    assert "bezwaar te maken" in client.get("/privacy/").content.decode()
    response = client.post(
        reverse("administration:organisation"),
        form_data(legal_basis="legal_obligation", health_data_basis="health_care"),
    )
    assert response.status_code == 302
    page = client.get(register).content.decode()
    assert "Een wettelijke plicht (AVG art. 6 lid 1 onder c)" in page and "art. 9 lid 2 onder h" in page
    public = client.get("/privacy/").content.decode()
    assert "de wet verplicht ons klachten te behandelen" in public
    # The right to object does not apply to a legal obligation (GDPR art. 21(1)).
    assert "bezwaar te maken" not in public
