"""A cache of whole anonymous pages, never stale after a change to the data.

Most visitors read without logging in, and every public page is the same for all of them.
This middleware keeps those pages in the shared cache (Redis), keyed by a *generation*
number that every committed write to the database bumps:

- Writes are seen where they happen, in the database layer: an execute wrapper installed on
  every connection notices ``INSERT``/``UPDATE``/``DELETE``/``TRUNCATE`` statements (ORM,
  ``QuerySet.update()``, raw SQL alike) and, once the transaction commits, increments the
  generation. A page cached under an older generation is never served again; it expires.
- The generation is read when a request starts: a page rendered from data that changed
  while it was being rendered is stored under the old generation, so it is never served.
- Only what is identical for every anonymous visitor is stored: GET requests without a
  session or messages cookie, answered 200 without ``Set-Cookie`` (a page with a CSRF
  token sets one), without ``Cache-Control: private/no-store``, and not streamed.
- Time still moves pages (a call closes at 18:00): entries live ``PAGE_CACHE_TIMEOUT``
  seconds (60 by default), so a clock-driven change shows within that delay.
- If the cache is down the page is rendered as usual; a generation bump that failed is
  retried by the process at its next request. Tables whose writes never change a page
  (sessions, the task outbox) are ignored.

Switch it off with ``PAGE_CACHE_ENABLED = False`` (the test settings do, except in the
tests of this module, because test transactions never commit).
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
#: Request headers that change what a view renders for the same URL (htmx fragments).
VARY_HEADERS = (
    "HTTP_HOST",
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_HX_TRIGGER_NAME",
    "HTTP_HX_BOOSTED",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
    "HTTP_X_FORWARDED_PROTO",
)
#: Writes to these tables never change what an anonymous page shows.
IGNORED_TABLES = frozenset({"django_session", "core_outboxtask"})
MAX_BODY_BYTES = 512 * 1024

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?',
    re.IGNORECASE,
)
#: A bump that could not reach the cache: retried at the next request of this process.
_pending_bump = False


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", True))


def written_table(sql: str) -> str | None:
    """The table a write statement changes, or None for a read (or an ignored table)."""
    match = _WRITE.match(sql)
    if not match:
        return None
    table = match.group(1).lower()
    return None if table in IGNORED_TABLES else table


def bump_generation() -> None:
    """A committed write: every cached page is now out of date."""
    global _pending_bump
    try:
        if not cache.add(GENERATION_KEY, 1, timeout=None):
            cache.incr(GENERATION_KEY)
        _pending_bump = False
    except Exception as exc:  # the cache is down: pages are rendered without it meanwhile
        _pending_bump = True
        logger.warning("pagecache: generation not bumped (%s)", exc)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if enabled() and isinstance(sql, str) and written_table(sql):
        connection = context["connection"]
        already = any(func is bump_generation for _, func, _ in connection.run_on_commit)
        if not already:
            # Outside an atomic block the statement has committed: this runs at once.
            connection.on_commit(bump_generation)
    return result


def _install(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch writes on every database connection, present and future."""
    connection_created.connect(_install, dispatch_uid="pagecache-watch-writes")
    for alias in connections:
        connection = connections[alias]
        if connection.connection is not None:
            _install(None, connection)


def _cache_key(request, generation) -> str:
    varying = "\n".join(request.META.get(name, "") for name in VARY_HEADERS)
    digest = hashlib.sha256(f"{request.get_full_path()}\n{varying}".encode()).hexdigest()
    return f"pagecache:{generation}:{digest}"


def _is_anonymous_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
    )


def _is_shareable(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
        and len(response.content) <= MAX_BODY_BYTES
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs from the cache; see the module's docstring for the rules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        if _pending_bump:
            bump_generation()
        if not _is_anonymous_request(request):
            return self.get_response(request)
        try:
            generation = cache.get(GENERATION_KEY, 0)
            key = _cache_key(request, generation)
            cached = cache.get(key)
        except Exception as exc:
            logger.warning("pagecache: cache unavailable (%s)", exc)
            return self.get_response(request)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _is_shareable(response):
            try:
                cache.set(key, response, getattr(settings, "PAGE_CACHE_TIMEOUT", 60))
            except Exception as exc:
                logger.warning("pagecache: page not stored (%s)", exc)
            response["X-Page-Cache"] = "miss"
        return response
