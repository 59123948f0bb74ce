"""The Mozilla HTTP Observatory's score, computed from its published scoring rules.

Source: the MDN HTTP Observatory's « Tests & Scoring » page and its scanner
(github.com/mdn/mdn-http-observatory: ``src/grader/charts.js`` for the modifiers,
``src/analyzer/tests/*.js`` for how each result is chosen, ``src/scanner/index.js`` for the
sum). Ten tests: CSP, cookies, CORS, redirection, Referrer-Policy, HSTS, SRI,
X-Content-Type-Options, X-Frame-Options and Cross-Origin-Resource-Policy.

The score starts at 100; every penalty (negative modifier) is subtracted; when what is left
is 90 or more, the bonuses (positive modifiers) are added. It is never below 0.

Written for the test client: the caller gives what the scanner would have seen (the page
over HTTPS, the redirections from plain HTTP, a request carrying an ``Origin`` header, the
cookies set on the way). What this module cannot know is stated: whether the host is on
the browsers' HSTS preload list (``hsts_preloaded``, false unless said).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from django.utils import timezone

#: Test result → score modifier, as published.
MODIFIERS: dict[str, int] = {
    # Content Security Policy
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-but-duplicate-directives": 0,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "csp-not-implemented-but-reporting-enabled": -25,
    # Cookies
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    # Cross-origin resource sharing
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    # Redirection
    "redirection-all-redirects-preloaded": 0,
    "redirection-to-https": 0,
    "redirection-not-needed-no-http": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    "redirection-invalid-cert": -20,
    # Referrer-Policy
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    # Strict-Transport-Security
    "hsts-preloaded": 5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "hsts-not-implemented-no-https": -20,
    "hsts-invalid-cert": -20,
    # Subresource integrity
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    "html-not-parsable": -20,
    # X-Content-Type-Options
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    # X-Frame-Options
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    # Cross-Origin-Resource-Policy
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
}

#: Bonuses count only when the score after penalties is at least this (grade A).
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
GRADES = [
    (100, "A+"),
    (90, "A"),
    (85, "A-"),
    (80, "B+"),
    (70, "B"),
    (65, "B-"),
    (60, "C+"),
    (50, "C"),
    (45, "C-"),
    (40, "D+"),
    (30, "D"),
    (25, "D-"),
    (0, "F"),
]

BROAD_SOURCES = {
    "ftp:",
    "http:",
    "https:",
    "*",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
}
INLINE_SOURCES = {"'unsafe-inline'", "data:"}
NONCE_OR_HASH = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
DIRECTIVES_NOT_IN_META = {"frame-ancestors", "report-uri", "sandbox"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
SIX_MONTHS = 15_552_000  # the scanner's own rounding of 15,768,000 s


class InvalidPolicy(ValueError):
    """A header the scanner would reject as unparsable."""


@dataclass
class Page:
    """One HTTP response as the scanner saw it. Header names are lower case; a header sent
    several times has several values."""

    url: str
    status: int = 200
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: str = ""

    def values(self, name: str) -> list[str]:
        return self.headers.get(name.lower(), [])

    def first(self, name: str) -> str | None:
        values = self.values(name)
        return values[0] if values else None


@dataclass
class Exchange:
    """What a scan sees: the page over HTTPS, where plain HTTP leads (``http_route``: every
    URL visited from ``http://…``, the first included; ``None`` when HTTP does not answer),
    the answer to a request with an ``Origin`` header, and every ``Set-Cookie`` value."""

    https: Page
    http_route: list[str] | None = None
    cors: Page | None = None
    cors_origin: str = "https://http-observatory.security.mozilla.org"
    set_cookies: list[str] = field(default_factory=list)
    hsts_preloaded: bool = False


@dataclass
class Result:
    test: str
    result: str
    passed: bool

    @property
    def modifier(self) -> int:
        return MODIFIERS[self.result]


@dataclass
class Score:
    score: int
    grade: str
    results: list[Result]

    def explain(self) -> str:
        """« 125 (A+): csp-implemented-with-no-unsafe-default-src-none +10, … »."""
        parts = ", ".join(f"{r.result} {r.modifier:+d}" for r in self.results if r.modifier)
        return f"{self.score} ({self.grade}): {parts or 'aucun modificateur'}"


# --- HTML: <meta http-equiv> and <script> ----------------------------------------------


class HtmlFacts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.http_equiv: dict[str, list[str]] = {}
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("http-equiv"):
            name = attributes["http-equiv"].strip().lower()
            self.http_equiv.setdefault(name, []).append(attributes.get("content") or "")
        elif tag == "script":
            self.scripts.append(attributes)


def html_facts(page: Page) -> HtmlFacts | None:
    if _mime(page) not in HTML_TYPES:
        return None
    facts = HtmlFacts()
    facts.feed(page.body)
    facts.close()
    return facts


def _mime(page: Page) -> str:
    return (page.first("content-type") or "").split(";")[0].strip().lower()


# --- Content Security Policy ------------------------------------------------------------


def parse_csp(policies: list[str]) -> dict[str, set[str]]:
    """Directives → sources. Several policies: a source counts only if every policy that
    sets the directive allows it. A directive twice in one policy makes it invalid (except
    report-uri/report-to), as the scanner says."""
    merged: dict[str, set[str]] = {}
    for policy in policies:
        policy = policy.replace("\r", "").replace("\n", "").strip()
        if len(policy) < len("img-src") - 1:
            raise InvalidPolicy(policy)
        seen: set[str] = set()
        for entry in policy.split(";"):
            tokens = entry.split()
            if not tokens:
                continue
            directive, sources = tokens[0].lower(), {t.lower() for t in tokens[1:]}
            if directive in seen and directive not in ("report-uri", "report-to"):
                raise InvalidPolicy(f"{directive} répété")
            seen.add(directive)
            if not sources and directive.endswith("-src"):
                sources = {"'none'"}
            merged[directive] = merged[directive] & sources if directive in merged else sources
    return {d: (s or {"'none'"}) for d, s in merged.items()}


def _split_policies(values: list[str]) -> list[str]:
    return [p.strip() for value in values for p in value.split(",") if p.strip()]


def csp_test(exchange: Exchange, html: HtmlFacts | None) -> tuple[Result, dict[str, set[str]]]:
    page = exchange.https
    header_policies = _split_policies(page.values("content-security-policy"))
    meta_policies = _split_policies(
        html.http_equiv.get("content-security-policy", []) if html else []
    )
    try:
        csp = parse_csp(header_policies + meta_policies)
        header_only = parse_csp(header_policies)
        meta_only = {
            d: s for d, s in parse_csp(meta_policies).items() if d not in DIRECTIVES_NOT_IN_META
        }
    except InvalidPolicy:
        return Result("content-security-policy", "csp-header-invalid", False), {}
    if not header_only and not meta_only:
        reporting = page.first("content-security-policy-report-only")
        name = "csp-not-implemented-but-reporting-enabled" if reporting else "csp-not-implemented"
        return Result("content-security-policy", name, False), {}

    default = csp.get("default-src")
    script = set(csp.get("script-src") or default or {"*"})
    style = set(csp.get("style-src") or default or {"*"})
    objects = set(csp.get("object-src") or default or {"*"})
    for sources in (script, style):
        if any(s.startswith(NONCE_OR_HASH) for s in sources):
            sources.discard("'unsafe-inline'")  # browsers ignore it next to a nonce or hash
    result = None
    if "'strict-dynamic'" in script:
        if any(s.startswith(NONCE_OR_HASH) for s in script):
            script = {
                s
                for s in script
                if s not in ("'self'", "'unsafe-inline'")
                and not any(s.startswith(b) for b in BROAD_SOURCES)
            }
        else:
            result = "csp-header-invalid"

    passive = {"img-src", "media-src"}
    active_sources = [s for d, ss in csp.items() if d not in passive | {"script-src"} for s in ss]
    active_sources += list(script)
    passive_sources = [s for d in passive for s in (csp.get(d) or default or set())]
    secure_site = urlsplit(page.url).scheme == "https"

    def insecure(sources):
        return secure_site and any(s.startswith(("http:", "ftp:")) for s in sources)

    checks = [
        (
            script & (BROAD_SOURCES | INLINE_SOURCES) or objects & BROAD_SOURCES,
            "csp-implemented-with-unsafe-inline",
        ),
        (insecure(active_sources), "csp-implemented-with-insecure-scheme"),
        ("'unsafe-eval'" in script | style, "csp-implemented-with-unsafe-eval"),
        (insecure(passive_sources), "csp-implemented-with-insecure-scheme-in-passive-content-only"),
        (
            style & (BROAD_SOURCES | INLINE_SOURCES),
            "csp-implemented-with-unsafe-inline-in-style-src-only",
        ),
        (default == {"'none'"}, "csp-implemented-with-no-unsafe-default-src-none"),
        (True, "csp-implemented-with-no-unsafe"),
    ]
    result = result or next(name for failed, name in checks if failed)
    passed = result in (
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
    )
    return Result("content-security-policy", result, passed), header_only


# --- Cookies ------------------------------------------------------------------------------

#: Cookie results from the least to the most serious: a worse one replaces a milder one.
COOKIE_SEVERITY = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


def _parse_set_cookie(raw: str):
    """The cookie's name and its morsel, or ``None`` when it deletes itself (expired)."""
    jar = SimpleCookie()
    jar.load(raw)
    for name, morsel in jar.items():
        max_age = morsel["max-age"]
        if max_age not in ("", None) and int(max_age) <= 0:
            return None
        if morsel["expires"]:
            try:
                if parsedate_to_datetime(morsel["expires"]) <= timezone.now():
                    return None
            except (TypeError, ValueError):
                pass
        return name, morsel
    return None


def cookies_test(exchange: Exchange, hsts_passed: bool) -> Result:
    worst: str | None = None

    def worse(candidate: str) -> None:
        nonlocal worst
        if worst is None or COOKIE_SEVERITY.index(candidate) > COOKIE_SEVERITY.index(worst):
            worst = candidate

    cookies = []
    for raw in exchange.set_cookies:
        for part in raw.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.strip().lower() == "samesite" and value.strip().lower() not in (
                "lax",
                "strict",
                "none",
            ):
                worse("cookies-samesite-flag-invalid")
        parsed = _parse_set_cookie(raw)
        if parsed:
            cookies.append(parsed)
    if not cookies:
        return Result("cookies", "cookies-not-found", True)
    missing_samesite = False
    for name, morsel in cookies:
        lowered = name.lower()
        session = "login" in lowered or "sess" in lowered
        secure, http_only = bool(morsel["secure"]), bool(morsel["httponly"])
        same_site = (morsel["samesite"] or "").lower()
        if not secure and same_site == "none":
            worse("cookies-samesite-flag-invalid")
        if not secure:
            worse(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts_passed
                else "cookies-without-secure-flag"
            )
        if "csrf" in lowered and not same_site:
            worse("cookies-anticsrf-without-samesite-flag")
        if session and not secure:
            worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts_passed
                else "cookies-session-without-secure-flag"
            )
        if session and not http_only:
            worse("cookies-session-without-httponly-flag")
        missing_samesite = missing_samesite or not same_site
    if worst:
        return Result("cookies", worst, False)
    if missing_samesite:
        return Result("cookies", "cookies-secure-with-httponly-sessions", True)
    return Result("cookies", "cookies-secure-with-httponly-sessions-and-samesite", True)


# --- The other headers ----------------------------------------------------------------------


def cors_test(exchange: Exchange) -> Result:
    name = "cross-origin-resource-sharing-not-implemented"
    cors = exchange.cors
    allowed = cors.first("access-control-allow-origin") if cors else None
    if allowed:
        credentials = (cors.first("access-control-allow-credentials") or "").strip().lower()
        if allowed.strip() == "*":
            name = "cross-origin-resource-sharing-implemented-with-public-access"
        elif allowed.strip() == exchange.cors_origin and credentials == "true":
            name = "cross-origin-resource-sharing-implemented-with-universal-access"
        else:
            name = "cross-origin-resource-sharing-implemented-with-restricted-access"
    return Result("cross-origin-resource-sharing", name, not name.endswith("universal-access"))


def redirection_test(exchange: Exchange) -> Result:
    route = exchange.http_route
    if route is None:
        name = "redirection-not-needed-no-http"
    elif exchange.hsts_preloaded:
        name = "redirection-all-redirects-preloaded"
    elif len(route) == 1:
        name = "redirection-missing"
    elif urlsplit(route[-1]).scheme != "https":
        name = "redirection-not-to-https"
    elif urlsplit(route[1]).scheme == "http":
        name = "redirection-not-to-https-on-initial-redirection"
    elif urlsplit(route[0]).hostname != urlsplit(route[1]).hostname:
        name = "redirection-off-host-from-http"
    else:
        name = "redirection-to-https"
    passed = name in (
        "redirection-to-https",
        "redirection-not-needed-no-http",
        "redirection-all-redirects-preloaded",
    )
    return Result("redirection", name, passed)


def referrer_test(exchange: Exchange, html: HtmlFacts | None) -> Result:
    private = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]
    unsafe = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"]
    values = exchange.https.values("referrer-policy") + (
        html.http_equiv.get("referrer-policy", []) if html else []
    )
    if not values:
        return Result("referrer-policy", "referrer-policy-not-implemented", True)
    known = [
        v.strip().lower()
        for v in ",".join(values).split(",")
        if v.strip().lower() in private + unsafe
    ]
    policy = known[-1] if known else ""  # the last valid value wins
    if policy in private:
        return Result("referrer-policy", "referrer-policy-private", True)
    name = "referrer-policy-unsafe" if policy in unsafe else "referrer-policy-header-invalid"
    return Result("referrer-policy", name, False)


def hsts_test(exchange: Exchange) -> Result:
    values = exchange.https.values("strict-transport-security")
    name = "hsts-not-implemented"
    if values:
        header = values[0][:1024]
        max_age = None
        if "," not in header:
            for parameter in (p.strip().lower() for p in header.split(";")):
                if parameter.startswith("max-age="):
                    digits = parameter[8:128].strip().strip('"')
                    max_age = int(digits) if digits.isdigit() else None
        if max_age is None:
            name = "hsts-header-invalid"
        elif max_age < SIX_MONTHS:
            name = "hsts-implemented-max-age-less-than-six-months"
        else:
            name = "hsts-implemented-max-age-at-least-six-months"
    if exchange.hsts_preloaded:
        name = "hsts-preloaded"
    passed = name in ("hsts-implemented-max-age-at-least-six-months", "hsts-preloaded")
    return Result("strict-transport-security", name, passed)


def _registrable(host: str | None) -> str:
    """The last two labels of a host name (forum.exemple.fr → exemple.fr); the scanner uses
    the public suffix list, which this approximation does not carry."""
    return ".".join((host or "").lower().split(".")[-2:])


def sri_test(exchange: Exchange, html: HtmlFacts | None) -> Result:
    severity = [
        "sri-implemented-and-all-scripts-loaded-securely",
        "sri-implemented-and-external-scripts-loaded-securely",
        "sri-implemented-but-external-scripts-not-loaded-securely",
        "sri-not-implemented-but-external-scripts-loaded-securely",
        "sri-not-implemented-and-external-scripts-not-loaded-securely",
        "sri-not-implemented-response-not-html",
    ]
    if html is None:
        return Result("subresource-integrity", "sri-not-implemented-response-not-html", True)
    site = urlsplit(exchange.https.url)
    result: str | None = None
    foreign = False

    def worse(candidate: str) -> None:
        nonlocal result
        if result is None or severity.index(candidate) > severity.index(result):
            result = candidate

    for script in html.scripts:
        src = script.get("src")
        if not src:
            continue
        integrity = script.get("integrity")
        protocol_relative = src.startswith("//") and not src.startswith("///")
        absolute = src.lower().startswith(("http://", "https://"))
        relative = not protocol_relative and not absolute
        same_domain = relative or protocol_relative
        if absolute:
            same_domain = _registrable(urlsplit(src).hostname) == _registrable(site.hostname)
        secure_origin = relative or (same_domain and not protocol_relative)
        secure_scheme = (absolute and src.lower().startswith("https://")) or (
            relative and site.scheme == "https"
        )
        if not secure_origin:
            foreign = True
            if integrity and not secure_scheme:
                worse("sri-implemented-but-external-scripts-not-loaded-securely")
            elif not integrity and secure_scheme:
                worse("sri-not-implemented-but-external-scripts-loaded-securely")
            elif not integrity:
                worse("sri-not-implemented-and-external-scripts-not-loaded-securely")
        elif integrity and secure_scheme and result is None:
            result = "sri-implemented-and-all-scripts-loaded-securely"
    if not html.scripts:
        result = "sri-not-implemented-but-no-scripts-loaded"
    elif result is None:
        result = (
            "sri-implemented-and-external-scripts-loaded-securely"
            if foreign
            else "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
        )
    passed = MODIFIERS[result] >= 0
    return Result("subresource-integrity", result, passed)


def x_content_type_options_test(exchange: Exchange) -> Result:
    value = exchange.https.first("x-content-type-options")
    if value is None:
        name = "x-content-type-options-not-implemented"
    elif value.strip().lower() == "nosniff":
        name = "x-content-type-options-nosniff"
    else:
        name = "x-content-type-options-header-invalid"
    return Result("x-content-type-options", name, name == "x-content-type-options-nosniff")


def x_frame_options_test(exchange: Exchange, header_csp: dict[str, set[str]]) -> Result:
    value = (exchange.https.first("x-frame-options") or "").strip().lower()
    if not value:
        name = "x-frame-options-not-implemented"
    elif value in ("deny", "sameorigin"):
        name = "x-frame-options-sameorigin-or-deny"
    elif value.startswith("allow-from"):
        name = "x-frame-options-allow-from-origin"
    else:
        name = "x-frame-options-header-invalid"
    if "frame-ancestors" in header_csp:
        name = "x-frame-options-implemented-via-csp"
    return Result("x-frame-options", name, MODIFIERS[name] >= 0)


def corp_test(exchange: Exchange, html: HtmlFacts | None) -> Result:
    value = exchange.https.first("cross-origin-resource-policy")
    if value is None and html and html.http_equiv.get("cross-origin-resource-policy"):
        value = html.http_equiv["cross-origin-resource-policy"][-1]
    names = {
        "same-origin": "corp-implemented-with-same-origin",
        "same-site": "corp-implemented-with-same-site",
        "cross-origin": "corp-implemented-with-cross-origin",
    }
    if value is None:
        name = "corp-not-implemented"
    else:
        name = names.get(value[:256].strip().lower(), "corp-header-invalid")
    return Result("cross-origin-resource-policy", name, name != "corp-header-invalid")


# --- The score ------------------------------------------------------------------------------


def grade(score: int) -> str:
    return next(letter for floor, letter in GRADES if score >= floor)


def scan(exchange: Exchange) -> Score:
    """Run the ten tests and add up their modifiers the way the Observatory does."""
    html = html_facts(exchange.https)
    csp, header_csp = csp_test(exchange, html)
    hsts = hsts_test(exchange)
    results = [
        csp,
        cookies_test(exchange, hsts.passed),
        cors_test(exchange),
        redirection_test(exchange),
        referrer_test(exchange, html),
        hsts,
        sri_test(exchange, html),
        x_content_type_options_test(exchange),
        x_frame_options_test(exchange, header_csp),
        corp_test(exchange, html),
    ]
    penalties = 100 + sum(r.modifier for r in results if r.modifier < 0)
    total = penalties + sum(r.modifier for r in results if r.modifier > 0)
    score = max(total if penalties >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else penalties, 0)
    return Score(score=score, grade=grade(score), results=results)


def htmx_config(page: Page) -> dict | None:
    """The JSON of ``<meta name="htmx-config">``, or ``None`` when the page has none."""

    class _Finder(HTMLParser):
        config: dict | None = None

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "meta" and attributes.get("name") == "htmx-config":
                self.config = json.loads(attributes.get("content") or "{}")

    finder = _Finder()
    finder.feed(page.body)
    return finder.config
