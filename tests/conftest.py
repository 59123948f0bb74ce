"""Fixtures shared by the whole suite: roles, a clean cache, Chromium, axe, a real Celery worker."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache

from forum_ouvert.core.choices import Role

from .factories import PASSWORD, UserFactory, totp_code
from .oidc.fixtures import franceconnect, oidc_servers, proconnect  # noqa: F401

# Playwright's sync API runs an event loop in the test thread; the ORM calls that browser
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "var" / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

#: Every role, in the order of ``Role``; ``None`` is the anonymous visitor.
ROLES = [None, *Role.values]


@pytest.fixture(autouse=True)
def _territories(request):
    """Tests that commit (live server, real workers) empty every table after themselves,
    including the départements and regions a data migration loads: put them back."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from forum_ouvert.core.models import Departement, Region
        from forum_ouvert.core.territories import load_territories

        if not Departement.objects.exists():
            load_territories(region_model=Region, departement_model=Departement)


@pytest.fixture(autouse=True)
def _celery_join_flag():
    """Eager tasks run by a threaded live server toggle a process-wide Celery flag
    (``denied_join_result``) without thread safety, and can leave it set: then a later
    test's ``result.get()`` believes it runs inside a task. Start every test with it off."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with an empty cache (rate limits, cached flags)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    """Create an account with a role: ``make_user("ditp")``."""

    def make(role: str = Role.CITIZEN, **kwargs):
        return UserFactory(role=role, is_superuser=role == Role.ADMIN, **kwargs)

    return make


@pytest.fixture
def user_for_role(make_user):
    """``user_for_role(role)`` returns None for the anonymous visitor, else a new account."""

    def make(role):
        return None if role is None else make_user(role)

    return make


@pytest.fixture
def client_for(client, user_for_role):
    """A test client logged in as a new account of ``role`` (anonymous for None)."""

    def make(role):
        user = user_for_role(role)
        if user is not None:
            client.force_login(user)
        return client, user

    return make


# --- Browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download browsers here), headless and quiet."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


#: Node ids of the tests that failed in this session (the RGAA grid's checks among them).
FAILED: set[str] = set()


def _django_order(item) -> int:
    """pytest-django's order: tests in a rolled-back transaction, then the transactional ones
    (live server, browser), then those without a database. A worker never runs a test of an
    earlier group after a later one: a transactional test empties the tables at its end."""
    from pytest_django.plugin import validate_django_db

    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        transactional = transactional or transaction or reset_sequences
    if transactional:
        return 1
    return 0 if marker or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """The long tests first in their group: the browser walks come last in pytest-django's
    order, and one of them started at the end kept one worker busy for minutes after the
    other had finished."""
    items.sort(key=lambda item: (_django_order(item), item.get_closest_marker("long") is None))


def pytest_runtest_logreport(report):
    if report.failed:
        FAILED.add(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """A criterion that the RGAA audit grid marks *conforme* (or *non applicable*) fails the
    run, by its number, when one of the automated checks it names has failed."""
    if not FAILED:
        return
    from forum_ouvert.core import rgaa

    session.config.rgaa_contradictions = rgaa.audit().contradictions(FAILED)
    if session.config.rgaa_contradictions:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    found = getattr(config, "rgaa_contradictions", ())
    if found:
        terminalreporter.section("Grille d'audit RGAA contredite par les tests", red=True)
        for line in found:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _short_browser_timeouts(request):
    """Fail a browser step in 10 s rather than Playwright's 30 s."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(10_000)


@pytest.fixture
def axe():
    """``axe(page)`` fails the test on any accessibility violation axe-core finds, whatever
    its impact (minor and moderate included: RGAA asks for all of them)."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page):
        results = checker.run(page)
        blocking = results.response["violations"]
        if blocking:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTIFACTS / f"axe-{uuid.uuid4().hex[:8]}.png"
            page.screenshot(path=str(shot), full_page=True)
            details = "\n".join(
                f"- [{v['impact']}] {v['id']}: {v['help']} → "
                + "; ".join(n["target"][0] for n in v["nodes"][:5])
                for v in blocking
            )
            pytest.fail(f"axe sur {page.url} ({shot.name}) :\n{details}")
        return results

    return check


@pytest.fixture
def csp_violations(page):
    """Console messages reporting a Content-Security-Policy violation on ``page``."""
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def browser_login(page, live_server, email: str, password: str = PASSWORD):
    """Log in through the pages; answer the two-factor step when the account has it.

    Each submit waits for its navigation: ``wait_for_load_state`` right after a click can return
    on the page being left (it is already loaded), and the two-factor step was then skipped when
    the machine was loaded. A TOTP code refused as already used (the same person logged in twice
    within one 30-second window) is answered again with the next window's code.
    """
    page.goto(f"{live_server.url}/compte/login/")
    page.get_by_label("Courriel").fill(email)
    page.locator("#id_password").fill(password)
    with page.expect_navigation(timeout=30_000):
        page.get_by_role("button", name="Connexion").click()
    for _attempt in range(3):
        if "/compte/2fa/authenticate/" not in page.url:
            return
        page.locator("#id_code").fill(totp_code())
        with page.expect_navigation(timeout=30_000):
            page.locator("form:has(#id_code) button[type=submit]").first.click()
        if "/compte/2fa/authenticate/" in page.url:
            time.sleep(30 - time.time() % 30 + 0.5)
    if "/compte/2fa/authenticate/" in page.url:
        raise AssertionError(f"the two-factor step did not let {email} in")


# --- Celery ------------------------------------------------------------------------


class CeleryWorker:
    """A Celery worker process started by a test; stopped (and waited for) at teardown."""

    def __init__(self, proc, pidfile: Path, logfile: Path, queue: str):
        self.proc, self.pidfile, self.logfile, self.queue = proc, pidfile, logfile, queue

    def kill(self, sig=signal.SIGKILL) -> None:
        """Kill the worker abruptly (as a crash or an OOM killer would)."""
        self.proc.send_signal(sig)
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            if self.pidfile.exists():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(self.pidfile.read_text().strip()), signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.pidfile.unlink(missing_ok=True)

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""


@pytest.fixture
def start_celery_worker(settings, transactional_db):
    """``start_celery_worker(**env)``: a real worker process against the test Redis and the
    test database, consuming its own queue and the default one. Returns a ``CeleryWorker``.
    """
    from django.db import connection

    workers: list[CeleryWorker] = []
    db = connection.settings_dict

    def start(**extra_env) -> CeleryWorker:
        queue = f"test-{uuid.uuid4().hex[:8]}"
        run_dir = ARTIFACTS / "celery"
        run_dir.mkdir(parents=True, exist_ok=True)
        pidfile, logfile = run_dir / f"{queue}.pid", run_dir / f"{queue}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "forum_ouvert.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **{k: str(v) for k, v in extra_env.items()},
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "forum_ouvert",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                f"{queue},celery",
                "-n",
                f"{queue}@%h",
                f"--pidfile={pidfile}",
                f"--logfile={logfile}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
        )
        worker = CeleryWorker(proc, pidfile, logfile, queue)
        workers.append(worker)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "ready." in worker.log():
                return worker
            if proc.poll() is not None:
                pytest.fail(f"Le worker Celery s'est arrêté : {worker.log()}")
            time.sleep(0.2)
        proc.kill()
        pytest.fail("Le worker Celery n'a pas démarré en 30 s.")

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker_process(start_celery_worker):
    """One real worker; yields the name of its own queue."""
    yield start_celery_worker().queue
