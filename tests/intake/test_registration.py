"""The back office registers complaints that came in by phone or by letter."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from complaints.models import Channel, Complaint
from deadlines.rules import deadlines_for
from organisation.selectors import get_organisation
from outbox.models import OutboxMessage

from . import files
from .helpers import errors_for, form_data, label_for, text_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
URL = "/backoffice/registreren/"
# Monday 9 March 2026; the call came in on Wednesday 4 March.
NOW = datetime(2026, 3, 9, 10, 0, tzinfo=AMSTERDAM)

pytestmark = pytest.mark.django_db


def registration(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "channel": "phone",
        "received_at": "2026-03-04T14:05",
        "complaint_date": "2026-03-04",
        "email": "",
        "phone": "06 12345678",
    }
    return form_data(**(values | overrides))


def test_the_registration_form_asks_for_channel_moment_of_receipt_and_who_took_it(
    client: Client, back_office: User
) -> None:
    client.force_login(back_office)

    response = client.get(URL)

    assert response.status_code == 200
    text = text_of(response.content)
    assert "Kanaal Telefoon Brief" in text
    assert label_for(response.content, "id_received_at") == "Ontvangen op"
    assert label_for(response.content, "id_received_by") == "Aangenomen door"
    assert label_for(response.content, "id_name") == "Naam"
    assert "<legend>Contactgegevens</legend>" in response.content.decode()
    # Staff fill it in for the complainant: the form speaks about them, not to them.
    assert "De dag waarop de klager de klacht meldde" in text
    assert label_for(response.content, "id_desired_outcome").startswith("Welke oplossing wil de klager?")
    assert "zou u graag zien" not in text and "waarop u de klacht meldt" not in text


def test_a_call_registered_days_later_keeps_its_real_moment_of_receipt(
    client: Client, back_office: User, quality_manager: User
) -> None:
    client.force_login(back_office)

    with time_machine.travel(NOW, tick=False):
        response = client.post(URL, registration(received_by=quality_manager.pk))

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:detail", args=[complaint.reference])
    assert complaint.channel == Channel.PHONE
    assert complaint.received_at == datetime(2026, 3, 4, 14, 5, tzinfo=AMSTERDAM)
    assert complaint.registered_by == back_office
    assert complaint.received_by == quality_manager
    # Five working days from Wednesday 4 March, not from the day of registration (that would be 16 March).
    assert complaint.acknowledge_due == date(2026, 3, 11)
    expected = deadlines_for(received_on=date(2026, 3, 4), organisation=get_organisation(), closure_days=frozenset())
    assert (complaint.contact_due, complaint.resolve_due) == (expected.contact, expected.resolve)
    assert complaint.contact_due == date(2026, 3, 18)


def test_who_took_the_call_defaults_to_the_person_registering(client: Client, back_office: User) -> None:
    client.force_login(back_office)
    assert f'<option value="{back_office.pk}" selected>' in client.get(URL).content.decode()

    with time_machine.travel(NOW, tick=False):
        client.post(URL, registration(received_by=""))

    assert Complaint.objects.get().received_by == back_office


def test_a_letter_needs_its_scan(client: Client, back_office: User) -> None:
    client.force_login(back_office)

    with time_machine.travel(NOW, tick=False):
        response = client.post(URL, registration(channel="letter", received_at="2026-03-06T09:00"))

    assert response.status_code == 400
    assert errors_for(response.content, "id_attachments") == ["Voeg de scan van de brief toe."]
    assert not Complaint.objects.exists()


def test_a_letter_is_registered_with_the_day_it_arrived_and_its_scan(client: Client, back_office: User) -> None:
    client.force_login(back_office)
    scan = files.pdf("Geachte heer, mevrouw,")

    with time_machine.travel(NOW, tick=False):
        response = client.post(
            URL,
            {
                **registration(channel="letter", received_at="2026-03-06T09:00", postal_address="Dorpsstraat 12"),
                "attachments": [SimpleUploadedFile("brief.pdf", scan)],
            },
        )

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.LETTER
    assert complaint.received_at == datetime(2026, 3, 6, 9, 0, tzinfo=AMSTERDAM)
    attachment = complaint.attachments.get()
    assert attachment.original_name == "brief.pdf"
    assert attachment.uploaded_by == back_office
    with attachment.file.open("rb") as handle:
        assert handle.read() == scan


def test_the_quality_inbox_is_told_of_a_registered_call(
    client: Client, back_office: User, django_capture_on_commit_callbacks
) -> None:
    client.force_login(back_office)

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.post(URL, registration())

    message = OutboxMessage.objects.get()
    assert message.complaint == Complaint.objects.get()
    assert "Ontvangen op: 4 maart 2026 14:05" in message.body_text


def test_the_year_of_receipt_decides_the_reference(client: Client, back_office: User) -> None:
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=AMSTERDAM), tick=False):
        # Logged in at that moment, so the session has not expired.
        client.force_login(back_office)
        client.post(URL, registration(received_at="2026-12-31T16:00", complaint_date="2026-12-31"))
        client.post(URL, registration(received_at="2027-01-04T08:30", complaint_date="2027-01-04"))

    assert list(Complaint.objects.order_by("pk").values_list("reference", flat=True)) == [
        "KL-2026-00001",
        "KL-2027-00001",
    ]


def test_it_refuses_a_moment_of_receipt_in_the_future(client: Client, back_office: User) -> None:
    client.force_login(back_office)

    with time_machine.travel(NOW, tick=False):
        response = client.post(URL, registration(received_at="2026-03-10T09:00"))

    assert errors_for(response.content, "id_received_at") == [
        "Het moment van ontvangst kan niet in de toekomst liggen."
    ]


def test_posting_the_registration_twice_registers_one_complaint(client: Client, back_office: User) -> None:
    client.force_login(back_office)
    data = registration()

    with time_machine.travel(NOW, tick=False):
        client.post(URL, data)
        client.post(URL, data)

    assert Complaint.objects.count() == 1


def test_the_quality_manager_may_register_too(client: Client, quality_manager: User) -> None:
    client.force_login(quality_manager)

    with time_machine.travel(NOW, tick=False):
        assert client.post(URL, registration()).status_code == 302


@pytest.mark.parametrize("persona", ["director", "privacy_officer", "outsider"])
def test_other_roles_may_not_register(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    assert client.post(URL, registration()).status_code == 403
    assert not Complaint.objects.exists()


def test_registering_needs_a_login(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_without_any_way_of_contact_it_asks_for_one_to_reach_the_complainant(client: Client, back_office: User) -> None:
    client.force_login(back_office)

    with time_machine.travel(NOW, tick=False):
        response = client.post(URL, registration(phone=""))

    assert errors_for(response.content, "id_email") == [
        "Vul ten minste één manier in om de klager te bereiken: een e-mailadres, een postadres of een telefoonnummer."
    ]
    assert not Complaint.objects.exists()


def test_the_back_office_links_the_people_the_complaint_is_about_when_registering(
    client: Client, back_office: User, director: User, operations_manager: User
) -> None:
    olga = operations_manager
    client.force_login(back_office)
    with time_machine.travel(NOW, tick=False):
        form = client.get(URL)
        assert "<legend>Medewerkers over wie de klacht gaat" in form.content.decode()
        assert "Dirk Directeur (Directielid)" in text_of(form.content)
        response = client.post(
            URL, registration(about="de directeur en de operationeel manager", about_staff=[director.pk, olga.pk])
        )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert set(complaint.about_staff.all()) == {director, olga}
    assert complaint.events.filter(kind="person_linked", actor=back_office).count() == 2


def test_registering_a_complaint_about_oneself_saves_it_and_hides_it(client: Client, back_office: User) -> None:
    client.force_login(back_office)
    with time_machine.travel(NOW, tick=False):
        client.get(URL)
        response = client.post(URL, registration(about="de baliemedewerker", about_staff=[back_office.pk]), follow=True)
    complaint = Complaint.objects.get()
    assert list(complaint.about_staff.all()) == [back_office]
    assert response.status_code == 200
    assert f"Klacht {complaint.reference} is geregistreerd" in response.content.decode()
    assert client.get(f"/backoffice/klachten/{complaint.reference}/").status_code == 404
