"""The complainant's link is a secret only the complainant holds: it works once and becomes a
session of their own, so the copy in the outbox, in the stored letter or in a log opens nothing
afterwards. Staff never read it; a complainant asks for a fresh one; every use is logged."""

import hashlib
import io
import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from complaints.models import Complaint
from correspondence import services
from correspondence.models import Letter, LetterKind
from lib.logging import SafeFormatter
from outbox.models import OutboxMessage
from privacy.models import AccessAction, AccessLog
from tests.conftest import ComplaintFactory

LINK = re.compile(r"/klacht/status/[A-Za-z0-9_-]{43}/")


def acknowledge(complaint: Complaint, by: User) -> Letter:
    letter = services.draft_letter(complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, by=by)
    return services.send_letter(letter=letter, by=by)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def acknowledged(make_complaint: ComplaintFactory, quality_manager: User) -> tuple[Complaint, Letter]:
    complaint = make_complaint(received_at=timezone.now() - timedelta(days=1))
    return complaint, acknowledge(complaint, quality_manager)


def test_a_link_read_from_the_outbox_the_letter_or_a_log_opens_nothing_once_used(
    acknowledged: tuple[Complaint, Letter], caplog: pytest.LogCaptureFixture
) -> None:
    complaint, letter = acknowledged
    from_outbox = LINK.search(OutboxMessage.objects.get(kind="letter_acknowledgement").body_text)
    with letter.pdf.open("rb") as handle:
        stored = handle.read()
    from_letter = LINK.search(pdf_text(stored).replace("\n", ""))
    assert from_outbox and from_letter and from_outbox.group(0) == from_letter.group(0)
    # The letter that went out is still the stored one, byte for byte.
    assert hashlib.sha256(stored).hexdigest() == letter.sha256
    link = from_outbox.group(0)

    complainant = Client()
    claimed = complainant.get(link)
    assert claimed.status_code == 302 and claimed["Location"] == reverse("correspondence:status_home")
    assert complaint.reference in complainant.get(claimed["Location"]).content.decode()

    for finder in (Client(), Client(REMOTE_ADDR="203.0.113.9")):
        used = finder.get(link)
        assert used.status_code == 404
        assert complaint.reference not in used.content.decode()
        assert finder.get(reverse("correspondence:status_home")).status_code == 404
        assert finder.get(reverse("correspondence:status_letter", args=[letter.pk])).status_code == 404
    # Opening it again in the complainant's own browser just shows their page.
    assert complainant.get(link)["Location"] == reverse("correspondence:status_home")


def test_staff_never_read_the_link_in_the_outbox(acknowledged: tuple[Complaint, Letter], quality_manager: User) -> None:
    message = OutboxMessage.objects.get(kind="letter_acknowledgement")
    staff = Client()
    staff.force_login(quality_manager)
    page = staff.get(reverse("outbox:detail", args=[message.pk])).content.decode()
    assert LINK.search(message.body_text)
    assert not LINK.search(page)
    assert "/klacht/status/…/" in page


def test_a_link_in_a_log_line_is_replaced() -> None:
    token = "A" * 43
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/klacht/status/{token}/",), None
    )
    assert token not in SafeFormatter("%(message)s").format(record)


def test_every_use_of_the_status_page_is_on_the_access_log(acknowledged: tuple[Complaint, Letter]) -> None:
    complaint, letter = acknowledged
    link = LINK.search(OutboxMessage.objects.get(kind="letter_acknowledgement").body_text)
    assert link
    complainant = Client()
    complainant.get(link.group(0))
    complainant.get(reverse("correspondence:status_home"))
    complainant.get(reverse("correspondence:status_letter", args=[letter.pk]))
    entries = AccessLog.objects.filter(complaint=complaint).order_by("at", "pk")
    assert [(entry.user, entry.action) for entry in entries] == [
        (None, AccessAction.STATUS_CLAIMED),
        (None, AccessAction.STATUS_VIEWED),
        (None, AccessAction.STATUS_LETTER),
    ]


def test_the_complainant_asks_for_a_fresh_link_and_the_old_session_ends(
    acknowledged: tuple[Complaint, Letter],
) -> None:
    complaint, _letter = acknowledged
    link = LINK.search(OutboxMessage.objects.get(kind="letter_acknowledgement").body_text)
    assert link
    old_device = Client()
    old_device.get(link.group(0))

    url = reverse("correspondence:status_fresh_link")
    wrong = Client().post(url, {"reference": complaint.reference, "email": "someone@example.nl"})
    right = Client().post(url, {"reference": complaint.reference.lower(), "email": complaint.email.upper()})
    assert wrong.status_code == right.status_code == 200
    without_token = lambda response: re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())  # noqa: E731
    assert without_token(wrong) == without_token(right)
    [fresh] = OutboxMessage.objects.filter(kind="status_link")
    assert fresh.to == [complaint.email] and fresh.holds_credential
    assert fresh.headers.get("X-Auto-Response-Suppress") == "All"

    new_device = Client()
    new_link = LINK.search(fresh.body_text)
    assert new_link
    assert new_device.get(new_link.group(0)).status_code == 302
    assert new_device.get(reverse("correspondence:status_home")).status_code == 200
    assert old_device.get(reverse("correspondence:status_home")).status_code == 404


def test_a_fresh_link_request_cannot_flood_a_complainants_inbox(acknowledged: tuple[Complaint, Letter]) -> None:
    complaint, _letter = acknowledged
    url = reverse("correspondence:status_fresh_link")
    for number in range(6):
        client = Client(REMOTE_ADDR=f"198.51.100.{number}")
        assert client.post(url, {"reference": complaint.reference, "email": complaint.email}).status_code == 200
    assert OutboxMessage.objects.filter(kind="status_link").count() == 3


def test_staff_print_a_new_link_for_a_complainant_without_e_mail(
    make_complaint: ComplaintFactory, quality_manager: User
) -> None:
    complaint = make_complaint(
        email="", postal_address="Dorpsstraat 1, 6711 AB Ede", received_at=timezone.now() - timedelta(days=1)
    )
    acknowledge(complaint, quality_manager)
    staff = Client()
    staff.force_login(quality_manager)
    response = staff.post(reverse("correspondence:reissue_status_link", args=[complaint.reference]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    link = LINK.search(pdf_text(response.content).replace("\n", ""))
    assert link
    assert Client().get(link.group(0)).status_code == 302
    assert complaint.events.filter(kind="status_link_sent").exists()


def test_gunicorns_access_log_leaves_the_link_out() -> None:
    from datetime import timedelta as duration
    from types import SimpleNamespace

    from gunicorn.config import Config

    from klachtenregeling.gunicorn_logging import RedactingLogger

    token = "B" * 43
    path = f"/klacht/status/{token}/"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path, "SERVER_PROTOCOL": "HTTP/1.1"}
    environ["HTTP_REFERER"] = f"https://klachten.example.nl{path}"
    response = SimpleNamespace(status="302 Found", headers=[], sent=0)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = RedactingLogger(Config()).atoms(response, request, environ, duration(milliseconds=3))
    assert atoms["U"] == "/klacht/status/…/" and atoms["r"] == "GET /klacht/status/…/ HTTP/1.1"
    assert not any(token in str(value) for value in atoms.values())


def test_a_fresh_link_request_costs_the_same_whether_or_not_it_matches(
    acknowledged: tuple[Complaint, Letter], settings: object
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # type: ignore[attr-defined]
    complaint, _letter = acknowledged
    url = reverse("correspondence:status_fresh_link")
    counts = []
    for email in (complaint.email, "someone@example.nl"):
        with CaptureQueriesContext(connection) as captured:
            assert Client().post(url, {"reference": complaint.reference, "email": email}).status_code == 200
        counts.append(len(captured.captured_queries))
        assert not any("complaints_complaint" in query["sql"] for query in captured.captured_queries)
    assert counts[0] == counts[1]
    assert not OutboxMessage.objects.filter(kind="status_link").exists()
    for result in DBTaskResult.objects.order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    assert OutboxMessage.objects.filter(kind="status_link").count() == 1
