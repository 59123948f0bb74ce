"""A cache of whole anonymous pages, never stale after a change to the data.

Most visitors read without logging in, and every public page is the same for all of them.
This middleware keeps those pages in the shared cache (Redis), each with the *tables it
read* and, for each table, the version token that table had when the page started to be
rendered. A page is served only while every one of those tokens is unchanged:

- Writes are seen where they happen, in the database layer: an execute wrapper installed on
  every connection notices ``INSERT``/``UPDATE``/``DELETE``/``TRUNCATE`` statements (ORM,
  ``QuerySet.update()``, raw SQL alike) and, once the transaction commits, gives each table
  it wrote a new, unique token. A statement whose effect cannot be told (DDL, ``COPY``, a
  write to a table that no model declares) renews the token every page depends on.
- Reads are recorded while a cacheable page renders: every model table named in a statement
  is a dependency. A new contribution therefore re-renders the pages that read
  contributions and leaves the others in the cache (one global generation used to throw
  every page away on every write, which under load meant rendering nearly every visit).
- The tokens are read before the page is rendered: a page drawn from data that changed
  while it was being rendered carries the old token, so it is never served.
- Values kept in the cache by a view (:func:`cached_value`) carry the tables they were
  computed from, and a page that uses one depends on those tables too.
- Only what is identical for every anonymous visitor is stored: GET requests without a
  session or messages cookie, answered 200 without ``Set-Cookie`` (a page with a CSRF
  token sets one), without ``Cache-Control: private/no-store``, and at most
  ``MAX_BODY_BYTES`` long. A streamed answer (an open-data export) is read while it is
  recorded: kept if it is that small (``engagements.csv``), otherwise sent on streaming
  from where the reading stopped and not kept (``journal.csv``). Files are not kept.
- Time still moves pages (a call closes at 18:00): entries live ``PAGE_CACHE_TIMEOUT``
  seconds (60 by default), so a clock-driven change shows within that delay.
- Tokens are unique and a missing token never matches a stored one, so an evicted or lost
  token (Redis restarted) costs a render, never a stale page. If the cache is down the page
  is rendered as usual; a token renewal that failed renews every token at the process's next
  request. Tables whose writes never change a page (sessions, the task outbox) are ignored.

- One render per page at a time (no stampede): when a page is missing or out of date, the
  request that takes the page's lock (``cache.add``, expiring after
  ``PAGE_CACHE_LOCK_TIMEOUT`` seconds, 10 by default, in case its process dies) renders it;
  concurrent requests for the same page wait for that render, polling the lock, and are
  served the page it stored. They are never served the out-of-date page meanwhile
  (stale-while-revalidate was rejected: it would break the promise above, a page shown
  after a write it does not reflect). The stored page is checked against the current
  tokens like any other, so a write committed during the render sends the waiters to
  render it again, one at a time. A waiter that has waited ``PAGE_CACHE_WAIT`` seconds
  (2 by default) renders the page itself: a slow or dead render holds no one for long.
  An answer that cannot be kept (the login form sets a CSRF cookie, a 404) marks its URL
  for ``PAGE_CACHE_TIMEOUT`` seconds: its visitors then render side by side, never
  queueing behind one another for a page that will not be stored.

Switch it off with ``PAGE_CACHE_ENABLED = False`` (the test settings do, except in the
tests of this module, because test transactions never commit).
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from itertools import chain

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import FileResponse, HttpResponse

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "pagecache:table:"  # noqa: S105 (a cache key, not a secret)
ENTRY_PREFIX = "pagecache:page:"
VALUE_PREFIX = "pagecache:value:"
LOCK_PREFIX = "pagecache:lock:"
#: Marks a URL whose last answer could not be kept: no single flight for it meanwhile.
UNSHARED_PREFIX = "pagecache:unshared:"
#: A pseudo-table every page depends on: renewed by writes whose tables cannot be told.
EVERYTHING = "*"
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

_VERB = re.compile(r"^[\s(]*(\w+)")
_TARGET = re.compile(
    r"^[\s(]*(?:INSERT\s+INTO|UPDATE(?:\s+ONLY)?|DELETE\s+FROM(?:\s+ONLY)?|MERGE\s+INTO)"
    r'\s+"?(\w+)"?',
    re.IGNORECASE,
)
_DATA_CHANGING_CTE = re.compile(
    r"\b(?:INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\"?\w+\"?\s+SET)\b", re.IGNORECASE
)
_WORD = re.compile(r"[a-z_][a-z0-9_]*")
#: Statements that change no row: reads, transaction control, session settings, locks.
_NO_DATA_CHANGE = frozenset(
    {
        "select", "values", "table", "show", "explain", "savepoint", "release", "rollback",
        "set", "reset", "begin", "commit", "start", "end", "declare", "fetch", "move", "close",
        "lock", "listen", "unlisten", "notify", "prepare", "deallocate", "discard", "vacuum",
        "analyze", "checkpoint",
    }
)  # fmt: skip

#: A renewal that could not reach the cache: every token is renewed at the next request.
_pending_renewal = False
#: The sets of tables being recorded in this context (a page, and a value inside it).
_recording: contextvars.ContextVar[tuple[set, ...]] = contextvars.ContextVar(
    "pagecache_recording", default=()
)
_model_tables: frozenset[str] | None = None


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", True))


def model_tables() -> frozenset[str]:
    """Every table a model (or a many-to-many relation) of the project declares."""
    global _model_tables
    if _model_tables is None:
        _model_tables = frozenset(
            model._meta.db_table.lower() for model in apps.get_models(include_auto_created=True)
        )
    return _model_tables


def written_tables(sql: str) -> frozenset[str]:
    """The tables a statement changes: empty for a read, ``{EVERYTHING}`` when unknown."""
    verb_match = _VERB.match(sql)
    verb = verb_match.group(1).lower() if verb_match else ""
    if verb in _NO_DATA_CHANGE:
        return frozenset()
    if verb == "with":
        return frozenset({EVERYTHING}) if _DATA_CHANGING_CTE.search(sql) else frozenset()
    if verb == "truncate":
        tables = set(_WORD.findall(sql.lower())) & model_tables()
    else:
        target = _TARGET.match(sql)
        tables = {target.group(1).lower()} if target else set()
    if not tables or not tables <= model_tables():
        tables.add(EVERYTHING)
    return frozenset(tables - IGNORED_TABLES)


def read_tables(sql: str) -> set[str]:
    """The model tables a statement names (a superset of those it reads)."""
    return set(_WORD.findall(sql.lower())) & model_tables()


def _token() -> str:
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def renew(tables: Iterable[str]) -> None:
    """Committed writes to ``tables``: the pages that read them are now out of date."""
    global _pending_renewal
    token = _token()
    data = {TOKEN_PREFIX + table: token for table in tables}
    if _pending_renewal:
        data[TOKEN_PREFIX + EVERYTHING] = token
    try:
        failed = cache.set_many(data, timeout=None)
    except Exception as exc:  # the cache is down: pages are rendered without it meanwhile
        failed = [exc]
    if failed:
        _pending_renewal = True
        logger.warning("pagecache: table tokens not renewed (%s)", ", ".join(sorted(tables)))
    else:
        _pending_renewal = False


class _Renewal:
    """The commit hook of one transaction: the tables it wrote, renewed once it commits."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self):
        renew(self.tables)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not enabled() or not isinstance(sql, str):
        return result
    recordings = _recording.get()
    if recordings:
        read = read_tables(sql)
        for recording in recordings:
            recording |= read
    written = written_tables(sql)
    if written:
        connection = context["connection"]
        renewal = next(
            (hook for _, hook, _ in connection.run_on_commit if isinstance(hook, _Renewal)),
            None,
        )
        if renewal is None:
            renewal = _Renewal()
            renewal.tables |= written
            # Outside an atomic block the statement has committed: this runs at once.
            connection.on_commit(renewal)
        else:
            renewal.tables |= written
    return result


def _install(sender, connection, **kwargs):
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch reads and writes on every database connection, present and future."""
    connection_created.connect(_install, dispatch_uid="pagecache-watch-writes")
    for alias in connections:
        connection = connections[alias]
        if connection.connection is not None:
            _install(None, connection)


@contextmanager
def recording():
    """Collect the tables read inside the block (and by the blocks around it)."""
    tables: set[str] = set()
    token = _recording.set((*_recording.get(), tables))
    try:
        yield tables
    finally:
        _recording.reset(token)


def depend_on(tables: Iterable[str]) -> None:
    """The page being recorded depends on ``tables`` (read from the cache, not the DB)."""
    for recording in _recording.get():
        recording |= set(tables)


def cached_value(key: str, compute: Callable, timeout: int):
    """``cache.get_or_set`` for a value a page shows: the value may be up to ``timeout``
    seconds old (that is the caller's choice), and a page that uses it depends on the
    tables it was computed from, so that the page is re-rendered when they change."""
    full_key = _value_key(key)
    found = cache.get(full_key)
    if found is not None:
        value, tables = found
        depend_on(tables)
        return value
    with recording() as tables:
        value = compute()
    cache.set(full_key, (value, frozenset(tables)), timeout)
    return value


def forget_value(key: str) -> None:
    cache.delete(_value_key(key))


# Pages and values are kept per release (the tokens are not: a write by any release
# renews them for all).
def _value_key(key: str) -> str:
    return f"{VALUE_PREFIX}{settings.RELEASE}:{key}"


def _entry_key(request) -> str:
    varying = "\n".join(request.META.get(name, "") for name in VARY_HEADERS)
    digest = hashlib.sha256(f"{request.get_full_path()}\n{varying}".encode()).hexdigest()
    return f"{ENTRY_PREFIX}{settings.RELEASE}:{digest}"


def _snapshot() -> dict[str, str]:
    """The current token of every table, created where missing (so that none is None)."""
    keys = [TOKEN_PREFIX + table for table in (*model_tables(), EVERYTHING)]
    tokens = cache.get_many(keys)
    missing = [key for key in keys if key not in tokens]
    if missing:
        # The first use of a table, or Redis lost its keys (or is away: then the first
        # key cannot be read back, and the page is rendered without the cache).
        cache.add(missing[0], _token(), timeout=None)
        if cache.get(missing[0]) is None:
            return {}
        for key in missing[1:]:
            cache.add(key, _token(), timeout=None)
        tokens.update(cache.get_many(missing))
    return tokens


def _is_anonymous_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
    )


def _buffered(response):
    """A small streamed answer (an export of a few rows) read whole, while its reads are
    recorded, into an ordinary response that can be kept; a large one is given back
    streaming from where it was, and is not kept. Files are never read here."""
    if not response.streaming or isinstance(response, FileResponse):
        return response
    if response.status_code != 200 or not _is_public(response):
        return response
    chunks, size = [], 0
    stream = iter(response.streaming_content)
    for chunk in stream:
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            response.streaming_content = chain(chunks, stream)
            return response
    whole = HttpResponse(b"".join(chunks), status=response.status_code)
    for name, value in response.items():
        whole[name] = value
    return whole


def _is_public(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return not (response.cookies or "private" in cache_control or "no-store" in cache_control)


def _is_shareable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and _is_public(response)
        and len(response.content) <= MAX_BODY_BYTES
    )


def _valid_entry(key: str):
    """The stored response for ``key`` if every token it depends on is unchanged."""
    entry = cache.get(key)
    if entry is None:
        return None
    dependencies, cached = entry
    current = cache.get_many(list(dependencies))
    if all(current.get(name) == token for name, token in dependencies.items()):
        return cached
    return None


def _serve(cached):
    cached["X-Page-Cache"] = "hit"
    return cached


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs from the cache; see the module's docstring for the rules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        if _pending_renewal:
            renew(())
        if not _is_anonymous_request(request):
            return self.get_response(request)
        key = _entry_key(request)
        try:
            cached = _valid_entry(key)
            if cached is not None:
                return _serve(cached)
            tokens = _snapshot()
        except Exception as exc:
            logger.warning("pagecache: cache unavailable (%s)", exc)
            return self.get_response(request)
        if not tokens:  # the cache is away: nothing to compare with later
            return self.get_response(request)
        try:
            owner, cached, waited = self._take_turn(key)
            if cached is not None:
                return _serve(cached)
            if waited:  # tokens read now: a write seen while waiting is in this render
                tokens = _snapshot() or tokens
        except Exception as exc:
            logger.warning("pagecache: lock unavailable (%s)", exc)
            owner = None
        try:
            return self._render(request, key, tokens)
        finally:
            if owner is not None:
                self._release(key, owner)

    def _take_turn(self, key: str):
        """Single flight: ``(owner, None, waited)`` when this request is to render the
        page (``owner`` None if it waited in vain and renders without the lock), or
        ``(None, response, True)`` when another request rendered it meanwhile."""
        lock_key = LOCK_PREFIX + key
        if cache.get(UNSHARED_PREFIX + key) is not None:
            return None, None, False  # never kept: nothing to wait for
        owner = secrets.token_hex(8)
        deadline = time.monotonic() + settings.PAGE_CACHE_WAIT
        pause = 0.005
        waited = False
        unseen = 0
        while True:
            if cache.add(lock_key, owner, timeout=settings.PAGE_CACHE_LOCK_TIMEOUT):
                return owner, None, waited
            # Someone renders this page: wait for its lock to go, then look again.
            seen = False
            while cache.get(lock_key) is not None:
                seen = waited = True
                if time.monotonic() >= deadline:
                    return None, None, True
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
            cached = _valid_entry(key)
            if cached is not None:
                return None, cached, True
            if cache.get(UNSHARED_PREFIX + key) is not None:
                return None, None, True  # its answer could not be kept: render at once
            # A lock that can be neither taken nor seen, twice: the cache is failing.
            unseen = 0 if seen else unseen + 1
            if unseen >= 2 or time.monotonic() >= deadline:
                return None, None, True

    def _release(self, key: str, owner: str) -> None:
        """Free the lock if it is still ours (it may have expired and passed to another
        request after a render longer than ``PAGE_CACHE_LOCK_TIMEOUT``)."""
        lock_key = LOCK_PREFIX + key
        try:
            if cache.get(lock_key) == owner:
                cache.delete(lock_key)
        except Exception as exc:
            logger.warning("pagecache: lock not released (%s)", exc)

    def _render(self, request, key: str, tokens: dict[str, str]):
        with recording() as tables:
            response = _buffered(self.get_response(request))
        if not _is_shareable(response):
            # A page that sets a cookie (a form's CSRF token), an error…: concurrent
            # visitors render it side by side instead of queueing for one another.
            try:
                cache.set(UNSHARED_PREFIX + key, 1, settings.PAGE_CACHE_TIMEOUT)
            except Exception as exc:
                logger.warning("pagecache: page not marked (%s)", exc)
            return response
        names = [TOKEN_PREFIX + table for table in (*tables, EVERYTHING)]
        dependencies = {name: tokens.get(name) for name in names}
        if None not in dependencies.values():
            try:
                cache.set(key, (dependencies, response), settings.PAGE_CACHE_TIMEOUT)
                cache.delete(UNSHARED_PREFIX + key)
            except Exception as exc:
                logger.warning("pagecache: page not stored (%s)", exc)
        response["X-Page-Cache"] = "miss"
        return response
