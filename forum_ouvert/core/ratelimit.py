"""Per-person rate limits kept in the cache (Redis in production and tests).

A fixed window per person and scope: the counter ``rl:<scope>:<ident>:<window>`` lives for
one period. ``hit`` counts one act and says whether it is still within the limit. The whole
mechanism can be switched off with ``RATE_LIMITS_ENABLED = False`` (hostile-input tests
that submit hundreds of items in a row).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


class RateLimitExceeded(Exception):
    """Too many acts of one kind by one person in the period."""

    def __init__(self, scope: str, limit: int, period: int):
        super().__init__(f"{scope}: plus de {limit} en {period} s")
        self.scope = scope
        self.limit = limit
        self.period = period


def enabled() -> bool:
    return bool(getattr(settings, "RATE_LIMITS_ENABLED", True))


def _key(scope: str, ident, period: int) -> str:
    return f"rl:{scope}:{ident}:{int(time.time() // period)}"


def hit(scope: str, ident, *, limit: int, period: int) -> None:
    """Count one act of ``scope`` by ``ident``; raise ``RateLimitExceeded`` past ``limit``.

    ``cache.add`` then ``cache.incr`` are atomic in Redis, so concurrent requests cannot
    both slip under the limit.
    """
    if not enabled():
        return
    key = _key(scope, ident, period)
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr: a new window starts
        cache.add(key, 1, timeout=period)
        count = 1
    if count > limit:
        raise RateLimitExceeded(scope, limit, period)


def remaining(scope: str, ident, *, limit: int, period: int) -> int:
    """How many acts ``ident`` may still perform in the current window."""
    if not enabled():
        return limit
    return max(0, limit - int(cache.get(_key(scope, ident, period), 0)))
