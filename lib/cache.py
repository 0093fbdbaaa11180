"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache
operation; building one copies a table of some 170 response callbacks, which costs more than
the round trip to Redis itself on a page that reads the cache a few times. A client is safe to
share (it takes a connection from its pool per command), and Django keeps one cache object
per thread anyway, so each thread reuses its own client. redis-py's pool notices a fork and
starts afresh in the child.

    CACHES = {"default": {"BACKEND": "lib.cache.RedisCache", "LOCATION": "redis://..."}}
"""

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import transaction


def now_and_after_commit(invalidate: Callable[[], object]) -> None:
    """Throw away a cached value on a change: now, so the changing process sees its own change
    at once; and after the commit, so that no process keeps a value it read while the change
    was not yet visible to it."""
    invalidate()
    transaction.on_commit(invalidate)


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes, which its type stubs leave out, as Django's get_client uses them.
        django: Any = self
        index = django._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in django._pools:
                django._pools[index] = django._pool_class.from_url(django._servers[index], **django._pool_options)
            client = self._clients[index] = django._client(connection_pool=django._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def count(self, key: str, timeout: int, version: int | None = None) -> int:
        """Add one to a counter, creating it when missing, and keep it `timeout` seconds from
        now: INCR and EXPIRE in one round trip. `get` reads the count back as an int."""
        key = self.make_and_validate_key(key, version=version)
        pipeline = self._cache.get_client(key, write=True).pipeline()
        pipeline.incr(key)
        pipeline.expire(key, timeout)
        count, _expiry_set = pipeline.execute()
        return int(count)
