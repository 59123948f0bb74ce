"""`make run`'s site on a port of its own: the links that leave it all point at that port.

The site is started as ``make run`` starts it (``forum_ouvert.devtools.run``: database
checks, migrate, plan import, demo seed, then web server, Celery worker and beat with
``forum_ouvert.settings.demo``), against the test database and the test Redis.
"""

from __future__ import annotations

import csv
import email
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest
import requests
from django.db import connection

from participation.contributions import services
from tests.contributions.test_record import WORKSHOP
from tests.factories import UserFactory
from tests.workshops.factories import WorkshopFactory

ROOT = Path(__file__).resolve().parents[2]
READY = 300  # seconds: migrate, import, seed and three processes on a busy machine

pytestmark = [
    pytest.mark.long,
    pytest.mark.celery_worker,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DemoSite:
    def __init__(self, port: int, mails: Path, log: Path, proc: subprocess.Popen):
        self.port, self.mails, self.log, self.proc = port, mails, log, proc
        self.url = f"http://127.0.0.1:{port}"
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.url + path, timeout=60)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def post_form(self, path: str, data: dict) -> requests.Response:
        page = self.get(path).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.http.post(
            self.url + path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": self.url + path},
            timeout=60,
        )

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.mails.glob("*.log"))
        ]


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path):
    """The site served by make run's supervisor on a free port; stopped at the end."""
    db = connection.settings_dict
    port = _free_port()
    mails, log = tmp_path / "mails", tmp_path / "run.log"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SITE_URL", "PORT", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=settings.CACHES["default"]["LOCATION"],
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        CELERY_RESULT_BACKEND=settings.CELERY_RESULT_BACKEND,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        FORUM_OUVERT_VAR_DIR=str(tmp_path / "var"),
        EMAIL_FILE_PATH=str(mails),
    )
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "forum_ouvert.devtools.run", "--port", str(port), "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    site = DemoSite(port, mails, log, proc)
    deadline = time.monotonic() + READY
    while "DÉMONSTRATION" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"make run n'a pas servi le site :\n{log.read_text(errors='replace')}")
        time.sleep(1)
    yield site
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _own_links(text: str) -> list[str]:
    """The links of ``text`` to a local site (whatever its port)."""
    return re.findall(r"https?://(?:127\.0\.0\.1|localhost)[^\s\"'<>]*", text)


def test_make_run_links_leave_on_the_port_it_serves(demo_site, client, tmp_path):
    """With make run on another port, e-mails, calendars, the Atom feed, the CSV and the
    attestation PDF all link to that port, allauth's e-mails come from « Forum ouvert », and
    errors show the site's French pages."""
    site = demo_site
    user = UserFactory(email="alice@exemple.fr", display_name="Alice Martin")
    attestation = services.attestation_issue(
        user=user, holder_name="Alice Martin", participations=[WORKSHOP]
    )
    workshop = WorkshopFactory()

    # An e-mail: the password reset, sent by the web server.
    site.post_form("/compte/password/reset/", {"email": "alice@exemple.fr"})
    (reset,) = [m for m in site.messages() if "alice@exemple.fr" in m["To"]]
    body = reset.get_content()
    assert body.startswith("Bonjour, c'est Forum ouvert !"), body
    assert f"127.0.0.1:{site.port} !" not in body
    assert any("/compte/password/reset/key/" in link for link in _own_links(body)), body
    # Every e-mail sent meanwhile (the worker's too) links to the port served.
    for message in site.messages():
        links = _own_links(message.get_body(("plain",)).get_content())
        assert all(link.startswith(f"{site.url}/") for link in links), links

    # An iCalendar file.
    ics = site.get(f"/ateliers/{workshop.slug}.ics").text.replace("\r\n ", "")
    urls = [line[4:] for line in ics.splitlines() if line.startswith("URL:")]
    assert urls == [f"{site.url}/ateliers/{workshop.slug}/"], ics

    # The Atom feed: its own id and link, every entry's id and link.
    atom = site.get("/donnees/journal.atom").text
    ids = re.findall(r"<id>([^<]+)</id>", atom)
    assert len(ids) > 1, atom[:500]
    assert all(i.startswith(f"{site.url}/") for i in ids), ids
    hrefs = re.findall(r'href="([^"]+)"', atom)
    assert hrefs and all(href.startswith(f"{site.url}/") for href in hrefs), hrefs

    # The open-data CSV: one address per commitment.
    text = site.get("/donnees/engagements.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 17
    assert all(row["url"] == f"{site.url}/engagements/{row['slug']}/" for row in rows), rows[0]

    # The attestation PDF: its verification address, for whoever holds the paper.
    # Logged in through the shared session table (the tests' password hasher is not the
    # demo's): the same cookie a login on the site would set.
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    site.http.cookies.set("sessionid", client.cookies["sessionid"].value, domain="127.0.0.1")
    assert site.get("/mon-espace/").url == f"{site.url}/mon-espace/"
    pdf = site.get(f"/mon-espace/attestation/{attestation.code}.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    path = tmp_path / "attestation.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\n", "")
    assert f"{site.url}/attestations/{attestation.code}/" in text, text

    # Refusals and missing pages are the site's own French pages (DEBUG is off), and the
    # static files still come (whitenoise).
    refused = site.http.get(f"{site.url}/pilotage/", timeout=60)
    assert refused.status_code == 403 and "<h1>Accès refusé</h1>" in refused.text
    missing = site.http.get(f"{site.url}/nexiste-pas/", timeout=60)
    assert missing.status_code == 404 and "Page non trouvée — Forum ouvert" in missing.text
    css = site.get("/static/dsfr/dist/dsfr/dsfr.min.css")
    assert css.headers["Content-Type"].startswith("text/css")
