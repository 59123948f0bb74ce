"""Item 13 — two app servers, one state.

Two gunicorns (production settings) on two ports share the verify PostgreSQL and Redis;
requests alternate between them by hand:

- a session opened on A (a real login, production password hasher) works on B;
- the hourly contribution limit counts across both (10 accepted, then 429 on either);
- a contribution posted on A shows on B's consultation page at once (no stale cache), and
  is gone from it once withdrawn on A;
- a PDF attached to an application uploaded through A is downloaded, identical, from B
  (media through Django's storage API, on storage both servers share).
"""

from __future__ import annotations

import http.client
import http.cookies
import re
import secrets
import time
import urllib.parse
import uuid

from . import common, dataset, infra

PASSWORD = "verify-scale-" + "p" * 16
#: A new call each run: an organisation applies once per call.
CALL = f"verify-ami-{uuid.uuid4().hex[:8]}"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n% " + b"verify " * 200 + b"\n%%EOF\n"

SETUP_CODE = """
import datetime as dt
from allauth.account.models import EmailAddress
from django.utils import timezone
from forum_ouvert.core.models import User
from participation.forum.models import Call, CallPhase
user, _ = User.objects.get_or_create(email="verify-scale@verify.invalid",
                                     defaults={{"role": "association"}})
user.set_password({password!r})
user.save()
EmailAddress.objects.update_or_create(
    user=user, email=user.email, defaults={{"verified": True, "primary": True}})
now = timezone.now()
Call.objects.update_or_create(slug={call!r}, defaults={{
    "title": "AMI de vérification", "presentation": "—", "eligibility": "—",
    "opens_at": now - dt.timedelta(days=1), "closes_at": now + dt.timedelta(days=365),
    "phase": CallPhase.OPEN}})
print("ok")
"""


class Browser:
    """A client that keeps its cookies (``__Host-`` cookies are Secure: kept by hand) and
    may send each request to either server."""

    def __init__(self):
        self.cookies: dict[str, str] = {"__Host-csrftoken": secrets.token_hex(16)}

    def request(self, port: int, method: str, path: str, *, fields=None, files=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://127.0.0.1:{port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if fields is not None:
            fields = {"csrfmiddlewaretoken": self.cookies["__Host-csrftoken"], **fields}
            if files:
                boundary = uuid.uuid4().hex
                body = _multipart(boundary, fields, files)
                headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                body = urllib.parse.urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers.get("Location", ""), content


def _multipart(boundary: str, fields: dict, files: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def _session(a: int, b: int) -> tuple[dict, Browser]:
    browser = Browser()
    login = browser.request(
        a,
        "POST",
        "/compte/login/",
        fields={"login": "verify-scale@verify.invalid", "password": PASSWORD},
    )
    status_b, _loc, page = browser.request(b, "GET", "/mon-espace/")
    anonymous = Browser().request(b, "GET", "/mon-espace/")[0]
    ok = login[0] == 302 and status_b == 200 and b"verify-scale" in page and anonymous == 302
    return {"login_on_A": login[0], "my_space_on_B": status_b, "ok": ok}, browser


def _rate_limit(a: int, b: int) -> dict:
    _email, _pk, session = dataset.sessions(prefix="verify-scale-rl", count=1)[0]
    browser = Browser()
    browser.cookies["__Host-sessionid"] = session
    theme = _theme()
    statuses = []
    for i in range(12):
        port = (a, b)[i % 2]
        statuses.append(
            browser.request(
                port,
                "POST",
                f"/contributions/{common.CONSULTATION}/contribuer/",
                fields={
                    "title": f"Limite partagée {i}",
                    "theme": theme,
                    "body": "Une contribution pour vérifier la limite partagée entre serveurs.",
                },
            )[0]
        )
    ok = statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]
    return {"statuses": "".join("o" if s == 302 else f"[{s}]" for s in statuses), "ok": ok}


def _theme() -> int:
    code = common.PLAN_CODE.format(slug=common.CONSULTATION)
    return int(infra.django_shell(code).split()[-1])


def _cache(browser: Browser, a: int, b: int) -> dict:
    page = f"/contributions/{common.CONSULTATION}/"
    for _ in range(2):  # warm whatever B caches
        browser_b = Browser()
        browser_b.request(b, "GET", page)
    title = f"Visible partout {uuid.uuid4().hex[:8]}"
    status, location, _ = browser.request(
        a,
        "POST",
        f"/contributions/{common.CONSULTATION}/contribuer/",
        fields={
            "title": title,
            "theme": _theme(),
            "body": "Une contribution pour vérifier que les caches se vident partout.",
        },
    )
    seen = title.encode() in Browser().request(b, "GET", page)[2]
    withdrawn = browser.request(a, "POST", location.rstrip("/") + "/retirer/", fields={})[0]
    gone = title.encode() not in Browser().request(b, "GET", page)[2]
    return {
        "posted_on_A": status,
        "seen_on_B": seen,
        "withdrawn_on_A": withdrawn,
        "gone_on_B": gone,
        "ok": status == 302 and seen and gone,
    }


def _upload(browser: Browser, a: int, b: int) -> dict:
    status, location, _ = browser.request(
        a,
        "POST",
        f"/forum/ami/{CALL}/candidater/",
        fields={"organisation_name": "Association de vérification", "action": "brouillon"},
        files={"attachments": ("statuts-verify.pdf", PDF)},
    )
    links = []
    if status == 302:
        page = browser.request(b, "GET", location)[2].decode()
        links = sorted(set(re.findall(r"/forum/candidatures/\d+/pieces/\d+/", page)))
    from_b = browser.request(b, "GET", links[-1]) if links else (0, "", b"")
    from_a = browser.request(a, "GET", links[-1]) if links else (0, "", b"")
    same = from_b[0] == 200 and from_b[2] == PDF and from_a[2] == PDF
    return {"uploaded_on_A": status, "downloaded_on_B": from_b[0], "identical": same, "ok": same}


def run(stack: infra.Stack, *, duration: int, out=print) -> dict:
    a, b = infra.APP_PORTS
    stack.redis.cli("-n", "0", "flushdb")
    infra.django_shell(SETUP_CODE.format(password=PASSWORD, call=CALL))
    stack.app(a)
    stack.app(b)
    time.sleep(1)
    figures = {}
    figures["session"], browser = _session(a, b)
    figures["rate_limit"] = _rate_limit(a, b)
    figures["cache"] = _cache(browser, a, b)
    figures["upload"] = _upload(browser, a, b)
    stack.stop_apps()
    for name, figure in figures.items():
        out(f"  {name}: {figure}")
    failures = [f"deux serveurs : {name}" for name, f in figures.items() if not f["ok"]]
    return {"figures": figures, "failures": failures}
