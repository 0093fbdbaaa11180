"""A version of the organisation's settings and closure days, shared by all processes.

Every request needs both (the deadlines on every page, the public form), but they change a
few times a year. Each process keeps its own copy and compares one token in the shared cache
to know whether it is still current; a change anywhere replaces the token.

Within one web request the token is read once: a page asks for the settings and the closure
days several times, and one consistent answer per request is what it should get anyway.
Outside requests (workers, commands) every call reads the token."""

import threading
import uuid
from typing import Any

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.dispatch import receiver

from lib.cache import now_and_after_commit

VERSION_KEY = "organisation:version"

_request = threading.local()


@receiver(request_started)
def _begin_request(**kwargs: Any) -> None:
    _request.active = True
    _request.version = None


@receiver(request_finished)
def _end_request(**kwargs: Any) -> None:
    _request.active = False
    _request.version = None


def current_version() -> str:
    active = getattr(_request, "active", False)
    if active and _request.version is not None:
        kept: str = _request.version
        return kept
    version: str | None = cache.get(VERSION_KEY)
    if version is None:
        # Evicted or never set: a new token makes every process read afresh once.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    if active:
        _request.version = version
    return version


def bump_version() -> None:
    """Called on every change: a new token, now and after commit."""

    def bump() -> None:
        token = uuid.uuid4().hex
        cache.set(VERSION_KEY, token, timeout=None)
        if getattr(_request, "active", False):
            _request.version = token

    now_and_after_commit(bump)
