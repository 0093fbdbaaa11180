"""The RQ backend for Django's tasks, against the local Redis (a database of its own,
emptied around every test) and run by a real RQ worker in burst mode."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.tasks import task, task_backends
from django.tasks.base import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.test import override_settings
from django.utils import timezone
from redis import Redis
from rq import Queue, SimpleWorker
from rq.registry import ScheduledJobRegistry

from outbox.models import MessageStatus, OutboxMessage
from outbox.services import queue_mail

from .local_redis import local_redis_url

# A database number nothing else uses, so flushing it touches no one's data.
TEST_REDIS_DB = 15


@task
def add(a: int, b: int) -> dict[str, int]:
    return {"sum": a + b}


@task
def explode(reason: str) -> None:
    raise ValueError(reason)


def redis_url() -> str:
    return local_redis_url(TEST_REDIS_DB)


@pytest.fixture
def redis() -> Iterator[Redis]:
    url = redis_url()
    connection = Redis.from_url(url)
    connection.flushdb()
    settings = {
        "RQ_QUEUES": {"default": {"URL": url}},
        "TASKS": {"default": {"BACKEND": "lib.tasks_rq.RQBackend", "QUEUES": ["default"]}},
    }
    with override_settings(**settings):
        yield connection
    connection.flushdb()
    connection.close()


def run_worker(connection: Redis) -> None:
    SimpleWorker([Queue("default", connection=connection)], connection=connection).work(burst=True)


def test_it_puts_the_outbox_delivery_on_redis_and_a_worker_delivers_it(
    db: None, redis: Redis, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_mail(kind="test", to=["jan@example.nl"], subject="Ontvangen", text="Uw klacht is ontvangen.")

    queue = Queue("default", connection=redis)
    assert queue.count == 1
    job = queue.jobs[0]
    assert job.func_name == "lib.tasks_rq.run_task"
    assert job.args[0] == "outbox.tasks.deliver_message"
    assert task_backends["default"].get_result(job.id).status == TaskResultStatus.READY
    assert mail.outbox == []

    run_worker(redis)

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["jan@example.nl"]]
    result = task_backends["default"].get_result(job.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.args == [message.pk]
    assert result.task.module_path == "outbox.tasks.deliver_message"
    assert len(result.worker_ids) == 1
    assert result.started_at is not None and result.finished_at is not None
    assert result.finished_at >= result.started_at
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


def test_it_returns_what_the_task_returned(redis: Redis) -> None:
    enqueued = add.enqueue(2, 3)
    assert enqueued.status == TaskResultStatus.READY
    assert enqueued.enqueued_at is not None and enqueued.enqueued_at.tzinfo is not None

    run_worker(redis)

    result = add.get_result(enqueued.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sum": 5}
    enqueued.refresh()
    assert enqueued.return_value == {"sum": 5}


def test_it_reports_a_failing_task_as_failed_with_its_exception(redis: Redis) -> None:
    enqueued = explode.enqueue("kapot")

    run_worker(redis)

    result = explode.get_result(enqueued.id)
    assert result.status == TaskResultStatus.FAILED
    assert [e.exception_class for e in result.errors] == [ValueError]
    assert "kapot" in result.errors[0].traceback
    with pytest.raises(ValueError, match="failed"):
        result.return_value  # noqa: B018


def test_it_keeps_a_deferred_task_until_its_time(redis: Redis) -> None:
    later = timezone.now() + timedelta(hours=1)
    enqueued = add.using(run_after=later).enqueue(1, 1)

    run_worker(redis)

    queue = Queue("default", connection=redis)
    assert queue.count == 0
    assert enqueued.id in ScheduledJobRegistry(queue=queue).get_job_ids()
    assert add.get_result(enqueued.id).status == TaskResultStatus.READY


def test_a_task_with_a_higher_priority_goes_to_the_front_of_its_queue(redis: Redis) -> None:
    first = add.enqueue(1, 1)
    urgent = add.using(priority=10).enqueue(2, 2)

    assert Queue("default", connection=redis).job_ids == [urgent.id, first.id]


def test_it_says_when_a_result_does_not_exist(redis: Redis) -> None:
    with pytest.raises(TaskResultDoesNotExist):
        add.get_result("no-such-job")


def test_its_check_names_a_queue_without_redis_configuration_and_the_missing_worker_app(redis: Redis) -> None:
    with override_settings(TASKS={"default": {"BACKEND": "lib.tasks_rq.RQBackend", "QUEUES": ["default", "letters"]}}):
        messages = {m.id: m.msg for m in task_backends["default"].check()}
    # The test settings do not install django_rq; production does when it selects RQ.
    assert set(messages) == {"lib.E001", "lib.E002"}
    assert "'letters'" in messages["lib.E002"]


def test_it_keeps_one_redis_connection_for_its_enqueues_and_follows_a_new_configuration(redis: Redis) -> None:
    backend = task_backends["default"]
    before = {c["id"] for c in redis.client_list()}
    for n in range(5):
        add.enqueue(n, n)
    opened = {c["id"] for c in redis.client_list()} - before
    # One connection for five enqueues, not one per enqueue.
    assert len(opened) == 1
    assert backend.queue("default") is backend.queue("default")  # type: ignore[attr-defined]

    other = redis_url().rsplit("/", 1)[0] + f"/{TEST_REDIS_DB - 1}"
    with override_settings(RQ_QUEUES={"default": {"URL": other}}):
        add.enqueue(9, 9)
        assert Queue("default", connection=Redis.from_url(other)).count == 1
        Redis.from_url(other).flushdb()
    assert Queue("default", connection=redis).count == 5
