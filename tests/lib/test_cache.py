"""Django's Redis cache backend as the throttles use it, against the local Redis."""

from collections.abc import Iterator

import pytest
from django.core.cache.backends.redis import RedisCache

from .local_redis import local_redis_url

TEST_REDIS_DB = 14


@pytest.fixture
def cache() -> Iterator[RedisCache]:
    url = local_redis_url(TEST_REDIS_DB)
    backend = RedisCache(url, {"KEY_PREFIX": "test-cache"})
    backend.clear()
    yield backend
    backend.clear()


def test_it_stores_reads_counts_and_deletes(cache: RedisCache) -> None:
    assert cache.get("missing") is None
    cache.set("greeting", {"text": "Goedemorgen"}, timeout=60)
    assert cache.get("greeting") == {"text": "Goedemorgen"}
    assert cache.add("counter", 1, timeout=60) is True
    assert cache.add("counter", 5, timeout=60) is False
    assert cache.incr("counter") == 2
    cache.set_many({"a": 1, "b": 2}, timeout=60)
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    cache.delete("greeting")
    assert cache.get("greeting") is None


def test_the_throttle_on_redis_refuses_the_attempt_past_the_limit(cache: RedisCache, settings: object) -> None:
    from django.core.cache import caches

    from security import throttle

    settings.CACHES = {  # type: ignore[attr-defined]
        **settings.CACHES,  # type: ignore[attr-defined]
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": local_redis_url(TEST_REDIS_DB),
        },
    }
    settings.THROTTLE_CACHE = "throttle"  # type: ignore[attr-defined]
    assert isinstance(caches["throttle"], RedisCache)
    limit = throttle.Limit(limit=3, window=60)

    verdicts = [throttle.hit("test", "192.0.2.1", limit).allowed for _ in range(4)]

    assert verdicts == [True, True, True, False]
    assert throttle.check("test", "192.0.2.1", limit).allowed is False
    assert throttle.check("test", "192.0.2.2", limit).allowed is True
    throttle.reset("test", "192.0.2.1", limit)
    assert throttle.hit("test", "192.0.2.1", limit).allowed is True
    caches["throttle"].clear()
