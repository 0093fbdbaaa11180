"""The counts of the "my work" queues, kept in the shared cache until a complaint changes.

Counting the queues means visiting every open complaint (tens of thousands in an
organisation with years of open cases): tens of milliseconds per page view, for figures that
change only when a complaint does. So the counts, and which complaints head each queue, are
stored per user and day together with a version token, and every change to a complaint (each
writes a timeline event, see `services.record_event`) replaces the token. What is shown is
therefore never older than the last change, and at most `TIMEOUT` old if a change somehow
passes by the timeline. The rows of the complaints themselves are always read afresh."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "complaints:queues-version"
TIMEOUT = 60


def counts_for(*, user_pk: int, today: date, limit: date, count: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What `count` returns for this user and day (the counts, and which complaints head each
    queue), from the cache while no complaint has changed since it was stored."""
    key = f"complaints:queue-counts:{user_pk}:{today.isoformat()}:{limit.isoformat()}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    counts = count()
    cache.set(key, (version, counts), timeout=TIMEOUT)
    return counts


def complaints_changed() -> None:
    """Now, so the changing process sees its own change; and after the commit, so that counts
    read by anyone while the change was not yet visible are thrown away."""

    def bump() -> None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)
