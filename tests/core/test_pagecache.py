"""The anonymous page cache: served from Redis, never stale after a committed write, and
kept when a write touches tables the page did not read."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from forum_ouvert.core import pagecache
from forum_ouvert.core.choices import Role
from tests.engagements.factories import CommitmentFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def commit():
    """What a real COMMIT would do here: run the pending commit hooks, then forget them.

    The test's own transaction never commits, and pytest-django's capture of commit hooks
    leaves them registered, which would hide the writes that follow.
    """
    pending, connection.run_on_commit = connection.run_on_commit, []
    for _, callback, _ in pending:
        callback()


@pytest.fixture
def commitment():
    plan = PlanFactory(is_current=True)
    created = CommitmentFactory(plan=plan, title="Ouvrir les algorithmes publics")
    commit()
    return created


def test_a_second_anonymous_visit_runs_no_query(client, commitment, django_assert_num_queries):
    first = client.get("/engagements/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/engagements/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # Headers set below the cache (CSP) are kept; those above it are added on every answer.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_committed_orm_write_shows_at_once(client, commitment):
    assert "Ouvrir les algorithmes publics" in client.get("/engagements/").text
    type(commitment).objects.filter(pk=commitment.pk).update(title="Titre révisé")
    assert client.get("/engagements/")["X-Page-Cache"] == "hit"  # not committed yet
    commit()
    page = client.get("/engagements/")
    assert page["X-Page-Cache"] == "miss"
    assert "Titre révisé" in page.text


def test_a_raw_sql_write_is_seen_too(client, commitment):
    client.get("/engagements/")
    table = type(commitment)._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" SET title = %s WHERE id = %s', ["Par SQL", commitment.pk])  # noqa: S608
    commit()
    assert "Par SQL" in client.get("/engagements/").text


def test_a_rolled_back_write_does_not_invalidate(client, commitment):
    client.get("/engagements/")
    with pytest.raises(RuntimeError), transaction.atomic():
        type(commitment).objects.filter(pk=commitment.pk).update(title="Jamais")
        raise RuntimeError
    assert connection.run_on_commit == []
    assert client.get("/engagements/")["X-Page-Cache"] == "hit"


def test_one_renewal_per_transaction_with_the_tables_it_wrote(commitment):
    for title in ("Un", "Deux", "Trois"):
        type(commitment).objects.filter(pk=commitment.pk).update(title=title)
    hooks = [hook for _, hook, _ in connection.run_on_commit]
    assert len(hooks) == 1
    assert hooks[0].tables == {type(commitment)._meta.db_table}


def test_a_write_to_a_table_the_page_did_not_read_keeps_it(client, commitment):
    from forum_ouvert.core.models import Departement

    client.get("/engagements/")
    read = _dependencies("/engagements/")
    assert "engagements_commitment" in read
    assert Departement._meta.db_table not in read
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{Departement._meta.db_table}" SET name = name')  # noqa: S608
    commit()
    assert client.get("/engagements/")["X-Page-Cache"] == "hit"


def test_a_statement_whose_tables_cannot_be_told_renews_every_page(client, commitment):
    client.get("/engagements/")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE pagecache_probe (id int)")
    commit()
    assert client.get("/engagements/")["X-Page-Cache"] == "miss"


def test_a_lost_token_costs_a_render_not_a_stale_page(client, commitment):
    from django.core.cache import cache

    client.get("/engagements/")
    cache.delete(pagecache.TOKEN_PREFIX + "engagements_commitment")
    assert client.get("/engagements/")["X-Page-Cache"] == "miss"
    assert client.get("/engagements/")["X-Page-Cache"] == "hit"


def test_a_page_rendered_while_its_data_changed_is_not_served(rf, commitment):
    """The tokens are read before the view runs: a write committed during the render
    leaves the stored page under the old token."""
    from django.http import HttpResponse

    def view(request):
        title = type(commitment).objects.get(pk=commitment.pk).title
        pagecache.renew({"engagements_commitment"})  # another process commits meanwhile
        return HttpResponse(title)

    middleware = pagecache.AnonymousPageCacheMiddleware(view)
    assert middleware(rf.get("/page/"))["X-Page-Cache"] == "miss"
    assert middleware(rf.get("/page/"))["X-Page-Cache"] == "miss"


def test_a_cached_value_carries_its_tables_into_the_page(commitment):
    def load():
        return list(type(commitment).objects.values_list("title", flat=True))

    with pagecache.recording() as first:
        assert pagecache.cached_value("essai", load, 60) == ["Ouvrir les algorithmes publics"]
    with pagecache.recording() as second:  # from the cache: no query, same dependency
        assert pagecache.cached_value("essai", load, 60) == ["Ouvrir les algorithmes publics"]
    assert first == second
    assert "engagements_commitment" in first


def _dependencies(path: str) -> set[str]:
    from django.core.cache import cache
    from django.test import RequestFactory

    dependencies, _ = cache.get(pagecache._entry_key(RequestFactory().get(path)))
    return {name.removeprefix(pagecache.TOKEN_PREFIX) for name in dependencies}


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.STAFF])
def test_logged_in_pages_are_never_cached(client_for, commitment, role):
    client, _ = client_for(role)
    for _ in range(2):
        response = client.get("/engagements/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def test_a_page_that_sets_a_cookie_is_not_cached(client):
    # The login form carries a CSRF token, which sets a cookie: never shared.
    for _ in range(2):
        response = client.get(reverse("account_login"))
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def test_an_htmx_fragment_is_cached_apart_from_the_page(client, commitment):
    page = client.get("/engagements/")
    fragment = client.get("/engagements/", headers={"HX-Request": "true"})
    assert fragment["X-Page-Cache"] == "miss"
    assert client.get("/engagements/")["X-Page-Cache"] == "hit"
    assert client.get("/engagements/", headers={"HX-Request": "true"}).content == (fragment.content)
    assert page.content != fragment.content


def test_a_query_string_is_part_of_the_key(client, commitment):
    client.get("/engagements/")
    assert client.get("/engagements/?q=algorithmes")["X-Page-Cache"] == "miss"


def test_each_release_keeps_its_own_pages_and_values(client, commitment, settings):
    """During a rolling deploy old and new processes run side by side: a page or value
    cached by one release is never served by another (its HTML or its objects may have
    changed), while a write by either still renews the pages of both."""
    settings.RELEASE = "ancienne"
    client.get("/engagements/")
    assert pagecache.cached_value("k", lambda: "ancienne", 60) == "ancienne"
    settings.RELEASE = "nouvelle"
    assert client.get("/engagements/")["X-Page-Cache"] == "miss"
    assert pagecache.cached_value("k", lambda: "nouvelle", 60) == "nouvelle"
    settings.RELEASE = "ancienne"
    assert client.get("/engagements/")["X-Page-Cache"] == "hit"
    type(commitment).objects.filter(pk=commitment.pk).update(title="Écrit par une version")
    commit()
    assert client.get("/engagements/")["X-Page-Cache"] == "miss"


REDIS_DOWN = {
    "default": {
        "BACKEND": "forum_ouvert.core.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.mark.parametrize("role", [None, Role.CITIZEN])
def test_the_site_is_served_when_the_cache_is_down(client_for, commitment, settings, role):
    client, _ = client_for(role)
    settings.CACHES = REDIS_DOWN
    for path in ("/", "/engagements/", commitment.get_absolute_url(), "/contributions/"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Ouvrir les algorithmes publics" in client.get("/engagements/").text


def test_rate_limits_fail_open_when_the_cache_is_down(settings):
    from forum_ouvert.core import ratelimit

    settings.CACHES = REDIS_DOWN
    for _ in range(3):
        ratelimit.hit("essai", "personne", limit=1, period=60)  # no RateLimitExceeded


def test_a_renewal_that_failed_renews_every_page_later(settings):
    from django.core.cache import cache

    settings.CACHES = REDIS_DOWN
    pagecache.renew({"engagements_commitment"})
    assert pagecache._pending_renewal is True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    pagecache.renew(())
    assert pagecache._pending_renewal is False
    assert cache.get(pagecache.TOKEN_PREFIX + pagecache.EVERYTHING) is not None


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('INSERT INTO "engagements_commitment" ("title") VALUES (%s)', {"engagements_commitment"}),
        ('UPDATE "engagements_commitment" SET "title" = %s', {"engagements_commitment"}),
        ('  delete from "core_user" WHERE id = 1', {"core_user"}),
        (
            'TRUNCATE "contributions_contribution", "core_user" CASCADE',
            {"contributions_contribution", "core_user"},
        ),
        ('SELECT "title" FROM "engagements_commitment" FOR UPDATE SKIP LOCKED', set()),
        ('WITH x AS (SELECT 1) SELECT * FROM "core_user"', set()),
        ('SAVEPOINT "s1"', set()),
        ('UPDATE "django_session" SET "expire_date" = %s', set()),
        ('UPDATE "core_outboxtask" SET "queued_at" = %s', set()),
        ("UPDATE not_a_model_table SET x = 1", {"not_a_model_table", pagecache.EVERYTHING}),
        ("ALTER TABLE engagements_commitment ADD COLUMN x int", {pagecache.EVERYTHING}),
        ("WITH gone AS (DELETE FROM core_user RETURNING id) SELECT 1", {pagecache.EVERYTHING}),
    ],
)
def test_writes_are_recognised_by_their_statement(sql, tables):
    assert pagecache.written_tables(sql) == tables


def test_reads_name_the_model_tables_of_a_statement():
    sql = (
        'SELECT "engagements_commitment"."id" FROM "engagements_commitment" '
        'INNER JOIN "engagements_actionplan" ON ("engagements_commitment"."plan_id" = '
        '"engagements_actionplan"."id") WHERE "title" = %s'
    )
    assert pagecache.read_tables(sql) == {"engagements_commitment", "engagements_actionplan"}


# --- One render per page at a time (no stampede), against the real Redis -------------


class _CountingView:
    """A view that takes ``seconds`` to render and counts its renders (thread-safe)."""

    def __init__(self, seconds: float, bodies: list[str], on_first=None):
        self.seconds, self.bodies, self.on_first = seconds, bodies, on_first
        self.renders = 0
        self._lock = threading.Lock()

    def __call__(self, request):
        from django.http import HttpResponse

        pagecache.depend_on({"engagements_commitment"})
        with self._lock:
            self.renders += 1
            number = self.renders
        body = self.bodies[min(number, len(self.bodies)) - 1]
        time.sleep(self.seconds)
        if number == 1 and self.on_first:
            self.on_first()  # e.g. a write committed by another process during the render
        return HttpResponse(body)


def _concurrent_gets(middleware, path: str, count: int) -> list:
    """``count`` threads ask for ``path`` at the same moment; their responses."""
    barrier = threading.Barrier(count)

    def one(_):
        barrier.wait()
        return middleware(RequestFactory().get(path))

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_misses_render_the_page_once():
    """Eight visitors arrive together on an expired page: one render, eight identical pages."""
    view = _CountingView(0.3, ["Page rendue"])
    responses = _concurrent_gets(pagecache.AnonymousPageCacheMiddleware(view), "/essaim/", 8)
    assert view.renders == 1
    assert {r.content for r in responses} == {b"Page rendue"}
    assert sorted(r["X-Page-Cache"] for r in responses) == ["hit"] * 7 + ["miss"]


def test_after_a_write_concurrent_visitors_get_the_new_page_rendered_once():
    """A committed write outdates the stored page: the visitors who come next all see the
    new content, rendered once, never the old one."""
    middleware = pagecache.AnonymousPageCacheMiddleware(_CountingView(0, ["Avant"]))
    assert middleware(RequestFactory().get("/essaim/")).content == b"Avant"
    pagecache.renew({"engagements_commitment"})
    view = _CountingView(0.3, ["Après"])
    responses = _concurrent_gets(pagecache.AnonymousPageCacheMiddleware(view), "/essaim/", 6)
    assert view.renders == 1
    assert {r.content for r in responses} == {"Après".encode()}


def test_waiters_are_not_served_a_page_outdated_during_its_render():
    """A write commits while the page is being rendered: those who waited for that render
    are not given it (it predates the write); one of them renders the page again."""
    view = _CountingView(
        0.3, ["Avant l'écriture", "Après l'écriture"],
        on_first=lambda: pagecache.renew({"engagements_commitment"}),
    )  # fmt: skip
    responses = _concurrent_gets(pagecache.AnonymousPageCacheMiddleware(view), "/essaim/", 6)
    assert view.renders == 2
    bodies = sorted(r.content.decode() for r in responses)
    assert bodies == ["Après l'écriture"] * 5 + ["Avant l'écriture"]  # only its own renderer
    again = pagecache.AnonymousPageCacheMiddleware(view)(RequestFactory().get("/essaim/"))
    assert (again["X-Page-Cache"], again.content) == ("hit", "Après l'écriture".encode())


def test_visitors_of_a_page_that_cannot_be_kept_do_not_queue():
    """A page that sets a cookie (a form's CSRF token) is never stored: once seen, its
    concurrent visitors render it side by side rather than one after another."""

    class SetsCookie(_CountingView):
        def __call__(self, request):
            response = super().__call__(request)
            response.set_cookie("csrftoken", "jeton")
            return response

    view = SetsCookie(0.3, ["Formulaire"])
    middleware = pagecache.AnonymousPageCacheMiddleware(view)
    middleware(RequestFactory().get("/formulaire/"))
    started = time.monotonic()
    responses = _concurrent_gets(middleware, "/formulaire/", 6)
    assert time.monotonic() - started < 1.2  # six renders of 0.3 s in a row would be 1.8 s
    assert view.renders == 7
    assert all("X-Page-Cache" not in r for r in responses)


def test_a_lock_left_by_a_dead_render_holds_visitors_only_briefly(settings):
    """A process died while rendering (its lock remains): a visitor waits at most
    ``PAGE_CACHE_WAIT`` seconds, then renders the page itself."""
    from django.core.cache import cache

    settings.PAGE_CACHE_WAIT = 0.3
    request = RequestFactory().get("/essaim/")
    cache.add(pagecache.LOCK_PREFIX + pagecache._entry_key(request), "mort", timeout=60)
    view = _CountingView(0, ["Page"])
    started = time.monotonic()
    response = pagecache.AnonymousPageCacheMiddleware(view)(request)
    assert 0.3 <= time.monotonic() - started < 1.5
    assert (view.renders, response.content) == (1, b"Page")


def test_the_lock_is_freed_when_the_render_fails():
    """A view that raises leaves no lock behind: the next visitor renders at once."""
    from django.core.cache import cache

    def broken(request):
        raise RuntimeError("rendu impossible")

    request = RequestFactory().get("/essaim/")
    with pytest.raises(RuntimeError):
        pagecache.AnonymousPageCacheMiddleware(broken)(request)
    assert cache.get(pagecache.LOCK_PREFIX + pagecache._entry_key(request)) is None


# --- Small streamed exports ----------------------------------------------------------


def test_a_small_export_is_kept_and_follows_the_writes(
    client, commitment, django_assert_num_queries
):
    """``engagements.csv`` (a few rows, streamed by its view) is served from the cache,
    as a download still, and shows a committed write at once."""
    first = client.get("/donnees/engagements.csv")
    assert first["X-Page-Cache"] == "miss"
    assert "Ouvrir les algorithmes publics" in first.content.decode()
    with django_assert_num_queries(0):
        second = client.get("/donnees/engagements.csv")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "text/csv; charset=utf-8"
    assert second["Content-Disposition"] == 'attachment; filename="engagements.csv"'
    type(commitment).objects.filter(pk=commitment.pk).update(title="Titre de l'export révisé")
    commit()
    third = client.get("/donnees/engagements.csv")
    assert third["X-Page-Cache"] == "miss"
    assert "Titre de l'export révisé" in third.content.decode()


def test_a_large_export_is_streamed_whole_and_not_kept(client, commitment, monkeypatch):
    """An export longer than ``MAX_BODY_BYTES`` is sent streaming, every byte of it, and
    read from the database again at the next visit."""
    whole = client.get("/donnees/engagements.csv").content
    monkeypatch.setattr(pagecache, "MAX_BODY_BYTES", 40)
    for _ in range(2):
        response = client.get("/donnees/engagements.csv", {"grand": 1})
        assert response.streaming and "X-Page-Cache" not in response
        assert b"".join(response.streaming_content) == whole
