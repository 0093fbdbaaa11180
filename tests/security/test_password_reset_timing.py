"""The password reset is no timing oracle: a request for a staff address does exactly the same
work as one for an unknown address; the lookup happens later, in a task."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from outbox.models import OutboxMessage

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queries_for(client: Client, email: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    return [query["sql"] for query in captured.captured_queries]


def test_a_known_and_an_unknown_address_cost_the_same_queries(
    client: Client, quality_manager: User, settings: object
) -> None:
    settings.TASKS = DATABASE_TASKS  # type: ignore[attr-defined]
    known = queries_for(client, "karin@supportoplus.nl")
    unknown = queries_for(client, "nobody@supportoplus.nl")
    assert len(known) == len(unknown)
    assert not any("accounts_user" in sql for sql in known + unknown)
    # Nothing is looked up or written for the person during the request ...
    assert not OutboxMessage.objects.exists()
    assert DBTaskResult.objects.count() == 2

    # ... the worker does that, and writes the mail for the staff address only.
    for result in DBTaskResult.objects.order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    assert [message.to for message in OutboxMessage.objects.filter(kind="password_reset")] == [
        ["karin@supportoplus.nl"]
    ]
