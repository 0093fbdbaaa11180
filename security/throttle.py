"""A small fixed-window rate limiter on Django's cache, shared by login, password reset and the
public form. With several web processes the cache must be shared (Redis), see settings.THROTTLE_CACHE."""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    limit: int
    window: int  # seconds

    @classmethod
    def from_setting(cls, name: str) -> "Limit":
        value = settings.THROTTLES[name]
        return cls(limit=int(value["limit"]), window=int(value["window"]))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the current window ends


def _key(scope: str, identity: str, window_start: int) -> str:
    # Hashed: keys stay short and cache dumps do not list e-mail addresses or user names.
    digest = hashlib.sha256(f"{scope}\0{identity}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{window_start}"


def _window(limit: Limit) -> tuple[int, int]:
    now = int(time.time())
    start = now - now % limit.window
    return start, start + limit.window - now


def check(scope: str, identity: str, limit: Limit) -> Verdict:
    """Whether another attempt is allowed now, without counting one."""
    start, remaining = _window(limit)
    count = caches[settings.THROTTLE_CACHE].get(_key(scope, identity, start), 0)
    return Verdict(allowed=count < limit.limit, retry_after=remaining)


def hit(scope: str, identity: str, limit: Limit) -> Verdict:
    """Count an attempt; the verdict says whether it was still within the limit."""
    cache = caches[settings.THROTTLE_CACHE]
    start, remaining = _window(limit)
    key = _key(scope, identity, start)
    cache.add(key, 0, timeout=limit.window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window + 1)
        count = 1
    return Verdict(allowed=count <= limit.limit, retry_after=remaining)


def reset(scope: str, identity: str, limit: Limit) -> None:
    start, _ = _window(limit)
    caches[settings.THROTTLE_CACHE].delete(_key(scope, identity, start))


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind a reverse proxy, settings.CLIENT_IP_HEADER names the header the
    proxy sets (e.g. "HTTP_X_FORWARDED_FOR"); the last entry is the one our own proxy added, so a
    client cannot choose its address by sending the header itself."""
    header = settings.CLIENT_IP_HEADER
    if header:
        value: str = request.META.get(header, "")
        entries = [part.strip() for part in value.split(",") if part.strip()]
        if entries:
            return entries[-1]
    address: str = request.META.get("REMOTE_ADDR", "")
    return address or "unknown"
