"""What the health endpoint reports: each check says ok or failing, never why (the reason
goes to the log), so the answer leaks no versions, host names or error texts."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import MessageStatus, OutboxMessage

logger = logging.getLogger("security.health")

AGE_BUCKETS = (
    (timedelta(minutes=5), "under_5_minutes"),
    (timedelta(hours=1), "under_1_hour"),
    (timedelta(days=1), "under_1_day"),
)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row: tuple[object, ...] | None = cursor.fetchone()
            return row == (1,)
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


def queue_ok() -> bool:
    """The task queue the outbox delivers through can be reached."""
    try:
        if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
            DBTaskResult.objects.exists()
        return True
    except Exception:
        logger.exception("Health check: task queue unreachable")
        return False


def age_bucket(age: timedelta) -> str:
    for limit, label in AGE_BUCKETS:
        if age < limit:
            return label
    return "over_1_day"


def outbox_backlog() -> dict[str, object] | None:
    try:
        backlog = OutboxMessage.objects.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING]).aggregate(
            count=Count("pk"),
            oldest=Min("created_at"),
        )
    except Exception:
        logger.exception("Health check: outbox unreadable")
        return None
    oldest = backlog["oldest"]
    return {
        "pending": backlog["count"],
        "oldest_pending": age_bucket(timezone.now() - oldest) if oldest else None,
    }


def report() -> tuple[bool, dict[str, object]]:
    database = database_ok()
    queue = queue_ok() if database or not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db.") else False
    outbox = outbox_backlog() if database else None
    healthy = database and queue and outbox is not None
    body: dict[str, object] = {
        "status": "ok" if healthy else "failing",
        "database": "ok" if database else "failing",
        "queue": "ok" if queue else "failing",
        "outbox": outbox if outbox is not None else "failing",
    }
    return healthy, body
