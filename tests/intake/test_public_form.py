"""The public complaint form at /klacht/: labels, validation, privacy statement, confirmation,
reference numbers and protection against double submission."""

import threading
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

import intake.notifications
from complaints.models import Channel, Complaint, Status, TimelineEvent
from outbox.models import OutboxMessage

from .helpers import errors_for, form_data, label_for, reference_on, text_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FORM_URL = "/klacht/"

pytestmark = pytest.mark.django_db


def test_the_start_page_links_to_the_form(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="{FORM_URL}"' in response.content.decode()
    assert "Klacht indienen" in text_of(response.content)


def test_the_form_labels_its_fields_exactly_as_the_published_procedure_does(client: Client) -> None:
    response = client.get(FORM_URL)

    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    labels = {
        field: label_for(response.content, f"id_{field}")
        for field in ("name", "company", "complaint_date", "about", "phone", "description", "attachments")
    }
    assert labels == {
        "name": "Naam",
        "company": "Bedrijf",
        "complaint_date": "Datum klachtmelding",
        "about": "Persoon / functie",
        "phone": "Telefoonnummer",
        "description": "Omschrijving van de klacht",
        "attachments": "Bijlagen",
    }


def test_contactgegevens_is_the_legend_of_the_email_and_postal_address_group(client: Client) -> None:
    page = client.get(FORM_URL).content.decode()

    start = page.index("<legend>Contactgegevens</legend>")
    group = page[start : page.index("</fieldset>", start)]
    assert 'id="id_email"' in group
    assert 'id="id_postal_address"' in group
    assert 'id="id_phone"' not in group


def test_the_form_asks_whether_it_concerns_service_delivery_or_working_method(client: Client) -> None:
    text = text_of(client.get(FORM_URL).content)

    assert "De klacht gaat over Onze dienstverlening Onze werkwijze" in text
    assert "Welke oplossing zou u graag zien? (optioneel)" in text


def test_the_form_says_by_the_button_what_the_data_is_for_and_links_the_statement(client: Client) -> None:
    page = client.get(FORM_URL).content.decode()
    notice = page.split('id="privacy-notice"')[1].split("</p>")[0]
    assert "alleen om uw klacht af te handelen" in notice and 'href="/privacy/"' in notice
    assert page.index('id="privacy-notice"') < page.index("Klacht versturen")


def test_the_privacy_statement_names_everything_article_13_asks_for(client: Client) -> None:
    from organisation.models import OrganisationSettings
    from organisation.selectors import get_organisation

    organisation = OrganisationSettings.objects.get(pk=get_organisation().pk)
    organisation.privacy_contact_name, organisation.privacy_contact_email = "Fenna Gegevens", "fg@supportoplus.nl"
    organisation.save()
    text = text_of(client.get("/privacy/").content)
    for item, sentence in (
        ("13(1)(a) controller", "Supportoplus (Rokin 1, 3542 AB Amsterdam) verwerkt de persoonsgegevens"),
        ("13(1)(b) privacy contact", "fg@supportoplus.nl"),
        ("13(1)(c) purpose", "om uw klacht af te handelen"),
        ("13(1)(c) legal basis", "art. 6, lid 1, onder f"),
        ("13(1)(d) legitimate interest", "gerechtvaardigd belang"),
        ("13(1)(e) recipients", "Onze hostingprovider en onze e-mailprovider"),
        ("13(2)(a) retention", "Wij bewaren uw gegevens tot 24 maanden nadat uw klacht is afgesloten"),
        ("13(2)(b) rights", "U mag uw gegevens inzien en laten verbeteren of verwijderen"),
        ("21(4) objection, on its own", "U hebt het recht bezwaar te maken"),
        ("13(2)(d) supervisory authority", "Autoriteit Persoonsgegevens"),
    ):
        assert sentence in text, item


def test_it_requires_at_least_one_way_to_reach_the_complainant(client: Client) -> None:
    response = client.post(FORM_URL, form_data(email="", postal_address="", phone=""))

    assert response.status_code == 400
    assert errors_for(response.content, "id_email") == [
        "Geef ten minste één manier op om u te bereiken: een e-mailadres, een postadres of een telefoonnummer."
    ]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "contact",
    [{"email": "jan@example.nl"}, {"postal_address": "Dorpsstraat 1\n1234 AB Ergens"}, {"phone": "06 12345678"}],
    ids=["email", "postal address", "phone"],
)
def test_any_one_way_of_contact_is_enough(client: Client, contact: dict[str, str]) -> None:
    data = form_data(email="", postal_address="", phone="") | contact

    response = client.post(FORM_URL, data)

    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_it_shows_errors_per_field_in_dutch_and_keeps_what_was_typed(client: Client) -> None:
    response = client.post(
        FORM_URL,
        form_data(name="", email="geen-adres", phone="bel me", description="", subject="", company="Bakker & Zn"),
    )

    assert response.status_code == 400
    assert errors_for(response.content, "id_name") == ["Dit veld is verplicht."]
    assert errors_for(response.content, "id_email") == ["Voer een geldig e-mailadres in."]
    assert errors_for(response.content, "id_phone") == [
        "Vul een telefoonnummer in met alleen cijfers, bijvoorbeeld 06 12345678."
    ]
    assert errors_for(response.content, "id_description") == ["Dit veld is verplicht."]
    assert errors_for(response.content, "id_subject") == ["Dit veld is verplicht."]
    page = response.content.decode()
    assert 'value="geen-adres"' in page
    assert 'value="bel me"' in page
    assert 'value="Bakker &amp; Zn"' in page
    # The summary at the top lists every error with a link to its field.
    assert '<a href="#id_name">Naam: Dit veld is verplicht.</a>' in page
    assert "<title>Fout: Klachtenformulier" in page
    assert not Complaint.objects.exists()


def test_it_refuses_a_date_of_complaint_in_the_future(client: Client) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=AMSTERDAM), tick=False):
        response = client.post(FORM_URL, form_data(complaint_date="2026-03-03"))

    assert errors_for(response.content, "id_complaint_date") == ["De datum kan niet in de toekomst liggen."]


def test_after_sending_the_complainant_sees_the_reference_and_what_happens_next(client: Client) -> None:
    # Monday 2 March 2026: five working days later is Monday 9 March.
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False):
        response = client.post(FORM_URL, form_data(), follow=True)

    complaint = Complaint.objects.get()
    [(location, status)] = response.redirect_chain
    assert status == 302
    assert location.startswith(reverse("intake:submitted", args=[f"{complaint.pk}:"]).rstrip("/"))
    assert reference_on(response.content) == complaint.reference == "KL-2026-00001"
    text = text_of(response.content)
    assert (
        "Binnen 5 werkdagen, uiterlijk op maandag 9 maart 2026, ontvangt u een schriftelijke ontvangstbevestiging."
        in text
    )
    assert complaint.channel == Channel.WEB
    assert complaint.status == Status.RECEIVED
    assert complaint.received_at == datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)
    assert complaint.events.get().kind == "received"


def test_references_count_up_within_a_year(client: Client) -> None:
    references = []
    for _ in range(3):
        client.post(FORM_URL, form_data())
        references.append(Complaint.objects.order_by("-pk").first().reference)  # type: ignore[union-attr]

    year = datetime.now(AMSTERDAM).year
    assert references == [f"KL-{year}-00001", f"KL-{year}-00002", f"KL-{year}-00003"]


def test_the_reference_carries_the_year_of_receipt_in_amsterdam_time(client: Client) -> None:
    # 23:30 on New Year's Eve in Amsterdam is 22:30 UTC: still 2026.
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=AMSTERDAM), tick=False):
        client.post(FORM_URL, form_data(complaint_date="2026-12-31"))
        client.post(FORM_URL, form_data(complaint_date="2026-12-31"))
    # 00:30 on New Year's Day in Amsterdam is still 2026 in UTC (23:30 on 31 December),
    # but the complaint arrived in 2027 and starts that year's sequence.
    with time_machine.travel(datetime(2027, 1, 1, 0, 30, tzinfo=AMSTERDAM), tick=False):
        response = client.post(FORM_URL, form_data(complaint_date="2027-01-01"), follow=True)

    assert reference_on(response.content) == "KL-2027-00001"
    assert list(Complaint.objects.order_by("pk").values_list("reference", flat=True)) == [
        "KL-2026-00001",
        "KL-2026-00002",
        "KL-2027-00001",
    ]


def test_a_double_post_creates_one_complaint_and_both_see_its_reference(client: Client) -> None:
    data = form_data()

    first = client.post(FORM_URL, data, follow=True)
    second = client.post(FORM_URL, data, follow=True)

    assert Complaint.objects.count() == 1
    assert reference_on(first.content) == reference_on(second.content) == Complaint.objects.get().reference


def test_a_replayed_post_from_another_session_creates_nothing_new(client: Client) -> None:
    data = form_data()
    client.post(FORM_URL, data)

    replay = Client().post(FORM_URL, data, follow=True)

    assert Complaint.objects.count() == 1
    assert reference_on(replay.content) == Complaint.objects.get().reference


def test_a_replayed_post_uses_up_no_number_and_leaves_nothing_behind(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    data = form_data()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FORM_URL, data)
        client.post(FORM_URL, data)

        client.post(FORM_URL, form_data())

    # The replay's number went back with its transaction: the next complaint has the next one.
    assert list(Complaint.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]
    assert TimelineEvent.objects.count() == 2
    assert OutboxMessage.objects.count() == 2


def test_registering_a_complaint_from_the_form_takes_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    client.post(FORM_URL, form_data())  # the year's counter exists from now on
    # Number (1), complaint (1), timeline event (1), the day of receipt marked for the reports
    # (1) and the transaction (savepoint or begin/commit, up to 2): no lookup of the submission
    # key first. The notice to the quality inbox is written by the worker after commit, not
    # while the complainant waits.
    with django_assert_max_num_queries(6):
        assert client.post(FORM_URL, form_data()).status_code == 302


def test_refreshing_the_confirmation_shows_it_again_and_creates_nothing(client: Client) -> None:
    confirmation = client.post(FORM_URL, form_data())["Location"]

    first = client.get(confirmation)
    again = Client().get(confirmation)

    assert first.status_code == again.status_code == 200
    assert reference_on(first.content) == reference_on(again.content)
    assert Complaint.objects.count() == 1


def test_the_confirmation_page_without_a_complaint_sends_you_to_the_form(client: Client) -> None:
    response = client.get(reverse("intake:submitted", args=["not-a-token"]))

    assert response.status_code == 302
    assert response["Location"] == FORM_URL


def test_sending_the_form_writes_no_session(client: Client) -> None:
    response = client.post(FORM_URL, form_data())

    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_the_confirmation_address_holds_only_a_signed_number_and_expires(client: Client) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False):
        confirmation = client.post(FORM_URL, form_data())["Location"]
    complaint = Complaint.objects.get()
    token = confirmation.rstrip("/").rsplit("/", 1)[-1]
    assert token.split(":")[0] == str(complaint.pk)
    forged = reverse("intake:submitted", args=[f"{complaint.pk + 1}:{token.split(':', 1)[1]}"])

    with time_machine.travel(datetime(2026, 3, 2, 10, 59, tzinfo=AMSTERDAM), tick=False):
        assert client.get(confirmation).status_code == 200
        assert client.get(forged)["Location"] == FORM_URL
    with time_machine.travel(datetime(2026, 3, 2, 11, 1, tzinfo=AMSTERDAM), tick=False):
        assert client.get(confirmation)["Location"] == FORM_URL


def test_a_post_without_a_valid_submission_key_still_goes_through(client: Client) -> None:
    response = client.post(FORM_URL, form_data(submission_key="not-a-key"))

    assert response.status_code == 302
    assert Complaint.objects.get().submission_key is not None


def test_a_form_shown_again_with_errors_keeps_its_submission_key(client: Client) -> None:
    key = str(uuid.uuid4())

    response = client.post(FORM_URL, form_data(submission_key=key, name=""))

    assert f'name="submission_key" value="{key}"' in response.content.decode()


def test_the_form_is_english_after_switching_language(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": FORM_URL})

    response = client.get(FORM_URL)

    assert label_for(response.content, "id_complaint_date") == "Date of complaint"
    assert "<legend>Contact details</legend>" in response.content.decode()
    assert 'lang="nl">Nederlands</button>' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_key_create_one_complaint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two posts race: the second checks for the key while the first has not committed yet."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the race needs concurrent transactions (PostgreSQL).")
    first_inside = threading.Event()
    real_notify = intake.notifications.notify_quality_inbox

    def slow_notify(*, complaint: Complaint, **options: Any) -> None:
        # Keep the first transaction open until the second post has passed its key check.
        if not first_inside.is_set():
            first_inside.set()
            threading.Event().wait(0.5)
        real_notify(complaint=complaint, **options)

    monkeypatch.setattr(intake.notifications, "notify_quality_inbox", slow_notify)
    data = form_data()
    responses: list[int] = []

    def post() -> None:
        try:
            responses.append(Client().post(FORM_URL, data).status_code)
        finally:
            connections.close_all()

    first = threading.Thread(target=post)
    first.start()
    assert first_inside.wait(5)
    second = threading.Thread(target=post)
    second.start()
    first.join(10)
    second.join(10)

    assert responses == [302, 302]
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().reference.endswith("-00001")
