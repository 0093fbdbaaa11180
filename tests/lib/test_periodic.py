"""`manage.py run_periodic`: every job in settings.PERIODIC_JOBS, in order; one failing job
does not stop the others."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from outbox.models import MessageStatus, OutboxMessage
from outbox.services import new_message_id
from tests.support.smtp import SmtpSink

CALLS: list[str] = []


def first_job() -> int:
    CALLS.append("first")
    return 1


def failing_job() -> int:
    CALLS.append("failing")
    raise RuntimeError("broken job")


def last_job() -> str:
    CALLS.append("last")
    return "done"


@pytest.fixture(autouse=True)
def _no_calls() -> None:
    CALLS.clear()


def test_it_runs_every_job_in_order_and_survives_a_failing_one(settings: object) -> None:
    settings.PERIODIC_JOBS = [  # type: ignore[attr-defined]
        "tests.lib.test_periodic.first_job",
        "tests.lib.test_periodic.failing_job",
        "tests.lib.test_periodic.last_job",
    ]
    out = StringIO()

    call_command("run_periodic", stdout=out)

    assert CALLS == ["first", "failing", "last"]
    assert out.getvalue().strip() == "first_job=1, failing_job=failed, last_job=done"


@pytest.mark.django_db(transaction=True)
def test_the_configured_jobs_deliver_due_mail(smtp_sink: SmtpSink) -> None:
    # Written outside a request, e.g. by a worker that died before sending it.
    message = OutboxMessage.objects.create(
        kind="test",
        to=["kwaliteit@supportoplus.nl"],
        subject="Wachtende e-mail",
        body_text="Tekst",
        message_id=new_message_id(),
        next_attempt_at=timezone.now(),
    )

    call_command("run_periodic", stdout=StringIO())

    [mail] = smtp_sink.wait_for(1)
    assert mail["Subject"] == "Wachtende e-mail"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
