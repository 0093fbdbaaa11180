"""The back office pages ask the database the same number of questions whatever the amount
of data: no query per row (N+1), and the list pages with keyset pagination, never OFFSET or
COUNT(*), so a page deep in a million complaints costs what the first one costs."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from complaints.models import Complaint
from complaints.services import acknowledge, add_agreement, assign, log_call
from lib.pagination import encode_cursor
from tests.conftest import PASSWORD, ComplaintFactory

pytestmark = pytest.mark.django_db


def populate(
    count: int, *, make_complaint: ComplaintFactory, quality_manager: User, handler: User, start: int = 0
) -> list[Complaint]:
    """Complaints in every stage the pages show: new, acknowledged, handed over, called,
    with agreements; each third one with a different responsible person's name on it."""
    made = []
    for i in range(start, start + count):
        complaint = make_complaint(name=f"Klager {i}", received_at=timezone.now() - timedelta(days=i % 40, hours=i))
        if i % 4 >= 1:
            acknowledge(complaint=complaint, by=quality_manager)
        if i % 4 >= 2:
            assign(complaint=complaint, to=handler, by=quality_manager)
        if i % 4 == 3:
            log_call(complaint=complaint, by=handler, at=timezone.now(), summary="Gebeld.")
            add_agreement(
                complaint=complaint, by=handler, description="Nieuwe afspraak", owner="Planning", due=date.today()
            )
        made.append(complaint)
    return made


def queries_for(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in captured.captured_queries]


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def world(make_complaint: ComplaintFactory, quality_manager: User, director: User) -> dict[str, object]:
    def grow(count: int, start: int) -> list[Complaint]:
        return populate(
            count, make_complaint=make_complaint, quality_manager=quality_manager, handler=director, start=start
        )

    return {"grow": grow}


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("quality_manager", "complaints:home"),
        ("director", "complaints:home"),
        ("quality_manager", "complaints:list"),
        ("director", "complaints:list"),
    ],
)
def test_the_page_asks_no_more_queries_for_60_complaints_than_for_5(
    request: pytest.FixtureRequest, world: dict, persona: str, url_name: str
) -> None:
    user = request.getfixturevalue(persona)
    client = logged_in(user)
    url = reverse(url_name)
    world["grow"](5, 0)
    client.get(url)  # Sessions and per-process caches warm up on the first request.
    world["grow"](1, 5)  # A change: the queue counts are counted again, as after any change.
    with_5 = queries_for(client, url)
    world["grow"](55, 6)
    with_60 = queries_for(client, url)

    assert len(with_60) <= len(with_5), "\n".join(with_60)


def test_the_complaint_page_asks_no_more_queries_for_a_long_history_than_for_a_short_one(
    world: dict, quality_manager: User, director: User
) -> None:
    short, long = world["grow"](2, 3)[0], world["grow"](1, 7)[0]
    # A long history: more calls, agreements and timeline events on the second complaint.
    for i in range(8):
        log_call(complaint=long, by=director, at=timezone.now(), summary=f"Gesprek {i}.")
        add_agreement(complaint=long, by=director, description=f"Afspraak {i}", owner="Planning", due=date.today())
    client = logged_in(quality_manager)
    client.get(reverse("complaints:detail", args=[short.reference]))

    few = queries_for(client, reverse("complaints:detail", args=[short.reference]))
    many = queries_for(client, reverse("complaints:detail", args=[long.reference]))

    assert long.events.count() > short.events.count() + 15
    assert len(many) <= len(few), "\n".join(many)


def test_the_complaint_page_asks_no_more_queries_when_there_are_more_complaints(
    world: dict, quality_manager: User
) -> None:
    target = world["grow"](5, 3)[0]
    client = logged_in(quality_manager)
    url = reverse("complaints:detail", args=[target.reference])
    client.get(url)
    with_5 = queries_for(client, url)
    world["grow"](55, 10)
    with_60 = queries_for(client, url)

    assert len(with_60) <= len(with_5), "\n".join(with_60)


OFFSET = re.compile(r"\bOFFSET\b", re.IGNORECASE)
COUNT = re.compile(r"\bCOUNT\s*\(", re.IGNORECASE)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "in_progress"},
        {"channel": "phone"},
        {"q": "Klager 1"},
        {"q": "monteur"},
    ],
)
def test_the_list_pages_by_keyset_without_offset_or_count(
    world: dict, quality_manager: User, query: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("complaints.views.PAGE_SIZE", 5)
    world["grow"](12, 0)
    client = logged_in(quality_manager)
    newest = Complaint.objects.order_by("-received_at", "-pk")[6]
    cursor = encode_cursor(newest.received_at, newest.pk)
    base = reverse("complaints:list")

    for params in (query, {**query, "cursor": cursor}):
        suffix = "&".join(f"{k}={v}" for k, v in params.items())
        sql = queries_for(client, f"{base}?{suffix}" if suffix else base)
        complaint_queries = [q for q in sql if "complaints_complaint" in q]
        assert complaint_queries, "the list did not read complaints"
        assert not [q for q in complaint_queries if OFFSET.search(q) or COUNT.search(q)], "\n".join(complaint_queries)


def test_the_second_page_starts_after_the_last_row_of_the_first(
    world: dict, quality_manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("complaints.views.PAGE_SIZE", 5)
    world["grow"](9, 0)
    client = logged_in(quality_manager)
    first = client.get(reverse("complaints:list"))
    next_link = re.search(r'href="(\?[^"]*cursor=[^"]+)"', first.content.decode())
    assert next_link, "a list of 9 has a second page of 5"

    second = client.get(reverse("complaints:list") + next_link.group(1).replace("&amp;", "&"))

    newest_first = list(Complaint.objects.order_by("-received_at", "-pk").values_list("reference", flat=True))
    page_one = [r for r in newest_first if r in first.content.decode()]
    page_two = [r for r in newest_first if r in second.content.decode()]
    assert page_one and page_two
    assert not set(page_one) & set(page_two)
    assert sorted(page_one + page_two, key=newest_first.index) == newest_first
