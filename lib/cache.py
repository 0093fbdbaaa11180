"""Cached values that a change makes stale."""

from collections.abc import Callable

from django.db import transaction


def now_and_after_commit(invalidate: Callable[[], object]) -> None:
    """Throw away a cached value on a change: now, so the changing process sees its own change
    at once; and after the commit, so that no process keeps a value it read while the change
    was not yet visible to it."""
    invalidate()
    transaction.on_commit(invalidate)
