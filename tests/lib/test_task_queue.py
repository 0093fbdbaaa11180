"""The task queue: django-tasks-db in the database, run by its own worker (`manage.py db_worker`)."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import task_backends
from django.tasks.base import TaskResultStatus
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from outbox.models import MessageStatus, OutboxMessage
from outbox.services import queue_mail
from security.health import queue_ok

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_TASKS)
def test_the_outbox_delivery_waits_in_the_database_until_a_worker_delivers_it() -> None:
    message = queue_mail(kind="test", to=["jan@example.nl"], subject="Ontvangen", text="Uw klacht is ontvangen.")

    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == "outbox.services.deliver_message"
    assert waiting.args_kwargs["args"] == [message.pk]
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["jan@example.nl"]]
    result = task_backends["default"].get_result(str(waiting.id))
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_the_health_check_reads_the_queue_table() -> None:
    assert queue_ok() is True
