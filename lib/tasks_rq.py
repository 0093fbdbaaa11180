"""A backend for Django's tasks framework that puts tasks on RQ queues in Redis.

RQ does the queueing, scheduling and running; this module only translates between a
Django `Task` and an RQ job. The workers are django-rq's:

    python manage.py rqworker default --with-scheduler

Each Django queue name is an RQ queue of the same name, configured in `RQ_QUEUES`. The
job id is the task result id, so `Task.get_result(id)` reads the job back from Redis.

    TASKS = {"default": {"BACKEND": "lib.tasks_rq.RQBackend", "QUEUES": ["default"],
                         "OPTIONS": {"job_timeout": 600, "result_ttl": 86400}}}

RQ runs the jobs of a queue in order; a task with a priority above the default is put at
the front of its queue, which is as much priority as RQ offers.
"""

from datetime import UTC, datetime
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.tasks import task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import DEFAULT_TASK_PRIORITY, Task, TaskContext, TaskError, TaskResult, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json
from django.utils.module_loading import import_string
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.queue import Queue

STATUSES = {
    JobStatus.CREATED: TaskResultStatus.READY,
    JobStatus.QUEUED: TaskResultStatus.READY,
    JobStatus.DEFERRED: TaskResultStatus.READY,
    JobStatus.SCHEDULED: TaskResultStatus.READY,
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}


# One RQ queue object per queue name and process. django_rq builds a new Redis client, with a
# connection pool of its own, on every call; reusing one keeps a connection open instead of
# opening a new one for every task enqueued. redis-py's pool starts afresh after a fork.
_queues: dict[str, Queue] = {}


@receiver(setting_changed)
def _forget_queues(*, setting: str, **kwargs: Any) -> None:
    if setting in {"RQ_QUEUES", "TASKS"}:
        _queues.clear()


def _aware(moment: datetime | None) -> datetime | None:
    # RQ stores UTC without an offset.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class RQBackend(BaseTaskBackend):
    supports_defer = True
    supports_async_task = True
    supports_get_result = True
    supports_priority = True

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.job_timeout = int(self.options.get("job_timeout", 600))
        # How long Redis keeps the outcome of a job, for get_result().
        self.result_ttl = int(self.options.get("result_ttl", 24 * 3600))
        self.failure_ttl = int(self.options.get("failure_ttl", 7 * 24 * 3600))

    def queue(self, name: str) -> Queue:
        queue = _queues.get(name)
        if queue is None:
            import django_rq

            queue = _queues[name] = django_rq.get_queue(name)
        return queue

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        self.validate_task(task)
        queue = self.queue(task.queue_name)
        job = queue.create_job(
            "lib.tasks_rq.run_task",
            args=(task.module_path, normalize_json(args), normalize_json(kwargs)),
            job_id=get_random_string(32),
            description=task.module_path,
            timeout=self.job_timeout,
            result_ttl=self.result_ttl,
            failure_ttl=self.failure_ttl,
            meta={"backend": self.alias, "queue_name": task.queue_name, "priority": task.priority},
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
        )
        if task.run_after is not None:
            # Moved to its queue by the scheduler that `rqworker --with-scheduler` runs.
            job = queue.schedule_job(job, task.run_after)
        else:
            job = queue.enqueue_job(job, at_front=task.priority > DEFAULT_TASK_PRIORITY)
        result = self.result_from_job(job, task=task)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult[Any, Any]:
        for connection in {id(q.connection): q.connection for q in map(self.queue, self.queues)}.values():
            try:
                job = Job.fetch(result_id, connection=connection)
            except NoSuchJobError:
                continue
            if job.meta.get("backend") == self.alias:
                return self.result_from_job(job)
        raise TaskResultDoesNotExist(result_id)

    def result_from_job(self, job: Job, *, task: Task[Any, Any] | None = None) -> TaskResult[Any, Any]:
        args = job.args or ("", [], {})
        if task is None:
            task = import_string(args[0]).using(
                backend=self.alias, queue_name=job.meta.get("queue_name"), priority=job.meta.get("priority")
            )
        status = STATUSES.get(job.get_status(refresh=False), TaskResultStatus.READY)
        errors: list[TaskError] = []
        if status == TaskResultStatus.FAILED:
            latest = job.latest_result()
            errors.append(
                TaskError(
                    exception_class_path=job.meta.get("exception_class", "builtins.Exception"),
                    traceback=(latest.exc_string if latest else "") or "",
                )
            )
        result: TaskResult[Any, Any] = TaskResult(
            task=task,
            id=job.id,
            status=status,
            enqueued_at=_aware(job.enqueued_at or job.created_at),
            started_at=_aware(job.started_at),
            last_attempted_at=_aware(job.started_at),
            finished_at=_aware(job.ended_at),
            args=list(args[1]),
            kwargs=dict(args[2]),
            backend=self.alias,
            errors=errors,
            worker_ids=[job.worker_name] if job.worker_name else [],
        )
        if status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", job.return_value())
        return result

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        messages = list(super().check(**kwargs))
        if "django_rq" not in settings.INSTALLED_APPS:
            messages.append(checks.Error("RQBackend needs 'django_rq' in INSTALLED_APPS.", id="lib.E001"))
        missing = sorted(set(self.queues) - set(getattr(settings, "RQ_QUEUES", {})))
        if missing:
            messages.append(
                checks.Error(f"Task queues {missing} have no entry in RQ_QUEUES.", id="lib.E002", obj=self.alias)
            )
        return messages


def run_task(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """What an RQ worker runs for a Django task: the task itself, between the signals
    the tasks framework sends. An exception fails the RQ job, which records it."""
    from rq import get_current_job

    job = get_current_job()
    assert job is not None, "run_task runs inside an RQ worker"
    backend: RQBackend = task_backends[job.meta["backend"]]  # type: ignore[assignment]
    result = backend.result_from_job(job)
    object.__setattr__(result, "status", TaskResultStatus.RUNNING)
    task_started.send(type(backend), task_result=result)
    task = result.task
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
        value = normalize_json(value)
    except BaseException as error:
        job.meta["exception_class"] = f"{type(error).__module__}.{type(error).__qualname__}"
        job.save_meta()
        object.__setattr__(result, "status", TaskResultStatus.FAILED)
        result.errors.append(
            TaskError(exception_class_path=job.meta["exception_class"], traceback="".join(format_exception(error)))
        )
        task_finished.send(type(backend), task_result=result)
        raise
    object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
    task_finished.send(type(backend), task_result=result)
    return value
