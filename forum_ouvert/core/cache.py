"""A Redis cache that degrades instead of failing when Redis is away.

Nothing the cache holds is the only copy of anything (sessions and data live in
PostgreSQL): while Redis restarts, reads miss, writes are dropped and pages are rendered
from the database. Rate limits fail open for those seconds (logged), which is the lesser
evil compared with refusing every visitor.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
#: Log the outage once per this many seconds, not once per cache call.
_LOG_EVERY = 10
_last_logged = 0.0


def _unavailable(operation: str, exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged > _LOG_EVERY:
        _last_logged = now
        logger.warning("cache: Redis indisponible (%s) : %s", operation, exc)


class FailSoftRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as exc:
            _unavailable("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as exc:
            _unavailable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as exc:
            _unavailable("has_key", exc)
            return False

    def add(self, key, value, timeout=None, version=None, **kwargs):
        try:
            return super().add(key, value, timeout, version, **kwargs)
        except UNAVAILABLE as exc:
            _unavailable("add", exc)
            return False

    def set(self, key, value, timeout=None, version=None, **kwargs):
        try:
            return super().set(key, value, timeout, version, **kwargs)
        except UNAVAILABLE as exc:
            _unavailable("set", exc)
            return None

    def set_many(self, data, timeout=None, version=None, **kwargs):
        try:
            return super().set_many(data, timeout, version, **kwargs)
        except UNAVAILABLE as exc:
            _unavailable("set_many", exc)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as exc:
            _unavailable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as exc:
            _unavailable("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNAVAILABLE as exc:
            _unavailable("delete_many", exc)
            return None

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as exc:
            _unavailable("clear", exc)
            return False

    def incr(self, key, delta=1, version=None):
        """A counter that cannot be reached is a missing key (``ValueError``), as for a key
        that expired: callers already handle that case."""
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            _unavailable("incr", exc)
            raise ValueError(f"Key {key!r} not reachable") from exc
