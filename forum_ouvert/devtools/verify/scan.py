# A developer tool that drives local processes over a self-signed TLS certificate.
# ruff: noqa: S603, S607, S501
"""Security scanners against a throw-away copy of the site: wapiti and sqlmap, anonymously
and logged in as each role, over HTTPS with the production settings.

    .venv/bin/python -m forum_ouvert.devtools.verify.scan [--only wapiti|sqlmap]
        [--roles anonymous,citizen,…] [--max-scan-time 900] [--keep]
        [--split-over 6] [--min-params N] [--max-params N] [--match REGEX] [--parallel 8]
        [--no-rate-limits]

What it does, in order:

1. creates a PostgreSQL database ``fo_scan_<UTC timestamp>`` (never the demo's), migrates,
   imports the plan, seeds the demo and gives the DITP accounts (staff, admin) a TOTP
   authenticator; static files are collected into ``var/scan/static``;
2. generates a self-signed certificate and serves the site with gunicorn
   (``WEB_CONCURRENCY`` workers, two by default; ``forum_ouvert.settings.production``
   untouched, ``SECURE_SSL_REDIRECT`` on) on a free loopback port, and a local SMTP sink
   so that sign-up and password-reset e-mails go somewhere (production has an SMTP relay;
   without one they would be 500s);
3. logs in through the pages as each demo role (answering the two-factor step) and hands
   the session to wapiti (``-H Cookie``) and to sqlmap (``--cookie``);
4. wapiti: crawl and attack, bounded (``--max-scan-time``, ``--max-attack-time 60``);
   sqlmap: every parameter of every form and GET filter that the pages within two clicks
   of each role's start pages hold (listed by the harness, each form once whatever role
   found it); a form of more than ``--split-over`` parameters runs one process per
   parameter (``-p``), side by side;
5. reads the wapiti JSON reports and the sqlmap logs, greps the gunicorn access log for
   5xx, prints a table and exits non-zero on any finding in a forbidden category;
6. stops everything and drops the database (``--keep`` keeps it for investigation).

Reports land in ``var/scan/<timestamp>/``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[3]
SCAN_DIR = ROOT / "var" / "scan"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = os.environ.get("SCAN_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("SCAN_REDIS_URL", "redis://127.0.0.1:6379/15")

ROLES = ["anonymous", "citizen", "association", "lead", "staff", "admin"]
#: The demo accounts that get an authenticator app (the DITP and the leads: /pilotage/ and /admin/).
MFA_ROLES = ("lead", "staff", "admin")
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (the demo's, throw-away)

#: What item 12 asks for: injections, files, redirects, CRLF, XXE, headers and cookies.
#: (Time-based blind SQL is sqlmap's job below; ssrf needs wapiti's Internet endpoint.)
WAPITI_MODULES = "exec,file,sql,xss,permanentxss,redirect,crlf,xxe,http_headers,csp,cookieflags"
#: wapiti categories that fail the scan: injections, files, redirects, CRLF, XXE, headers
#: and cookies, and any 500 the scanner triggered.
WAPITI_FORBIDDEN = {
    "SQL Injection",
    "Blind SQL Injection",
    "Command execution",
    "Path Traversal",
    "CRLF Injection",
    "XML External Entity",
    "Open Redirect",
    "Server Side Request Forgery",
    "Cross Site Scripting",
    "Stored Cross Site Scripting",
    "HTTP Secure Headers",
    "HttpOnly Flag cookie",
    "Secure Flag cookie",
    "Content Security Policy Configuration",
    "Htaccess Bypass",
    "Internal Server Error",
    WAPITI_NO_REPORT := "(wapiti n'a pas produit de rapport)",
}


def log(message: str) -> None:
    print(f"[scan {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- A local SMTP sink ------------------------------------------------------------


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept and drop a message (no TLS, no auth)."""

    def handle(self):
        self.wfile.write(b"220 scan-sink ESMTP\r\n")
        in_data = False
        for raw in self.rfile:
            line = raw.rstrip(b"\r\n")
            if in_data:
                if line == b".":
                    in_data = False
                    self.server.count += 1
                    self.wfile.write(b"250 OK\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-scan-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    count = 0


# --- The site under test ------------------------------------------------------------


class Site:
    """A throw-away database served by gunicorn over HTTPS with the production settings."""

    def __init__(self, run_dir: Path, *, rate_limits: bool = True):
        self.run_dir = run_dir
        self.stamp = run_dir.name
        self.db_name = f"fo_scan_{self.stamp}"
        self.port = free_port()
        self.base = f"https://127.0.0.1:{self.port}"
        self.access_log = run_dir / "gunicorn-access.log"
        self.error_log = run_dir / "gunicorn-error.log"
        self.django_log = run_dir / "django.log"  # the application's own log: tracebacks
        self.smtp = SmtpSink(("127.0.0.1", 0), _SmtpSink)
        threading.Thread(target=self.smtp.serve_forever, daemon=True).start()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "forum_ouvert.settings."
            + ("production" if rate_limits else "scan"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"{PG}/{self.db_name}",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": f"scan{self.stamp}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.server_address[1]),
            "EMAIL_USE_TLS": "false",
            "STATIC_ROOT": str(SCAN_DIR / "static"),
            "MEDIA_ROOT": str(run_dir / "media"),
            "SITE_URL": self.base,
            "LOG_LEVEL": "WARNING",
        }
        self.server: subprocess.Popen | None = None

    def manage(self, *args: str) -> None:
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def create(self) -> None:
        log(f"base jetable {self.db_name}")
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", f'CREATE DATABASE "{self.db_name}"'], check=True
        )
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("import_plan", "engagements/data/plan-2024-2026.json")
        self.manage("seed_demo", "--force")  # a throw-away database, production settings
        self.manage(
            "shell",
            "-c",
            "from allauth.mfa.totp.internal.auth import TOTP\n"
            "from forum_ouvert.portal.demo import ACCOUNTS\n"
            "from forum_ouvert.core.models import User\n"
            f"for acc in [a for a in ACCOUNTS if a.key in {MFA_ROLES!r}]:\n"
            f"    TOTP.activate(User.objects.get(email=acc.email), {TOTP_SECRET!r})\n",
        )
        self.manage("collectstatic", "--noinput", "-v", "0")

    def certificate(self) -> tuple[Path, Path]:
        tls = SCAN_DIR / "tls"
        tls.mkdir(parents=True, exist_ok=True)
        cert, key = tls / "cert.pem", tls / "key.pem"
        if not cert.exists():
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30"]
                + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
                + ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                check=True,
                capture_output=True,
            )
        return cert, key

    def serve(self) -> None:
        cert, key = self.certificate()
        self.server = subprocess.Popen(
            [GUNICORN, "forum_ouvert.wsgi", "-c", "python:forum_ouvert.gunicorn"]
            + ["--bind", f"127.0.0.1:{self.port}", "--timeout", "60"]
            + ["--certfile", str(cert), "--keyfile", str(key)]
            + ["--access-logfile", str(self.access_log), "--error-logfile", str(self.error_log)],
            cwd=ROOT,
            env=self.env,
            stdout=self.django_log.open("a"),
            stderr=subprocess.STDOUT,
        )
        import httpx

        for _ in range(60):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/healthz", verify=False, timeout=2).status_code == 200:  # nosec B501 (the scan's own self-signed loopback certificate)
                    log(f"gunicorn prêt sur {self.base} (pid {self.server.pid})")
                    return
            time.sleep(1)
        raise RuntimeError(f"gunicorn ne répond pas : voir {self.error_log}")

    def login(self, role: str) -> dict[str, str]:
        """Log in through the pages as the demo account of ``role``; its cookies."""
        import httpx
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        from forum_ouvert.portal.demo import ACCOUNTS, DEMO_PASSWORD

        if role == "anonymous":
            return {}
        email = next(a.email for a in ACCOUNTS if a.key == role)
        with httpx.Client(base_url=self.base, verify=False, follow_redirects=True) as client:  # nosec B501 (the scan's own self-signed loopback certificate)

            def post_form(path: str, data: dict) -> httpx.Response:
                page = client.get(path)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
                return client.post(
                    str(page.url),
                    data={"csrfmiddlewaretoken": token.group(1), **data},
                    headers={"Referer": str(page.url)},
                )

            for _ in range(6):  # the scanners' failed logins may have hit the IP's limit
                response = post_form("/compte/login/", {"login": email, "password": DEMO_PASSWORD})
                if response.status_code != 429:
                    break
                time.sleep(20)
            if "/compte/2fa/authenticate/" in str(response.url):
                counter = next(yield_hotp_counters_from_time())
                code = format_hotp_value(hotp_value(TOTP_SECRET, counter))
                response = post_form("/compte/2fa/authenticate/", {"code": code})
            me = client.get("/mon-espace/")
            if me.status_code != 200 or "/compte/login/" in str(me.url):
                raise RuntimeError(f"connexion impossible pour {role} ({response.status_code})")
            if role in MFA_ROLES and client.get("/pilotage/").status_code != 200:
                raise RuntimeError(f"{role} : /pilotage/ refusé malgré la double authentification")
            return {c.name: c.value for c in client.cookies.jar}

    def server_errors(self, since: int = 0) -> list[str]:
        """Access-log lines with a 5xx status, from byte ``since`` on."""
        if not self.access_log.exists():
            return []
        with self.access_log.open("rb") as fh:
            fh.seek(since)
            lines = fh.read().decode(errors="replace").splitlines()
        return [line for line in lines if re.search(r'" 5\d\d ', line)]

    def stop(self, keep: bool) -> None:
        if self.server and self.server.poll() is None:
            self.server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.server.wait(timeout=30)
        self.smtp.shutdown()
        if keep:
            log(f"base conservée : {self.env['DATABASE_URL']}")
        else:
            subprocess.run(
                ["psql", f"{PG}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{self.db_name}"'],
                check=False,
            )
            log(f"base {self.db_name} supprimée")


# --- wapiti -------------------------------------------------------------------------

#: Never crawled nor attacked: they would end the scanner's session or change its account.
EXCLUDED_ANONYMOUS = ["/compte/logout/*"]
EXCLUDED_LOGGED_IN = [
    "/compte/*",
    "/mon-espace/compte/supprimer/*",
    "/admin/logout/*",
    "/admin/password_change/*",
    "/admin/core/user/*",
    "/admin/sessions/*",
    "/admin/mfa/*",
    "/admin/account/*",
]


#: Debian's wapiti 3.0.4 on Python 3.11 crashes on any ``-x``: its wildcard translation puts
#: the regex's global flags last, which Python 3.11 refuses. Run it with that one function
#: fixed (same meaning: ``*`` matches anything, the rest is literal).
WAPITI_PATCH = (
    "import re, sys\n"
    "import wapitiCore.net.crawler as crawler\n"
    "crawler.wildcard_translate = lambda p: re.compile("
    "'(?ms)' + '.*'.join(re.escape(part) for part in p.split('*')) + r'\\Z')\n"
)
WAPITI = [
    "/usr/bin/python3",
    "-c",
    WAPITI_PATCH + "from wapitiCore.main.wapiti import wapiti_main\n"
    "sys.argv[0] = 'wapiti'\n"
    "sys.exit(wapiti_main())\n",
]


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def run_wapiti(site: Site, role: str, cookies: dict, max_scan_time: int) -> dict:
    report = site.run_dir / f"wapiti-{role}.json"
    excluded = EXCLUDED_ANONYMOUS if role == "anonymous" else EXCLUDED_LOGGED_IN
    cmd = [*WAPITI, "-u", f"{site.base}/", "--scope", "folder", "-m", WAPITI_MODULES]
    cmd += ["--max-scan-time", str(max_scan_time), "--max-attack-time", "60"]
    cmd += ["--max-links-per-page", "60", "--max-files-per-dir", "40", "-d", "4"]
    cmd += ["--verify-ssl", "0", "-t", "20", "-S", "normal", "--flush-session"]
    cmd += ["--store-session", str(site.run_dir / f"wapiti-session-{role}")]
    cmd += ["-f", "json", "-o", str(report), "-v", "1", "--color"]
    # A same-origin Referer: Django checks it on every unsafe request made over HTTPS.
    cmd += ["-H", f"Referer: {site.base}/"]
    if cookies:
        cmd += ["-H", f"Cookie: {cookie_header(cookies)}"]
    for path in excluded:
        cmd += ["-x", f"{site.base}{path}"]
    # Logged in, the crawl starts in the role's own pages too: from / alone, the time
    # limit would be spent on the public pages that the anonymous scan already covers.
    for path in SQLMAP_STARTS[role] if cookies else []:
        cmd += ["-s", f"{site.base}{path}"]
    started = time.monotonic()
    # wapiti 3.0.4 checks --max-scan-time between crawled pages and --max-attack-time
    # between attacked requests only: a hard limit above both, in case one never returns.
    hard_limit = max_scan_time + 60 * (WAPITI_MODULES.count(",") + 1) + 600
    with (site.run_dir / f"wapiti-{role}.log").open("w") as out:
        try:
            subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=hard_limit)
        except subprocess.TimeoutExpired:
            out.write(f"\n[scan] wapiti arrêté après {hard_limit} s\n")
    return {
        "role": role,
        "seconds": round(time.monotonic() - started),
        "findings": parse_wapiti_report(report),
    }


def parse_wapiti_report(report: Path) -> dict[str, list[dict]]:
    """wapiti's JSON report: the findings by category (vulnerabilities and anomalies)."""
    if not report.exists():
        return {WAPITI_NO_REPORT: [{"info": f"voir {report.stem}.log"}]}
    findings = {}
    data = json.loads(report.read_text())
    for section in ("vulnerabilities", "anomalies"):
        for category, items in data.get(section, {}).items():
            if items:
                findings[category] = [
                    {key: i.get(key) for key in ("info", "method", "path", "parameter")}
                    for i in items
                ]
    return findings


def report_from_files(run_dir: Path) -> int:
    """Read a run's directory again (e.g. a run stopped before its end) and report on it."""
    wapiti_results = [
        {
            "role": path.stem.removeprefix("wapiti-"),
            "seconds": 0,
            "findings": parse_wapiti_report(path.with_suffix(".json")),
        }
        for path in sorted(run_dir.glob("wapiti-*.log"))
    ]
    sqlmap_results = []
    for log_file in sorted((run_dir / "sqlmap").glob("*.log")):
        parsed = parse_sqlmap_log(log_file)
        text = log_file.read_text(errors="replace")
        sqlmap_results.append(
            {
                "role": log_file.stem.split("_")[1 if log_file.stem[:3].isdigit() else 0],
                "target": log_file.stem,
                "params": sorted(
                    set(re.findall(r"parameter '([^']+)'", text)) - set(SQLMAP_SKIPPED)
                ),
                "seconds": 0,
                "timed_out": "ending @" not in text,
                "skipped": False,
                **parsed,
            }
        )
    errors = []
    for line in (run_dir / "gunicorn-access.log").read_text(errors="replace").splitlines():
        if re.search(r'" 5\d\d ', line):
            errors.append(line)
    failures = report(wapiti_results, sqlmap_results, errors, mails=0)
    return 1 if failures else 0


# --- sqlmap -------------------------------------------------------------------------

SQLMAP_VULNERABLE = re.compile(
    r"is vulnerable|appears to be .*injectable|might be injectable|sqlmap identified", re.I
)
#: Pages never followed when listing the forms: they end the session, delete the account,
#: or are files rather than pages.
NOT_FOLLOWED = re.compile(
    r"/logout/|/supprimer/|/compte/(password|email|2fa|reauthenticate)|/admin/(core/user|"
    r"password_change|logout)|\.(pdf|csv|json|ics|atom|xml|txt)$|^/(static|media)/"
)


@dataclass(frozen=True)
class Target:
    """One request that sqlmap attacks: every parameter of one form, or one filtered URL."""

    method: str
    url: str
    params: tuple[tuple[str, str], ...]
    page: str  # where the form is, to fetch a fresh CSRF token

    @property
    def key(self) -> tuple:
        """Same view, same method, same parameters: the same code, tested once."""
        from django.urls import Resolver404, resolve

        path = urlsplit(self.url).path
        try:
            view = resolve(path).view_name
        except Resolver404:
            view = path
        return (self.method, view, tuple(sorted({name for name, _ in self.params})))


class _Forms(HTMLParser):
    """The links and forms of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").upper(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name, kind = a.get("name"), (a.get("type") or "").lower()
            if not name or kind in ("file", "image", "reset"):
                return
            if kind in ("checkbox", "radio", "submit") and any(
                n == name for n, _ in self._form["fields"]
            ):
                return  # one value per name is enough to test it
            value = a.get("value") or ""
            if tag == "select":
                self._select = name
                value = None  # the first option's value
            elif not value and kind in ("", "text", "search", "textarea"):
                value = "1"
            elif not value and kind == "email":
                value = "scan@example.org"
            self._form["fields"].append([name, value])
        elif tag == "option" and self._form is not None and self._select:
            for field in self._form["fields"]:
                if field[0] == self._select and field[1] is None:
                    field[1] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def list_targets(site: Site, cookies: dict, starts: list[str], max_pages: int) -> list[Target]:
    """Every form and every link with a query string within two clicks of ``starts``."""
    import httpx

    targets: dict[tuple, Target] = {}
    seen: set[str] = set()
    queue = [(path, 0) for path in starts]
    with httpx.Client(base_url=site.base, verify=False, cookies=cookies, timeout=30) as client:  # nosec B501 (the scan's own self-signed loopback certificate)
        while queue and len(seen) < max_pages:
            path, depth = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            try:
                response = client.get(path)
            except httpx.HTTPError:
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            parser = _Forms()
            parser.feed(response.text)
            page = f"{site.base}{path}"
            for href in parser.links:
                url = urljoin(page, href)
                parts = urlsplit(url)
                if f"{parts.scheme}://{parts.netloc}" != site.base or NOT_FOLLOWED.search(
                    parts.path
                ):
                    continue
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if parts.query:
                    params = tuple(parse_qsl(parts.query, keep_blank_values=True))
                    target = Target("GET", f"{site.base}{parts.path}", params, page)
                    targets.setdefault(target.key, target)
                if depth < 2 and local not in seen:
                    queue.append((local, depth + 1))
            for form in parser.forms:
                url = urljoin(page, form["action"] or path)
                if NOT_FOLLOWED.search(urlsplit(url).path):
                    continue
                params = tuple((n, v or "") for n, v in form["fields"])
                if not any(n != "csrfmiddlewaretoken" for n, _ in params):
                    continue
                target = Target(form["method"], url.split("?")[0], params, page)
                targets.setdefault(target.key, target)
    return list(targets.values())


#: Parameters sqlmap is told to leave alone: the session and CSRF cookies and the CSRF
#: field are the framework's, not the application's; testing them only logs it out.
SQLMAP_SKIPPED = ("__Host-sessionid", "__Host-csrftoken", "csrfmiddlewaretoken")


def attacked(target: Target) -> list[str]:
    """The parameters of ``target`` that sqlmap attacks, each once, in the form's order."""
    return list(dict.fromkeys(n for n, _ in target.params if n not in SQLMAP_SKIPPED))


@dataclass(frozen=True)
class Job:
    """One sqlmap process: ``target`` as the role, on ``only`` its parameters if given."""

    role: str
    target: Target
    only: tuple[str, ...] = ()

    @property
    def params(self) -> list[str]:
        return list(self.only) or attacked(self.target)


def sqlmap_jobs(listed: list[tuple[str, Target]], split_over: int) -> list[Job]:
    """One job per target; a target with more than ``split_over`` parameters becomes one
    job per parameter (``-p``), so that its parameters run side by side: sqlmap tests a
    form's parameters one after another, about three minutes each on the 20-to-32-field
    forms, which no per-target limit could cover."""
    jobs = []
    for role, target in listed:
        params = attacked(target)
        if split_over and len(params) > split_over:
            jobs += [Job(role, target, (name,)) for name in params]
        else:
            jobs.append(Job(role, target))
    # Longest first (by parameters), so that the last to start are the shortest.
    return sorted(jobs, key=lambda job: -len(job.params))


def run_sqlmap(
    site: Site, cookies: dict, job: Job, index: int, timeout: int, deadline: float
) -> dict:
    """sqlmap on the parameters of ``job``; not started after ``deadline`` (monotonic)."""
    target = job.target
    path = urlsplit(target.url).path
    only = f"_{job.only[0]}" if len(job.only) == 1 else ""
    name = re.sub(r"\W+", "_", f"{index:03d}_{job.role}_{target.method}_{path}{only}").strip("_")
    result = {
        "role": job.role,
        "target": f"{target.method} {path}",
        "form": list(target.key[2]),  # with role and target: one form, however many processes
        "params": job.params,
        "log": f"sqlmap/{name}.log",
    }
    timeout = min(timeout, int(deadline - time.monotonic()))
    if timeout < 30:
        return {
            **result,
            **{"skipped": True, "seconds": 0, "timed_out": False, "tested": [], "finished": []},
        }
    out_dir = site.run_dir / "sqlmap" / name
    out_dir.mkdir(parents=True, exist_ok=True)
    data = urlencode(target.params)
    cmd = ["sqlmap", "--batch", "--level", "2", "--risk", "1", "--technique", "BEUST"]
    cmd += ["--time-sec", "2", "--timeout", "15", "--retries", "1", "--disable-coloring"]
    # The database is known: PostgreSQL's payloads only, four times fewer requests.
    cmd += ["--dbms", "PostgreSQL"]
    cmd += ["--output-dir", str(out_dir), "--flush-session", "--referer", target.page]
    cmd += ["--skip", ",".join(SQLMAP_SKIPPED)]
    if job.only:
        cmd += ["-p", ",".join(job.only)]
    if target.method == "GET":
        cmd += ["-u", f"{target.url}?{data}"]
    else:
        cmd += ["-u", target.url, "--data", data, "--csrf-token", "csrfmiddlewaretoken"]
        cmd += ["--csrf-url", target.page]
    if cookies:
        cmd += ["--cookie", cookie_header(cookies), "--drop-set-cookie"]
    started = time.monotonic()
    logfile = site.run_dir / "sqlmap" / f"{name}.log"
    with logfile.open("w") as out:
        try:
            subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, check=False)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
    return {
        **result,
        "skipped": False,
        "seconds": round(time.monotonic() - started),
        "timed_out": timed_out,
        **parse_sqlmap_log(logfile),
    }


def sqlmap_hits(lines: list[str]) -> list[str]:
    """Injections sqlmap confirmed, and the candidates it had no time to check: a candidate
    (« appears to be … injectable », or the heuristic's « might be injectable ») that its
    own false-positive check then rejected, or after which it went through every test and
    concluded « does not seem to be injectable », is not one (rate-limited or refused
    answers, the admin's ``?e=1`` redirect on a bad filter, make pages differ)."""
    confirmed, pending, last_checked = [], {}, None
    for line in lines:
        candidate = re.search(r"parameter '([^']+)' (?:appears to be|might be) .*injectable", line)
        checked = re.search(r"injection point on \S+ parameter '([^']+)' is a false positive", line)
        cleared = re.search(r"parameter '([^']+)' does not seem to be injectable", line)
        if candidate:
            pending[candidate.group(1)] = line
        elif checked:
            last_checked = checked.group(1)
        elif "false positive or unexploitable injection point detected" in line:
            pending.pop(last_checked, None)
        elif cleared:  # sqlmap's verdict once every test ran: hints before it are void
            pending.pop(cleared.group(1), None)
        elif re.search(r"is vulnerable|sqlmap identified the following injection", line):
            confirmed.append(line)
    return confirmed + [f"NON CONFIRMÉ (vérification non faite) : {p}" for p in pending.values()]


def parse_sqlmap_log(logfile: Path) -> dict:
    """The parameters sqlmap got to (``tested``) and went through to the end (``finished``:
    « does not seem to be injectable », or an injection found), its findings and errors."""
    lines = logfile.read_text(errors="replace").splitlines() if logfile.exists() else []
    text = "\n".join(lines)
    return {
        "tested": sorted(
            set(re.findall(r"testing for SQL injection on \S+ parameter '([^']+)'", text))
        ),
        "finished": sorted(
            set(re.findall(r"parameter '([^']+)' does not seem to be injectable", text))
            | set(re.findall(r"\S+ parameter '([^']+)' is vulnerable", text))
        ),
        "hits": sqlmap_hits(lines),
        "problems": [
            line
            for line in lines
            if "[CRITICAL]" in line and "not appear to be injectable" not in line
        ],
    }


#: Where the listing of forms starts for each role (then two clicks deep).
SQLMAP_STARTS = {
    "anonymous": ["/", "/engagements/", "/contributions/", "/ateliers/", "/forum/ami/"]
    + ["/depot/", "/territoires/", "/compte/login/", "/compte/signup/"]
    + ["/compte/password/reset/", "/attestations/"],
    "citizen": ["/mon-espace/", "/contributions/", "/ateliers/"],
    "association": ["/mon-espace/", "/forum/ami/", "/mon-espace/candidatures/"],
    "lead": ["/mon-espace/", "/pilotage/engagements/"],
    "staff": ["/pilotage/", "/pilotage/ami/candidatures/", "/pilotage/contributions/"]
    + ["/pilotage/ateliers/", "/pilotage/rapports/", "/pilotage/plans/"],
    "admin": ["/pilotage/", "/admin/"],
}


# --- Orchestration ------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["wapiti", "sqlmap"])
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--max-scan-time", type=int, default=300, help="exploration wapiti")
    parser.add_argument("--sqlmap-timeout", type=int, default=900, help="par cible")
    parser.add_argument(
        "--sqlmap-budget", type=int, default=3600, help="pour toutes les cibles (secondes)"
    )
    parser.add_argument("--max-pages", type=int, default=80, help="pages lues par rôle")
    parser.add_argument("--parallel", type=int, default=8, help="scanners en même temps")
    parser.add_argument("--keep", action="store_true", help="garder la base après le scan")
    parser.add_argument("--reuse", metavar="STAMP", help="reprendre la base gardée d'un run")
    parser.add_argument("--report", metavar="STAMP", help="relire les rapports d'un run")
    parser.add_argument("--targets", metavar="STAMP", help="les cibles sqlmap d'un run")
    parser.add_argument("--wapiti-roles", help="les rôles pour wapiti (défaut : --roles)")
    parser.add_argument(
        "--split-over",
        type=int,
        default=6,
        help="au-delà de ce nombre de paramètres, un processus sqlmap par paramètre (0 : jamais)",
    )
    parser.add_argument(
        "--min-params", type=int, default=0, help="seulement les cibles d'au moins N paramètres"
    )
    parser.add_argument(
        "--max-params", type=int, default=0, help="seulement les cibles d'au plus N paramètres"
    )
    parser.add_argument(
        "--match", metavar="REGEX", help="seulement les cibles dont le chemin correspond"
    )
    parser.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="limites de débit levées (settings.scan) : chaque requête atteint le code",
    )
    args = parser.parse_args(argv)
    if args.report:
        return report_from_files(SCAN_DIR / args.report)
    roles = [r for r in args.roles.split(",") if r]
    for tool in ("wapiti", "sqlmap", "openssl", "psql"):
        if not shutil.which(tool):
            print(f"{tool} est introuvable (paquet Debian).", file=sys.stderr)
            return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum_ouvert.settings.development")
    import django

    django.setup()  # demo accounts, TOTP helpers, URL resolving: no database access
    logging.getLogger("httpx").setLevel(logging.WARNING)

    run_dir = SCAN_DIR / (args.reuse or datetime.now(UTC).strftime("%Y%m%d%H%M%S"))
    run_dir.mkdir(parents=True, exist_ok=bool(args.reuse))
    site = Site(run_dir, rate_limits=not args.no_rate_limits)
    started = time.monotonic()
    wapiti_results, sqlmap_results = [], []
    try:
        if not args.reuse:
            site.create()
        site.serve()
        sessions = {role: site.login(role) for role in roles}
        (run_dir / "sessions.json").write_text(json.dumps(sessions, indent=2))
        with ThreadPoolExecutor(max_workers=args.parallel) as pool:
            jobs = []
            if args.only in (None, "wapiti"):
                jobs += [
                    ("wapiti", pool.submit(run_wapiti, site, r, sessions[r], args.max_scan_time))
                    for r in (args.wapiti_roles.split(",") if args.wapiti_roles else roles)
                ]
            if args.only in (None, "sqlmap"):
                # A form or filter already listed for a previous role is the same code.
                listed: dict[tuple, tuple[str, Target]] = {}
                if args.targets:  # the forms another run listed, on this run's server
                    for r, m, u, p, page in json.loads(
                        (SCAN_DIR / args.targets / "sqlmap-targets.json").read_text()
                    ):
                        if r in roles:
                            u, page = (re.sub(r"^https://[^/]+", site.base, x) for x in (u, page))
                            target = Target(m, u, tuple(map(tuple, p)), page)
                            listed.setdefault(target.key, (r, target))
                for role in roles if not args.targets else []:
                    for target in list_targets(
                        site, sessions[role], SQLMAP_STARTS[role], args.max_pages
                    ):
                        listed.setdefault(target.key, (role, target))
                (run_dir / "sqlmap-targets.json").write_text(
                    json.dumps(
                        [[r, t.method, t.url, t.params, t.page] for r, t in listed.values()],
                        indent=1,
                    )
                )
                chosen = [
                    (r, t)
                    for r, t in listed.values()
                    if args.min_params <= len(attacked(t)) <= (args.max_params or len(attacked(t)))
                    and re.search(args.match or "", urlsplit(t.url).path)
                ]
                sqlmap = sqlmap_jobs(chosen, args.split_over)
                log(
                    f"sqlmap : {len(chosen)} formulaires et filtres à tester "
                    f"({sum(len(j.params) for j in sqlmap)} paramètres, {len(sqlmap)} processus)"
                )
                deadline = time.monotonic() + args.sqlmap_budget
                jobs += [
                    (
                        "sqlmap",
                        pool.submit(
                            run_sqlmap,
                            site,
                            sessions[j.role],
                            j,
                            i,
                            args.sqlmap_timeout,
                            deadline,
                        ),
                    )
                    for i, j in enumerate(sqlmap)
                ]
            for tool, job in jobs:
                result = job.result()
                (wapiti_results if tool == "wapiti" else sqlmap_results).append(result)
                what = result.get("target", "")
                if tool == "sqlmap" and len(result["params"]) == 1:
                    what += f" [{result['params'][0]}]"
                log(f"{tool} {result['role']} {what} terminé en {result['seconds']} s")
        errors = site.server_errors()
    finally:
        site.stop(keep=args.keep or bool(args.reuse))

    failures = report(wapiti_results, sqlmap_results, errors, site.smtp.count)
    summary = {
        "seconds": round(time.monotonic() - started),
        "wapiti": wapiti_results,
        "sqlmap": sqlmap_results,
        "server_errors": errors,
        "failures": failures,
    }
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    log(f"durée totale {summary['seconds']} s ; rapports dans {run_dir}")
    return 1 if failures else 0


def report_sqlmap(results: list[dict]) -> list[str]:
    """One line per form or filter (its per-parameter jobs together) and the coverage:
    parameters sqlmap went through to the end, of all those it was to attack."""
    failures: list[str] = []
    by_target: dict[tuple, list[dict]] = {}
    for result in results:
        form = tuple(result.get("form", ()))
        by_target.setdefault((result["role"], result["target"], form), []).append(result)
    print("\nsqlmap — chaque formulaire et filtre (rôle qui l'a trouvé le premier)")
    totals = Counter()
    for (role, target, _form), jobs in by_target.items():
        params = {p for job in jobs for p in job["params"]}
        finished = {p for job in jobs for p in job.get("finished", job["tested"])} & params
        hits = [h for job in jobs for h in job["hits"]]
        timed_out = sum(job["timed_out"] for job in jobs)
        skipped = sum(job["skipped"] for job in jobs)
        totals.update(
            params=len(params),
            finished=len(finished),
            targets=1,
            jobs=len(jobs),
            timed_out=timed_out,
            skipped=skipped,
        )
        state = "TEMPS ÉCOULÉ" if timed_out else "non lancée" if skipped == len(jobs) else "fini"
        seconds = max(job["seconds"] for job in jobs)
        print(
            f"  {role:<12} {target:<56} {len(finished):>2}/{len(params):<2} param. "
            f"{seconds:>4} s  {len(hits)} injection(s)  [{state}]"
            + (f"  ({len(jobs)} processus)" if len(jobs) > 1 else "")
        )
        failures += [f"sqlmap {role} {target}: {h}" for h in hits]
        for line in [line for job in jobs for line in job["problems"]][:3]:
            print(f"      {line}")
        if unfinished := sorted(params - finished):
            print(f"      non terminés : {', '.join(unfinished)}")
    print(
        f"  {totals['targets']} cibles en {totals['jobs']} processus : "
        f"{totals['timed_out']} interrompus (limite par processus), {totals['skipped']} non "
        f"lancés (budget épuisé) ; {totals['finished']}/{totals['params']} paramètres testés "
        "jusqu'au bout"
    )
    return failures


def report(wapiti_results, sqlmap_results, errors, mails) -> list[str]:
    failures: list[str] = []
    if wapiti_results:
        print("\nwapiti — constats par rôle et catégorie")
        for result in wapiti_results:
            counts = Counter()
            for category, items in result["findings"].items():
                for item in items:
                    counts[category] += 1
                    if category in WAPITI_FORBIDDEN:
                        failures.append(f"wapiti {result['role']}: {category} {item}")
            total = sum(counts.values())
            print(f"  {result['role']:<12} {result['seconds']:>5} s  {total} constat(s)")
            for category, n in sorted(counts.items()):
                mark = "ÉCHEC" if category in WAPITI_FORBIDDEN else "info"
                print(f"      {n:>4}  {category}  [{mark}]")
    if sqlmap_results:
        failures += report_sqlmap(sqlmap_results)
    print(f"\nRéponses 5xx dans le journal d'accès : {len(errors)}")
    for line in errors[:50]:
        print(f"  {line}")
    failures += [f"5xx: {line}" for line in errors]
    print(f"Courriels reçus par le puits SMTP : {mails}")
    print(f"\n{'ÉCHEC' if failures else 'OK'} : {len(failures)} constat(s) bloquant(s)")
    return failures


if __name__ == "__main__":
    sys.exit(main())
