"""A version of the organisation's settings and closure days, shared by all processes.

Every request needs both (the deadlines on every page, the public form), but they change a
few times a year. Each process keeps its own copy and compares one token in the shared cache
to know whether it is still current; a change anywhere replaces the token."""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "organisation:version"


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Evicted or never set: a new token makes every process read afresh once.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return version


def bump_version() -> None:
    """Called on every change. Now, so this process sees its own change at once; and after the
    commit, so no process keeps a copy it read while the change was not yet visible to it."""

    def bump() -> None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)
