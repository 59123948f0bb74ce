"""Security headers with the production settings, on every URL of the site, and the Mozilla
HTTP Observatory score they earn (computed by ``observatory.py`` from the published rules).

How production is reproduced: the ``production`` fixture executes
``forum_ouvert/settings/production.py`` itself (a fresh copy of the module, with the
environment variables it requires) and applies every ``SECURE_*``, ``SESSION_*`` and
``CSRF_*`` value it defines, plus ``X_FRAME_OPTIONS``, with ``override_settings``. The
values therefore cannot drift from what production runs, while the requests go through the
test client in-process: the test world (one account per role, objects owned by A and B)
is available, and the suite stays fast. A subprocess with gunicorn would test the same
middleware with a second database and a server to start, for no more coverage of headers;
what this leaves out — the static files' storage and the SMTP and Redis settings — makes no
header. Requests are made as HTTPS with ``secure=True`` (and, once, through the proxy
header that production trusts).
"""

from __future__ import annotations

import importlib.util
import os
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from tests.factories import PASSWORD

from . import observatory
from .conftest import ROLE_COLUMNS, request_as, resolve_kwargs
from .permission_matrix import MATRIX

HSTS_MINIMUM = 31_536_000
PRIVATE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
PRODUCTION_ENV = {
    "SECRET_KEY": "cle-de-test-des-en-tetes-de-securite-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "testserver",
    "EMAIL_HOST": "smtp.exemple.fr",
}
#: Variables that would change the production defaults if the machine had them set.
PRODUCTION_DEFAULTS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CSRF_TRUSTED_ORIGINS",
    "DEBUG",
)


def production_security_settings(monkeypatch) -> dict:
    """The security settings that ``forum_ouvert.settings.production`` defines."""
    for name in PRODUCTION_DEFAULTS:
        monkeypatch.delenv(name, raising=False)
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    # DATABASE_URL and REDIS_URL are required too: the test settings have set both.
    assert os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")
    spec = importlib.util.find_spec("forum_ouvert.settings.production")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {
        name: getattr(module, name)
        for name in dir(module)
        if name.startswith(("SECURE_", "SESSION_", "CSRF_", "LANGUAGE_COOKIE_"))
        or name == "X_FRAME_OPTIONS"
    }


@pytest.fixture
def production(monkeypatch):
    """The production security settings, in force for the test (see the module's docstring)."""
    values = production_security_settings(monkeypatch)
    with override_settings(**values):
        yield values


def test_production_settings_are_the_hardened_ones(monkeypatch):
    """What the fixture applies is HTTPS-only: redirect, HSTS two years, secure cookies."""
    values = production_security_settings(monkeypatch)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= HSTS_MINIMUM
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")


# --- What every response must carry ---------------------------------------------------------


def as_page(response, url: str) -> observatory.Page:
    content_type = response.get("Content-Type", "")
    body = ""
    if not response.streaming and content_type.startswith("text/html"):
        body = response.content.decode()
    return observatory.Page(
        url=url,
        status=response.status_code,
        headers={name.lower(): [value] for name, value in response.headers.items()},
        body=body,
    )


def set_cookies(response) -> list[str]:
    return [morsel.OutputString() for morsel in response.cookies.values()]


def header_problems(response, url: str) -> list[str]:
    """What is missing from one response's security headers and cookies."""
    page = as_page(response, f"https://testserver{url}")
    problems = []
    policies = page.values("content-security-policy")
    csp = observatory.parse_csp(policies) if policies else {}
    script = csp.get("script-src") or csp.get("default-src")
    if not script:
        problems.append("pas de CSP qui restreigne script-src")
    elif script & {"'unsafe-inline'", "'unsafe-eval'"}:
        problems.append(f"script-src permissif : {sorted(script)}")
    framing_denied = csp.get("frame-ancestors") == {"'none'"}
    if not framing_denied and page.first("x-frame-options") != "DENY":
        problems.append("ni frame-ancestors 'none' ni X-Frame-Options DENY")
    hsts = [p.strip().lower() for p in (page.first("strict-transport-security") or "").split(";")]
    max_age = next((int(p[8:]) for p in hsts if p.startswith("max-age=")), 0)
    if max_age < HSTS_MINIMUM or "includesubdomains" not in hsts:
        problems.append(f"HSTS insuffisant : {page.first('strict-transport-security')}")
    if page.first("x-content-type-options") != "nosniff":
        problems.append("X-Content-Type-Options absent")
    if page.first("x-xss-protection") != "1; mode=block":
        problems.append(f"X-XSS-Protection : {page.first('x-xss-protection')}")
    if page.first("referrer-policy") not in PRIVATE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy : {page.first('referrer-policy')}")
    for name, morsel in response.cookies.items():
        if morsel["max-age"] == 0 or morsel["max-age"] == "0":
            continue  # a cookie being deleted
        if not morsel["secure"] or (morsel["samesite"] or "").lower() not in ("lax", "strict"):
            problems.append(f"cookie {name} sans Secure ou SameSite")
        if name == settings.SESSION_COOKIE_NAME and not morsel["httponly"]:
            problems.append(f"cookie de session {name} sans HttpOnly")
    if page.body and response.status_code == 200:
        problems += html_problems(page)
    return problems


def html_problems(page: observatory.Page) -> list[str]:
    """No inline script; a page that loads htmx configures it safely (fragments swapped in
    by htmx, and the Django admin, which does not load it, have nothing to configure)."""
    problems = []
    facts = observatory.html_facts(page)
    if any(not script.get("src") for script in facts.scripts):
        problems.append("<script> en ligne")
    if any("htmx" in (script.get("src") or "") for script in facts.scripts):
        config = observatory.htmx_config(page)
        wanted = {"allowEval": False, "allowScriptTags": False, "selfRequestsOnly": True}
        if config is None or any(config.get(k) != v for k, v in wanted.items()):
            problems.append(f"configuration htmx : {config}")
    return problems


def _url(case, world) -> str:
    return reverse(case.url, kwargs=resolve_kwargs(case.kwargs, world))


@pytest.mark.django_db
def test_every_url_carries_the_security_headers(world, production):
    """Every URL of the permission matrix, requested over HTTPS anonymously and, when the
    page opens for someone, as that person: CSP without unsafe script sources, no framing,
    HSTS of a year or more with sub-domains, nosniff, a private Referrer-Policy, secure
    cookies; on HTML pages, htmx locked down and no inline script."""
    problems, seen, with_htmx = [], 0, 0
    for case in MATRIX:
        url = _url(case, world)
        roles = [None]
        if case.get and 200 in case.get:
            roles.append(ROLE_COLUMNS[case.get.index(200)])
        for role in dict.fromkeys(roles):
            response = request_as(world, role, "get", url, secure=True)
            seen += 1
            with_htmx += b'name="htmx-config"' in getattr(response, "content", b"")
            problems += [
                f"{url} ({role or 'anonyme'}) : {p}" for p in header_problems(response, url)
            ]
    assert seen > 150 and with_htmx > 80
    assert problems == []


@pytest.mark.django_db
def test_every_url_redirects_plain_http_to_https(world, production):
    """A plain-HTTP request is sent to the same URL over HTTPS (301), before any view runs;
    behind the proxy, ``X-Forwarded-Proto: https`` is taken as HTTPS."""
    client = Client()
    wrong = []
    for url in dict.fromkeys(_url(case, world) for case in MATRIX):
        response = client.get(url)
        if response.status_code != 301 or response["Location"] != f"https://testserver{url}":
            wrong.append(f"{url}: {response.status_code} {response.get('Location')}")
    assert wrong == []
    proxied = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200 and "max-age=" in proxied["Strict-Transport-Security"]


@pytest.mark.django_db
def test_login_sets_secure_cookies(production, make_user):
    """Logging in over HTTPS: the CSRF cookie and the session cookie are Secure and SameSite,
    the session cookie HttpOnly and host-only (``__Host-``)."""
    citizen = make_user(email="cookies@exemple.fr")
    client = Client()
    login = reverse("account_login")
    page = client.get(login, secure=True)
    response = client.post(login, {"login": citizen.email, "password": PASSWORD}, secure=True)
    assert response.status_code == 302 and "_auth_user_id" in client.session
    csrf = page.cookies[production["CSRF_COOKIE_NAME"]]
    session = response.cookies[production["SESSION_COOKIE_NAME"]]
    for morsel in (csrf, session):
        assert morsel["secure"] is True
        assert morsel["samesite"] == "Lax"
        assert morsel["path"] == "/" and not morsel["domain"]
    assert session["httponly"] is True
    assert header_problems(response, login) == []


# --- The Observatory score ------------------------------------------------------------------

CORS_ORIGIN = "https://http-observatory.security.mozilla.org"


def observe(client: Client, path: str, cookies: list[str] | None = None) -> observatory.Score:
    """Scan ``path`` the way the Observatory does: plain HTTP first (following redirects),
    then HTTPS, then HTTPS with an ``Origin`` header; every cookie set on the way counts."""
    seen_cookies = list(cookies or [])
    route = [f"http://testserver{path}"]
    response = client.get(path)
    seen_cookies += set_cookies(response)
    while response.status_code in (301, 302, 303, 307, 308) and len(route) < 10:
        route.append(urljoin(route[-1], response["Location"]))
        target = urlsplit(route[-1])
        query = f"?{target.query}" if target.query else ""
        response = client.get(target.path + query, secure=target.scheme == "https")
        seen_cookies += set_cookies(response)
    https = client.get(path, secure=True)
    cors = client.get(path, secure=True, headers={"Origin": CORS_ORIGIN})
    seen_cookies += set_cookies(https) + set_cookies(cors)
    assert https.status_code == 200, f"{path}: {https.status_code}"  # the scanner needs a 2xx
    url = f"https://testserver{path}"
    return observatory.scan(
        observatory.Exchange(
            https=as_page(https, url),
            http_route=route,
            cors=as_page(cors, url),
            cors_origin=CORS_ORIGIN,
            set_cookies=seen_cookies,
        )
    )


@pytest.mark.django_db
def test_observatory_score_is_at_least_100(world, production):
    """The home page and a sample of pages — public, with forms, and « Mon espace » after a
    real login — score at least 100 (A+) by the Observatory's rules."""
    anonymous = Client()
    paths = [
        "/",
        reverse("engagements:commitment_list"),
        world.commitment_a.get_absolute_url(),
        reverse("contributions:index"),
        reverse("workshops:list"),
        reverse("forum:index"),
        reverse("account_login"),
    ]
    scores = {path: observe(anonymous, path) for path in paths}
    citizen = Client()
    login = citizen.post(
        reverse("account_login"),
        {"login": world.users["citoyen"].email, "password": PASSWORD},
        secure=True,
    )
    assert login.status_code == 302
    scores["/mon-espace/"] = observe(citizen, "/mon-espace/", cookies=set_cookies(login))
    low = {path: score.explain() for path, score in scores.items() if score.score < 100}
    assert low == {}


# --- The scorer follows the published rules -------------------------------------------------


def _exchange(headers: dict[str, str], *, body: str = "", cookies=(), route=None):
    page = observatory.Page(
        url="https://exemple.fr/",
        headers={k.lower(): [v] for k, v in headers.items()},
        body=body,
    )
    return observatory.Exchange(
        https=page,
        http_route=route if route is not None else ["http://exemple.fr/", "https://exemple.fr/"],
        cors=page,
        set_cookies=list(cookies),
    )


GOOD = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def test_scorer_gives_a_bare_site_an_f():
    """No header at all and no HTTPS redirection: 100 − 25 (CSP) − 20 (redirection) − 20
    (HSTS) − 5 (nosniff) − 20 (X-Frame-Options) = 10, grade F."""
    result = observatory.scan(
        _exchange({"Content-Type": "text/html"}, route=["http://exemple.fr/"])
    )
    assert (result.score, result.grade) == (10, "F")


def test_scorer_rewards_a_strict_site():
    """default-src 'none' +10, Referrer-Policy +5, frame-ancestors +5, secure cookies +5."""
    cookie = "__Host-sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax"
    result = observatory.scan(_exchange(GOOD, cookies=[cookie]))
    assert result.score == 125, result.explain()


@pytest.mark.parametrize(
    ("change", "expected_result", "score"),
    [
        (
            {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"},
            "csp-implemented-with-unsafe-inline",
            # −20 and −20 for X-Frame-Options (no frame-ancestors any more), no bonus below 90
            60,
        ),
        (
            {
                "Content-Security-Policy": (
                    "default-src 'none'; script-src 'self' 'unsafe-eval'; frame-ancestors 'none'"
                )
            },
            "csp-implemented-with-unsafe-eval",
            # −10 leaves 90: bonuses (referrer +5, framing +5) still count
            100,
        ),
        (
            {
                "Content-Security-Policy": (
                    "default-src 'none'; script-src 'self' 'nonce-abc' 'unsafe-inline'; "
                    "frame-ancestors 'none'"
                )
            },
            "csp-implemented-with-no-unsafe-default-src-none",
            120,
        ),
        (
            {"Content-Security-Policy": "default-src 'none'; script-src 'self'; script-src *"},
            "csp-header-invalid",
            # −25 and X-Frame-Options without the CSP −20
            55,
        ),
    ],
)
def test_scorer_reads_the_csp_as_published(change, expected_result, score):
    """Unsafe sources cost points, a nonce neutralises 'unsafe-inline', a repeated directive
    makes the policy invalid; below 90, bonuses are lost."""
    result = observatory.scan(_exchange({**GOOD, **change}))
    assert result.results[0].result == expected_result
    assert result.score == score, result.explain()


@pytest.mark.parametrize(
    ("cookie", "expected_result"),
    [
        ("sessionid=abc; Path=/; Secure; SameSite=Lax", "cookies-session-without-httponly-flag"),
        (
            "sessionid=abc; Path=/; HttpOnly; SameSite=Lax",
            "cookies-session-without-secure-flag-but-protected-by-hsts",
        ),
        ("csrftoken=abc; Path=/; Secure", "cookies-anticsrf-without-samesite-flag"),
        ("theme=sombre; Path=/; Secure; SameSite=Fort", "cookies-samesite-flag-invalid"),
        ("theme=sombre; Path=/; Secure", "cookies-secure-with-httponly-sessions"),
        ("sessionid=; Max-Age=0; Path=/", "cookies-not-found"),
    ],
)
def test_scorer_reads_cookies_as_published(cookie, expected_result):
    """Session cookies need Secure and HttpOnly, CSRF cookies SameSite; deleted cookies do
    not count."""
    result = observatory.scan(_exchange(GOOD, cookies=[cookie]))
    assert result.results[1].result == expected_result


def test_scorer_penalises_external_scripts_without_integrity_and_bad_redirections():
    """An external script without SRI −5; HTTP that does not redirect −20 (and then the
    bonuses no longer count: 100 − 25 = 75)."""
    html = '<html><head><script src="https://cdn.exemple.com/x.js"></script></head></html>'
    result = observatory.scan(
        _exchange({**GOOD, "Content-Type": "text/html"}, body=html, route=["http://exemple.fr/"])
    )
    names = {r.test: r.result for r in result.results}
    assert names["subresource-integrity"] == (
        "sri-not-implemented-but-external-scripts-loaded-securely"
    )
    assert names["redirection"] == "redirection-missing"
    assert result.score == 75


@pytest.mark.django_db
@pytest.mark.parametrize("enforce_csrf", [True, False], ids=["csrf-checked", "csrf-off"])
def test_a_form_posted_in_another_charset_is_a_bad_request(world, enforce_csrf):
    """Issue 23: a urlencoded POST declaring ``charset=utf-16`` made Django's CSRF check
    raise ``BadRequest``, raised again by each error handler (a 500). Every URL of the
    matrix that takes a POST, as each role it opens for, answers the French 400 page (with
    the CSRF check, as in production), and nothing is written."""
    from django.db import connection, transaction

    from tests.security.test_hostile_input import _writes

    seen = bad = 0
    for case in MATRIX:
        if not case.post:
            continue
        url = reverse(case.url, kwargs=resolve_kwargs(case.kwargs, world))
        for role, outcome in zip(ROLE_COLUMNS, case.post, strict=True):
            if outcome in ("login", 403, 404, 405):
                continue
            client = Client(enforce_csrf_checks=enforce_csrf, raise_request_exception=False)
            client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
            if world.session_keys[role]:
                client.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[role]
            with transaction.atomic():
                before = _writes()
                response = client.post(
                    url,
                    "titre=%C3%A9t%C3%A9&csrfmiddlewaretoken=" + "a" * 32,
                    content_type="application/x-www-form-urlencoded; charset=utf-16",
                )
                writes = +(_writes() - before)
                transaction.set_rollback(True)
            seen += 1
            # Without the CSRF check, a view that never reads the body (a « suivre ») may
            # answer as usual; every view that reads it answers 400.
            if enforce_csrf or response.status_code >= 400:
                assert response.status_code == 400, (url, role, response.status_code)
                page = response.content.decode()
                assert '<html lang="fr">' in page and "Requête incorrecte" in page, url
                assert not [key for key in writes if key[0] != "django_session"], (url, writes)
                bad += 1
    assert connection.vendor == "postgresql" and seen > 40 and bad > seen // 2, (seen, bad)
