"""The quality manager sees every complaint that came in: a list (newest first, filters,
search, keyset pages) and a detail page; every back-office view checks the role."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import complaints.views
from accounts.models import User
from complaints.attachments import UploadedFile
from complaints.models import Channel, Complaint, Status
from tests.conftest import ComplaintFactory

from . import files
from .helpers import text_of

LIST_URL = "/backoffice/klachten/"

pytestmark = pytest.mark.django_db


def references_on(content: bytes) -> list[str]:
    return re.findall(r'href="/backoffice/klachten/(KL-\d{4}-\d{5})/"', content.decode())


@pytest.fixture
def three(make_complaint: ComplaintFactory, back_office: User) -> list[Complaint]:
    now = timezone.now()
    web = make_complaint(received_at=now - timedelta(days=5), name="Jan Jansen")
    phone = make_complaint(
        channel=Channel.PHONE, received_at=now - timedelta(days=1), name="Fatima El Amrani", by=back_office
    )
    letter = make_complaint(
        channel=Channel.LETTER, received_at=now - timedelta(days=3), name="Pieter de Vries", by=back_office
    )
    return [web, phone, letter]


def test_the_list_shows_every_complaint_newest_first(
    client: Client, quality_manager: User, three: list[Complaint]
) -> None:
    web, phone, letter = three
    client.force_login(quality_manager)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert references_on(response.content) == [phone.reference, letter.reference, web.reference]


def test_the_list_filters_by_channel(client: Client, quality_manager: User, three: list[Complaint]) -> None:
    web, _phone, letter = three
    client.force_login(quality_manager)

    assert references_on(client.get(LIST_URL, {"channel": "letter"}).content) == [letter.reference]
    assert references_on(client.get(LIST_URL, {"channel": "web"}).content) == [web.reference]


def test_the_list_filters_by_status(client: Client, quality_manager: User, three: list[Complaint]) -> None:
    web, phone, letter = three
    Complaint.objects.filter(pk=phone.pk).update(status=Status.IN_PROGRESS)
    client.force_login(quality_manager)

    assert references_on(client.get(LIST_URL, {"status": "in_progress"}).content) == [phone.reference]
    assert references_on(client.get(LIST_URL, {"status": "received"}).content) == [letter.reference, web.reference]


def test_the_list_searches_by_reference_and_by_name(
    client: Client, quality_manager: User, three: list[Complaint]
) -> None:
    web, phone, _letter = three
    client.force_login(quality_manager)

    assert references_on(client.get(LIST_URL, {"q": web.reference.lower()}).content) == [web.reference]
    assert references_on(client.get(LIST_URL, {"q": "amrani"}).content) == [phone.reference]
    assert references_on(client.get(LIST_URL, {"q": "niemand"}).content) == []


def test_the_list_pages_by_keyset_without_gaps_or_repeats(
    client: Client, quality_manager: User, make_complaint: ComplaintFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = timezone.now()
    # Two complaints at the same moment: the page boundary must not lose one.
    moments = [now - timedelta(hours=h) for h in (1, 2, 2, 3, 4)]
    made = [make_complaint(received_at=moment, name=f"Klager {n}") for n, moment in enumerate(moments)]
    monkeypatch.setattr(complaints.views, "PAGE_SIZE", 2)
    client.force_login(quality_manager)

    seen: list[str] = []
    url = LIST_URL
    for _ in range(5):
        response = client.get(url)
        seen += references_on(response.content)
        following = re.search(r'href="(\?[^"]*)" rel="next"', response.content.decode())
        if not following:
            break
        url = LIST_URL + html.unescape(following.group(1))

    expected = sorted(made, key=lambda c: (c.received_at, c.pk), reverse=True)
    assert seen == [c.reference for c in expected]


def test_the_detail_page_shows_all_fields_the_attachments_and_the_timeline(
    client: Client, quality_manager: User, back_office: User, make_complaint: ComplaintFactory
) -> None:
    complaint = make_complaint(
        channel=Channel.PHONE,
        by=back_office,
        name="Fatima El Amrani",
        company="El Amrani Advies",
        about="Klantenservice",
        email="fatima@example.nl",
        postal_address="Dorpsstraat 1, 1234 AB Ergens",
        phone="020 1234567",
        description="Ik werd drie keer doorverbonden.",
        desired_outcome="Een vaste contactpersoon.",
        files=(UploadedFile(name="gespreksnotitie.txt", content=files.text(), content_type="text/plain"),),
    )
    client.force_login(quality_manager)

    response = client.get(reverse("complaints:detail", args=[complaint.reference]))

    assert response.status_code == 200
    text = text_of(response.content)
    for value in (
        complaint.reference,
        "Fatima El Amrani",
        "El Amrani Advies",
        "Klantenservice",
        "fatima@example.nl",
        "Dorpsstraat 1, 1234 AB Ergens",
        "020 1234567",
        "Ik werd drie keer doorverbonden.",
        "Een vaste contactpersoon.",
        "gespreksnotitie.txt",
        back_office.display_name,
    ):
        assert value in text, value
    attachment = complaint.attachments.get()
    assert reverse("complaints:attachment", args=[complaint.reference, attachment.pk]) in response.content.decode()
    event = complaint.events.get()
    assert event.actor == back_office
    assert event.message in text
    assert timezone.localtime(event.at).strftime("%H:%M") in text


def test_a_complaint_the_user_may_not_see_answers_404(
    client: Client,
    back_office: User,
    director: User,
    outsider: User,
    privacy_officer: User,
    make_complaint: ComplaintFactory,
) -> None:
    web = make_complaint()
    registered = make_complaint(channel=Channel.PHONE, by=back_office)
    url = reverse("complaints:detail", args=[web.reference])

    for user in (back_office, director, outsider, privacy_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    # The back office sees what it registered itself.
    client.force_login(back_office)
    assert client.get(reverse("complaints:detail", args=[registered.reference])).status_code == 200
    assert references_on(client.get(LIST_URL).content) == [registered.reference]


def test_an_unknown_reference_answers_404(client: Client, quality_manager: User) -> None:
    client.force_login(quality_manager)

    assert client.get(reverse("complaints:detail", args=["KL-2026-99999"])).status_code == 404


@pytest.mark.parametrize("persona", ["back_office", "director", "privacy_officer", "outsider"])
def test_a_function_the_role_may_not_use_answers_403(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("outbox:list")).status_code == 403


def test_the_back_office_needs_a_login(client: Client) -> None:
    for url in (LIST_URL, reverse("complaints:home"), reverse("outbox:list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
