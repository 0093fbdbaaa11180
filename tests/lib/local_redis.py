"""The local Redis for tests that need a real one: a database number of the test's own."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError


def local_redis_url(db: int) -> str:
    """REDIS_URL's server (127.0.0.1:6379 without it) with database `db`. Skips the test when
    no Redis answers and REDIS_URL is unset; fails it when REDIS_URL is set (as in CI)."""
    configured = os.environ.get("REDIS_URL")
    parts = urlsplit(configured or "redis://127.0.0.1:6379/0")
    url = urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))
    try:
        Redis.from_url(url).ping()
    except RedisConnectionError:
        if configured:
            raise
        pytest.skip("no Redis at 127.0.0.1:6379 and REDIS_URL is not set")
    return url
