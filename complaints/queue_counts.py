"""What "my work" shows, kept in the shared cache until something on it changes.

Counting the queues means visiting every open complaint (tens of thousands in an
organisation with years of open cases): tens of milliseconds per page view, for figures that
change only when a complaint does. So the counts, which complaints head each queue, and the
quality loop's part of the page are stored per user and day together with a version token,
and every change to a complaint (each writes a timeline event, see `timeline.record_event`)
or to a corrective action replaces the token. What is shown is therefore never older than
the last change, and at most `TIMEOUT` old if a change somehow passes by those. The rows of
the complaints themselves are always read afresh."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.cache import cache

from lib.cache import now_and_after_commit

VERSION_KEY = "complaints:queues-version"
TIMEOUT = 60


def kept_until_work_changes[T](key: str, compute: Callable[[], T]) -> T:
    """What `compute` returns, from the cache while nothing on "my work" has changed since it
    was stored. The key names the user and the day; the value must be plain data."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        cached: T = stored[1]
        return cached
    value = compute()
    cache.set(key, (version, value), timeout=TIMEOUT)
    return value


def counts_for(*, user_pk: int, today: date, limit: date, count: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What `count` returns for this user and day (the counts, and which complaints head each
    queue), from the cache while no complaint has changed since it was stored."""
    return kept_until_work_changes(f"complaints:queue-counts:{user_pk}:{today.isoformat()}:{limit.isoformat()}", count)


def work_changed() -> None:
    """A new token, so every stored "my work" is read afresh (now and after commit)."""
    now_and_after_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))
