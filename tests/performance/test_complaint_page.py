"""The complaint page asks the database the same questions however long a complaint's history
is: one query per list (timeline, letters, attachments, contacts, agreements, related
complaints, corrective actions, undelivered mail), never one per row, and no list read twice.
A list the complaint's own query found empty is not read at all."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from complaints import services
from complaints.models import Attachment, Complaint
from correspondence.models import Letter, LetterKind, LetterStatus, SendChannel
from outbox.models import MessageStatus, OutboxMessage
from quality.models import LinkReason, SurveyInvitation
from quality.services import link_complaints, open_action
from tests.complaints.procedure import classify
from tests.conftest import ComplaintFactory, make_user

pytestmark = pytest.mark.django_db

# The tables of the page's lists: each is read by exactly one query.
LISTS = (
    "complaints_timelineevent",
    "complaints_attachment",
    "complaints_contact",
    "complaints_agreement",
    "correspondence_letter",
    "outbox_outboxmessage",
    "quality_complaintlink",
    "quality_correctiveaction",
)
# The lists that are usually empty: whether they have rows comes with the complaint.
FLAGGED = (
    "complaints_attachment",
    "complaints_agreement",
    "outbox_outboxmessage",
    "quality_complaintlink",
    "quality_correctiveaction",
    "quality_surveyinvitation",
)
# The staff members a complaint is about (a few percent of complaints): read only when there are.
ABOUT_STAFF = 'INNER JOIN "complaints_complaint_about_staff"'
FROM = re.compile(r'\bFROM "(\w+)"')


def tables_read(queries: list[str]) -> list[str]:
    """The table each query reads: that of its own FROM, outside the parentheses of the
    subqueries in its columns (the complaint's query names the lists' tables there too)."""
    tables = []
    for sql in queries:
        for match in FROM.finditer(sql):
            before = sql[: match.start()]
            if before.count("(") == before.count(")"):
                tables.append(match.group(1))
                break
    return tables


def grow(
    complaint: Complaint, times: int, *, handler: User, quality_manager: User, make_complaint: ComplaintFactory
) -> None:
    """Give the complaint `times` of everything its page lists, each with its own rows to show."""
    now = timezone.now()
    for i in range(times):
        services.log_call(complaint=complaint, by=handler, at=now - timedelta(hours=i + 1), summary=f"Gebeld {i}.")
        meeting = services.plan_meeting(
            complaint=complaint, by=handler, starts_at=now + timedelta(days=i + 1), location=f"Kantoor {i}"
        )
        services.add_agreement(
            complaint=complaint, by=handler, description=f"Afspraak {i}", owner="Planning", due=date.today()
        )
        Attachment.objects.create(
            complaint=complaint,
            file=f"bijlagen/{i}.pdf",
            original_name=f"bijlage-{i}.pdf",
            content_type="application/pdf",
            size=1000 + i,
            sha256="0" * 64,
            uploaded_by=handler,
        )
        # An invitation that went out by e-mail and bounced: a sent letter and undelivered mail.
        message = OutboxMessage.objects.create(
            kind="letter",
            complaint=complaint,
            to=["jan@example.nl"],
            subject=f"Uitnodiging {i}",
            body_text="...",
            message_id=f"<{complaint.pk}-{i}@example.nl>",
            status=MessageStatus.FAILED,
            last_error="550 mailbox unavailable",
            next_attempt_at=now,
        )
        Letter.objects.create(
            complaint=complaint,
            kind=LetterKind.INVITATION,
            status=LetterStatus.SENT,
            subject=f"Uitnodiging {i}",
            body="...",
            contact=meeting,
            ics_sequence=meeting.sequence,
            sent_at=now,
            sent_by=handler,
            channel=SendChannel.EMAIL,
            sha256="0" * 64,
            outbox_message=message,
        )
        other = make_complaint(name=f"Andere klager {i}")
        link_complaints(complaint=complaint, other=other, reason=LinkReason.SAME_CAUSE, by=quality_manager)
        open_action(by=quality_manager, title=f"Maatregel {i}", owner=handler, due=date.today(), complaints=[complaint])
    if times:
        # A draft next to the sent letters.
        Letter.objects.create(complaint=complaint, kind=LetterKind.CONFIRMATION, subject="Bevestiging", body="...")
        SurveyInvitation.objects.create(complaint=complaint, token_hash=f"{complaint.pk:064d}", sent_at=now)
        complaint.about_staff.add(make_user(f"collega-{complaint.pk}", first_name="Collega"))


@pytest.fixture
def page(make_complaint: ComplaintFactory, quality_manager: User, director: User):
    """A handed-over complaint with `times` of everything, and the queries of its page."""

    def make(times: int, viewer: User) -> tuple[list[str], str]:
        complaint = make_complaint(name=f"Klager met {times}", received_at=timezone.now() - timedelta(days=1))
        services.acknowledge(complaint=complaint, by=quality_manager)
        classify(complaint, quality_manager)
        services.assign(complaint=complaint, to=director, by=quality_manager)
        grow(complaint, times, handler=director, quality_manager=quality_manager, make_complaint=make_complaint)
        client = Client()
        client.force_login(viewer)
        url = reverse("complaints:detail", args=[complaint.reference])
        client.get(url)  # Sessions and per-process caches warm up on the first request.
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return [q["sql"] for q in captured.captured_queries], response.content.decode()

    return make


@pytest.mark.parametrize("persona", ["quality_manager", "director"])
def test_the_complaint_page_asks_no_more_queries_for_six_of_everything_than_for_one(
    request: pytest.FixtureRequest, page, persona: str
) -> None:
    viewer = request.getfixturevalue(persona)
    few, few_html = page(1, viewer)
    many, many_html = page(6, viewer)

    # The page shows all of it: the rows are there, not left out.
    for shown in ("bijlage-5.pdf", "Afspraak 5", "Gebeld 5.", "Kantoor 5", "Uitnodiging 5", "Maatregel 5"):
        assert shown in many_html, shown
    assert (
        len(re.findall(r'<li><time datetime="', many_html)) >= len(re.findall(r'<li><time datetime="', few_html)) + 25
    )
    assert len(many) <= len(few), "\n".join(many)


def test_the_complaint_page_reads_each_of_its_lists_once(page, quality_manager: User) -> None:
    queries, _html = page(3, quality_manager)

    tables = tables_read(queries)
    assert {table: tables.count(table) for table in LISTS} == dict.fromkeys(LISTS, 1), "\n".join(queries)
    # The classification and the survey each in one small query of its own (joined to the
    # complaint's query they made it slow to plan), the staff it is about in one too.
    assert tables.count("quality_classification") == 1, "\n".join(queries)
    assert tables.count("quality_surveyinvitation") == 1, "\n".join(queries)
    assert sum(ABOUT_STAFF in sql for sql in queries) == 1, "\n".join(queries)


def test_the_complaint_page_reads_no_list_that_the_complaint_query_found_empty(page, quality_manager: User) -> None:
    queries, html = page(0, quality_manager)

    tables = tables_read(queries)
    assert not set(FLAGGED) & set(tables), "\n".join(queries)
    assert not any(ABOUT_STAFF in sql for sql in queries), "\n".join(queries)
    # The timeline, contacts and letters are read as ever; the empty lists say so.
    assert {"complaints_timelineevent", "complaints_contact", "correspondence_letter"} <= set(tables)
    for empty in ("Geen bijlagen.", "Geen verwante klachten.", "Geen verbetermaatregelen."):
        assert empty in html, empty


def test_the_page_shown_again_after_a_refused_step_still_lists_everything(
    make_complaint: ComplaintFactory, quality_manager: User, director: User
) -> None:
    # The complaint is read again there, without the flags of the page's own query.
    complaint = make_complaint(name="Klager", received_at=timezone.now() - timedelta(days=1))
    services.acknowledge(complaint=complaint, by=quality_manager)
    services.assign(complaint=complaint, to=director, by=quality_manager)
    grow(complaint, 1, handler=director, quality_manager=quality_manager, make_complaint=make_complaint)
    client = Client()
    client.force_login(quality_manager)

    response = client.post(reverse("complaints:extend", args=[complaint.reference]), {"extend-reason": ""})

    assert response.status_code == 400
    html = response.content.decode()
    related = Complaint.objects.get(name="Andere klager 0").reference
    for shown in ("bijlage-0.pdf", "Afspraak 0", "Uitnodiging 0", "550 mailbox unavailable", "Maatregel 0", related):
        assert shown in html, shown
