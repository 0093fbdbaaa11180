"""Faults against real servers: SMTP down, slow to accept or refusing; two workers racing for the
same outbox rows; the database connection killed in the middle of a submission."""

import io
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection, connections
from django.db.models.signals import post_save
from django.test import Client
from django.utils import timezone
from PIL import Image

from complaints.models import Complaint
from outbox.models import MessageStatus, OutboxMessage
from outbox.services import STALE_CLAIM, claim, deliver, deliver_due, queue_mail
from tests.security.helpers import form_data

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: separate connections with row locks"
)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()}


def test_a_complaint_filed_while_smtp_is_down_is_kept_and_its_mail_goes_out_once_when_smtp_is_back(
    client: Client, smtp_sink: object, django_capture_on_commit_callbacks: object, db: None
) -> None:
    smtp_sink.stop()  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/klacht/", form_data(), follow=True)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.reference in response.content.decode()
    messages = list(OutboxMessage.objects.filter(complaint=complaint))
    assert messages and all(m.status == MessageStatus.PENDING and m.attempts == 1 for m in messages)
    assert all(m.last_error for m in messages)

    smtp_sink.start()  # type: ignore[attr-defined]
    assert deliver_due() == 0  # not due yet: backoff
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert deliver_due() == len(messages)
        assert deliver_due() == 0
    received = smtp_sink.wait_for(len(messages))  # type: ignore[attr-defined]
    assert sorted(str(m["Message-ID"]) for m in received) == sorted(m.message_id for m in messages)
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == len(messages)


def test_a_temporary_smtp_refusal_is_retried_with_growing_backoff(smtp_sink: object, db: None) -> None:
    smtp_sink.reply_with("451 4.3.0 Try again later")  # type: ignore[attr-defined]
    message = queue_mail(kind="test", to=["a@example.nl"], subject="Test", text="x")
    start = timezone.now()
    delays = []
    for attempt in range(1, 4):
        with time_machine.travel(start + timedelta(hours=attempt), tick=False):
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
            assert deliver(message_pk=message.pk) == MessageStatus.PENDING
            message.refresh_from_db()
            assert message.attempts == attempt
            assert "451" in message.last_error
            delays.append(message.next_attempt_at - timezone.now())
    assert delays[0] < delays[1] < delays[2]
    smtp_sink.reply_with(None)  # type: ignore[attr-defined]
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        assert deliver_due() == 1
    assert len(smtp_sink.wait_for(1)) == 1  # type: ignore[attr-defined]


def test_a_permanent_smtp_refusal_marks_the_message_failed_and_it_is_not_retried(smtp_sink: object, db: None) -> None:
    smtp_sink.reply_with("550 5.1.1 No such user")  # type: ignore[attr-defined]
    message = queue_mail(kind="test", to=["nobody@example.nl"], subject="Test", text="x")
    assert deliver(message_pk=message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "550" in message.last_error
    smtp_sink.reply_with(None)  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert deliver_due() == 0
    assert smtp_sink.messages == []  # type: ignore[attr-defined]


def test_a_message_claimed_by_a_worker_that_died_is_sent_once_after_the_claim_goes_stale(
    smtp_sink: object, db: None
) -> None:
    message = queue_mail(kind="test", to=["a@example.nl"], subject="Test", text="x")
    assert claim(message.pk)  # the worker took it, then was killed before sending
    assert deliver_due() == 0  # a live claim is left alone
    with time_machine.travel(timezone.now() + STALE_CLAIM + timedelta(minutes=1)):
        assert deliver_due() == 1
        assert deliver_due() == 0
    assert len(smtp_sink.wait_for(1)) == 1  # type: ignore[attr-defined]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_outbox_rows_send_each_message_exactly_once(
    smtp_sink: object, settings: object
) -> None:
    # Nothing is sent on commit here: only the racing workers deliver.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # type: ignore[attr-defined]
    count = 30
    expected = {
        queue_mail(kind="test", to=[f"k{n}@example.nl"], subject=f"Bericht {n}", text="x").message_id
        for n in range(count)
    }
    barrier = threading.Barrier(3)
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            sent.append(deliver_due())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(sent) == count
    received = smtp_sink.wait_for(count, timeout=20)  # type: ignore[attr-defined]
    assert len(received) == count
    ids = [str(m["Message-ID"]) for m in received]
    assert len(set(ids)) == count and set(ids) == expected
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == count


def terminate_this_connection() -> None:
    """Kill the web request's database session from outside, as a failover or a restart would."""
    import psycopg

    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_mid_submission_leaves_nothing_half_saved_and_a_retry_succeeds() -> None:
    killed: list[int] = []

    def kill_once(sender: object, instance: Complaint, created: bool, **kwargs: object) -> None:
        if created and not killed:
            killed.append(instance.pk)
            terminate_this_connection()

    files_before = stored_files()
    photo = io.BytesIO(png())
    photo.name = "foto.png"
    data = {**form_data(), "attachments": [photo]}
    client = Client(raise_request_exception=False)
    post_save.connect(kill_once, sender=Complaint)
    try:
        response = client.post("/klacht/", data)
    finally:
        post_save.disconnect(kill_once, sender=Complaint)
    assert killed, "the connection was not killed during the submission"
    # A lost database is an outage, not a bug: 503, and come back shortly.
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Er is niets half opgeslagen" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    # Nothing half saved: no complaint, no outbox message, no stored file.
    assert Complaint.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert stored_files() == files_before

    # The complainant sends the same form again: it goes through, once.
    photo.seek(0)
    response = client.post("/klacht/", data, follow=True)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.reference in response.content.decode()
    assert complaint.attachments.count() == 1


class StallingSmtpServer:
    """Accepts connections and never answers, like a mail server that hangs mid-conversation."""

    def __init__(self) -> None:
        import socket

        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.held: list[object] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection_, _ = self.socket.accept()
            except OSError:
                return
            self.held.append(connection_)

    def close(self) -> None:
        self.socket.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_sending_loses_nothing_and_the_message_goes_out_once(
    smtp_sink: object, settings: object
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # type: ignore[attr-defined]
    message = queue_mail(kind="test", to=["a@example.nl"], subject="Bericht", text="x")
    stall = StallingSmtpServer()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "klachtenregeling.settings.local",
        "DATABASE_URL": "postgres://{}{}@{}:{}/{}".format(
            database["USER"],
            f":{database['PASSWORD']}" if database.get("PASSWORD") else "",
            database["HOST"] or "127.0.0.1",
            database["PORT"] or 5432,
            database["NAME"],
        ),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(stall.port),
        "EMAIL_TIMEOUT": "60",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "import django; django.setup(); from outbox.services import deliver_due; deliver_due()"],
        cwd=settings.BASE_DIR,  # type: ignore[attr-defined]
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while not stall.held and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stall.held, "the worker never reached the mail server"
        message.refresh_from_db()
        assert message.status == MessageStatus.SENDING
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        stall.close()

    assert deliver_due() == 0  # a fresh claim is not taken away from a worker that may still be busy
    with time_machine.travel(timezone.now() + STALE_CLAIM + timedelta(minutes=1)):
        assert deliver_due() == 1
        assert deliver_due() == 0
    assert len(smtp_sink.wait_for(1)) == 1  # type: ignore[attr-defined]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
