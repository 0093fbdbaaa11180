"""The quality inbox hears of every complaint: the complaint is marked in its own transaction,
the worker writes the notice to the outbox right after commit (the periodic run catches up on
any it missed), and it is delivered over real SMTP, exactly once, also when the server was
down at first."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.models import User
from complaints.models import Complaint
from intake.notifications import announce_pending
from outbox.models import MessageStatus, OutboxMessage
from privacy.services import lift_restriction, restrict_processing
from tests.conftest import ComplaintFactory
from tests.support.smtp import SmtpSink

from .helpers import form_data, reference_on

FORM_URL = "/klacht/"


@pytest.mark.django_db
def test_the_post_marks_the_complaint_and_the_worker_writes_the_notice_after_commit(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(FORM_URL, form_data())

    # Not written while the complainant waits; the complaint carries what is still to be done.
    complaint = Complaint.objects.get()
    assert complaint.inbox_notice_pending is True
    assert not OutboxMessage.objects.exists()

    for callback in callbacks:
        callback()

    message = OutboxMessage.objects.get()
    assert message.kind == "new_complaint"
    assert message.complaint == complaint
    assert message.to == ["kwaliteit@supportoplus.nl"]
    assert message.subject.startswith(f"Nieuwe klacht {complaint.reference}")
    complaint.refresh_from_db()
    assert complaint.inbox_notice_pending is False


@pytest.mark.django_db
def test_the_quality_inbox_address_is_a_setting(
    client: Client, settings: object, django_capture_on_commit_callbacks
) -> None:
    from organisation.selectors import get_organisation

    organisation = get_organisation()
    organisation.quality_inbox = "klachten@example.nl"
    organisation.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(FORM_URL, form_data())

    assert OutboxMessage.objects.get().to == ["klachten@example.nl"]


@pytest.mark.django_db
def test_a_notice_the_worker_did_not_write_is_written_by_the_periodic_run_once(client: Client) -> None:
    # The task after commit never runs here, as when the queue was unreachable.
    client.post(FORM_URL, form_data())
    client.post(FORM_URL, form_data(name="Tweede Klager"))
    assert not OutboxMessage.objects.exists()

    call_command("run_periodic")
    call_command("run_periodic")

    assert OutboxMessage.objects.filter(kind="new_complaint").count() == 2
    told = set(OutboxMessage.objects.values_list("complaint", flat=True))
    assert told == set(Complaint.objects.values_list("pk", flat=True))
    assert not Complaint.objects.filter(inbox_notice_pending=True).exists()


@pytest.mark.django_db
def test_the_task_and_the_periodic_run_together_write_one_notice(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(FORM_URL, form_data())

    assert announce_pending() == 1
    for callback in callbacks:
        callback()  # the task arrives late and finds the notice written
    call_command("run_periodic")

    assert OutboxMessage.objects.filter(kind="new_complaint").count() == 1


@pytest.mark.django_db
def test_the_periodic_catch_up_warns_about_each_notice_the_worker_did_not_write(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    from intake import jobs

    client.post(FORM_URL, form_data())  # in a test the task after commit never runs

    with caplog.at_level(logging.WARNING, logger="intake.jobs"):
        assert jobs.announce_pending() == 1
        assert jobs.announce_pending() == 0
    assert [r.getMessage() for r in caplog.records] == ["Wrote 1 quality-inbox notice(s) the worker had not written"]


@pytest.mark.django_db
def test_under_a_restriction_of_processing_the_notice_waits_until_it_is_lifted(
    client: Client, quality_manager: User
) -> None:
    client.post(FORM_URL, form_data())
    complaint = Complaint.objects.get()
    restriction = restrict_processing(complaint=complaint, by=quality_manager, reason="Betwist juistheid")

    assert announce_pending() == 0
    assert not OutboxMessage.objects.exists()

    lift_restriction(restriction=restriction, by=quality_manager)
    assert announce_pending() == 1
    assert OutboxMessage.objects.get().complaint == complaint


@pytest.mark.django_db(transaction=True)
def test_when_the_complaint_is_rolled_back_no_notice_exists_and_no_mail_leaves(
    smtp_sink: SmtpSink, make_complaint: ComplaintFactory
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        make_complaint()
        raise RuntimeError("the surrounding change fails")

    assert not Complaint.objects.exists()
    assert announce_pending() == 0
    assert not OutboxMessage.objects.exists()
    with pytest.raises(AssertionError):
        smtp_sink.wait_for(1, timeout=0.5)


@pytest.mark.django_db(transaction=True)
def test_the_notice_reaches_the_quality_inbox_with_a_back_office_link_and_no_personal_data(
    client: Client, smtp_sink: SmtpSink
) -> None:
    client.post(
        FORM_URL,
        form_data(name="Fatima El Amrani", phone="020 1234567", description="Drie keer doorverbonden."),
    )

    [mail] = smtp_sink.wait_for(1)
    complaint = Complaint.objects.get()
    message = OutboxMessage.objects.get()
    assert mail.envelope_to == ("kwaliteit@supportoplus.nl",)
    assert mail["Subject"] == message.subject
    assert complaint.reference in mail["Subject"]
    assert mail["Message-ID"] == message.message_id
    assert mail["Auto-Submitted"] == "auto-generated"
    body = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert f"Er is een nieuwe klacht binnengekomen: {complaint.reference}." in body
    assert "Kanaal: webformulier" in body and "Ontvangstbevestiging uiterlijk" in body
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    for personal in ("Fatima", "El Amrani", "020 1234567", "Drie keer doorverbonden", "jan@example.nl"):
        assert personal not in body and personal not in html
    assert f"http://127.0.0.1:8000/backoffice/klachten/{complaint.reference}/" in body
    assert f'href="http://127.0.0.1:8000/backoffice/klachten/{complaint.reference}/"' in html
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_with_smtp_down_the_complaint_is_saved_and_the_mail_goes_out_once_when_it_is_back(
    client: Client, smtp_sink: SmtpSink
) -> None:
    smtp_sink.stop()

    response = client.post(FORM_URL, form_data(), follow=True)

    # The complainant notices nothing.
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert reference_on(response.content) == complaint.reference
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > timezone.now()

    smtp_sink.start()
    # Not due yet: the backoff is respected.
    call_command("run_periodic")
    with pytest.raises(AssertionError):
        smtp_sink.wait_for(1, timeout=0.3)

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        call_command("run_periodic")
        call_command("run_periodic")

    [mail] = smtp_sink.wait_for(1)
    assert complaint.reference in mail["Subject"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    with pytest.raises(AssertionError):
        smtp_sink.wait_for(2, timeout=0.5)
