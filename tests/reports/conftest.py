"""A hand-counted year: eleven complaints received in 2025 and three in 2024, looked at on
15 January 2026. The expected figures in the tests were counted by hand from this table.

Moments are written straight to the complaint (the procedure's own services are tested
elsewhere); the deadlines come from registration, through the real working-day calendar."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.models import Channel, Complaint, Outcome, Status, Subject
from quality.models import Category, Classification, RootCause, Severity, SurveyInvitation
from quality.services import token_hash

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=AMS)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


# name: received, channel, subject, acknowledged, first contact, closed, status, outcome, category, survey score
# ("sent" = survey sent, not answered; None = no survey)
ROWS = {
    # Received the Thursday before Easter 2025: acknowledgement due Monday 28 April (Good Friday
    # and Easter Monday are not working days); acknowledged at 23:30 that Monday: on time.
    "C1": (
        at(2025, 4, 17, 10),
        Channel.WEB,
        Subject.SERVICE,
        at(2025, 4, 28, 23, 30),
        at(2025, 4, 30),
        at(2025, 5, 10, 10),
        Status.CLOSED,
        Outcome.WELL_FOUNDED,
        "communicatie",
        4,
    ),
    # Same day; acknowledged at 00:30 on Tuesday 29 April (still the 28th in UTC): late.
    "C2": (
        at(2025, 4, 17, 9),
        Channel.PHONE,
        Subject.WORKING_METHOD,
        at(2025, 4, 29, 0, 30),
        at(2025, 5, 2),
        at(2025, 5, 20, 9),
        Status.CLOSED,
        Outcome.UNFOUNDED,
        "communicatie",
        2,
    ),
    "C3": (
        at(2025, 1, 6, 9),
        Channel.LETTER,
        Subject.SERVICE,
        at(2025, 1, 8),
        at(2025, 1, 10),
        at(2025, 1, 31, 9),
        Status.CLOSED,
        Outcome.PARTLY_WELL_FOUNDED,
        "bereikbaarheid",
        5,
    ),
    "C4": (
        at(2025, 1, 20, 9),
        Channel.WEB,
        Subject.SERVICE,
        at(2025, 1, 31),
        at(2025, 2, 10),
        at(2025, 2, 28, 9),
        Status.CLOSED,
        Outcome.WELL_FOUNDED,
        "bereikbaarheid",
        None,
    ),
    # Resolution deadline extended (to 15 May) and met: does not count as "within the deadline".
    "C5": (
        at(2025, 4, 1, 9),
        Channel.WEB,
        Subject.SERVICE,
        at(2025, 4, 2),
        at(2025, 4, 3),
        at(2025, 5, 10, 9),
        Status.CLOSED,
        Outcome.WELL_FOUNDED,
        "kwaliteit van het werk",
        None,
    ),
    # Withdrawn before any contact: its contact and resolution are not judged.
    "C6": (
        at(2025, 6, 2, 9),
        Channel.EMAIL,
        Subject.SERVICE,
        at(2025, 6, 3),
        None,
        at(2025, 6, 4, 9),
        Status.WITHDRAWN,
        Outcome.WITHDRAWN,
        None,
        None,
    ),
    # Open: contact was due 5 January 2026 (missed), resolution due 21 January 2026 (not yet judged).
    "C7": (
        at(2025, 12, 22, 9),
        Channel.WEB,
        Subject.WORKING_METHOD,
        at(2025, 12, 23),
        None,
        None,
        Status.IN_PROGRESS,
        "",
        None,
        None,
    ),
    # Open, never acknowledged: due 7 January 2026 (New Year's Day skipped); contact due 13 January.
    "C8": (at(2025, 12, 30, 9), Channel.PHONE, Subject.SERVICE, None, None, None, Status.RECEIVED, "", None, None),
    "C9": (
        at(2025, 7, 1, 9),
        Channel.WEB,
        Subject.SERVICE,
        at(2025, 7, 2),
        at(2025, 7, 3),
        at(2025, 7, 20, 9),
        Status.CLOSED,
        Outcome.WELL_FOUNDED,
        "facturatie",
        "sent",
    ),
    "C10": (
        at(2025, 9, 15, 9),
        Channel.WEB,
        Subject.SERVICE,
        at(2025, 9, 16),
        at(2025, 9, 20),
        at(2025, 10, 1, 9),
        Status.CLOSED,
        Outcome.UNFOUNDED,
        "facturatie",
        None,
    ),
    # Received 00:30 on New Year's Day, local time (still 2024 in UTC): counts for January 2025.
    "C11": (
        at(2025, 1, 1, 0, 30),
        Channel.WEB,
        Subject.SERVICE,
        at(2025, 1, 2),
        at(2025, 1, 3),
        at(2025, 1, 20, 0, 30),
        Status.CLOSED,
        Outcome.PARTLY_WELL_FOUNDED,
        "bejegening",
        None,
    ),
    # The previous year. P1: 23:30 on New Year's Eve, local time: counts for December 2024.
    "P1": (
        at(2024, 12, 31, 23, 30),
        Channel.WEB,
        Subject.SERVICE,
        at(2025, 1, 2),
        at(2025, 1, 3),
        at(2025, 1, 10, 23, 30),
        Status.CLOSED,
        Outcome.WELL_FOUNDED,
        "communicatie",
        None,
    ),
    # Acknowledgement due 14 May 2024 (Ascension Day, 9 May, skipped): acknowledged 15 May, late.
    "P2": (
        at(2024, 5, 6, 9),
        Channel.PHONE,
        Subject.SERVICE,
        at(2024, 5, 15),
        at(2024, 5, 10),
        at(2024, 5, 20, 9),
        Status.CLOSED,
        Outcome.UNFOUNDED,
        None,
        None,
    ),
    "P3": (
        at(2024, 6, 10, 9),
        Channel.LETTER,
        Subject.SERVICE,
        at(2024, 6, 11),
        at(2024, 6, 12),
        at(2024, 6, 13, 9),
        Status.CLOSED,
        Outcome.WELL_FOUNDED,
        None,
        None,
    ),
}


@pytest.fixture(autouse=True)
def empty_report_cache() -> None:
    # Reports are cached per period and day; each test starts without them.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def year_of_complaints(make_complaint, quality_manager) -> dict[str, Complaint]:
    complaints: dict[str, Complaint] = {}
    # get_or_create: a browser test (transactional) starts from a flushed database without the seeds.
    root_cause, _ = RootCause.objects.get_or_create(name="onduidelijke informatie")
    with time_machine.travel(NOW, tick=False):
        for name, (received, channel, subject, ack, contact, closed, status, outcome, category, score) in ROWS.items():
            complaint = make_complaint(
                received_at=received, channel=channel, subject=subject, email=f"{name.lower()}@example.nl"
            )
            Complaint.objects.filter(pk=complaint.pk).update(
                acknowledged_at=ack, first_contact_at=contact, closed_at=closed, status=status, outcome=outcome
            )
            if category:
                Classification.objects.create(
                    complaint=complaint,
                    category=Category.objects.get_or_create(parent=None, name=category)[0],
                    root_cause=root_cause if name in ("C1", "C2") else None,
                    severity=Severity.HIGH if name == "C9" else "",
                )
            if score is not None:
                assert closed is not None, "a survey goes out when a complaint is closed"
                SurveyInvitation.objects.create(
                    complaint=complaint,
                    token_hash=token_hash(secrets.token_urlsafe(32)),
                    sent_at=closed,
                    answered_at=None if score == "sent" else closed,
                    score=None if score == "sent" else score,
                )
            complaint.refresh_from_db()
            complaints[name] = complaint
        Complaint.objects.filter(pk=complaints["C5"].pk).update(
            resolve_due=datetime(2025, 5, 15).date(), resolve_extension_reason="Wachten op de leverancier."
        )
    return complaints


def made_in_the_background(client, url: str, capture) -> bytes:
    """Ask for an export as a person does (a POST to url), let the worker make it, download it."""
    from django.urls import reverse

    from reports.models import ReportExport

    with capture(execute=True):
        asked = client.post(url)
    assert asked.status_code == 302, asked.status_code
    export = ReportExport.objects.latest("pk")
    assert asked["Location"] == reverse("reports:export_detail", args=[export.pk])
    response = client.get(reverse("reports:export_download", args=[export.pk]))
    assert response.status_code == 200, export.status
    return b"".join(response.streaming_content)
