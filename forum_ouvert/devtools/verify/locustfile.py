"""Locust users of ``make verify`` (run headless by ``load.py`` and ``faults.py``).

Contributors hold a logged-in session (prepared by ``dataset.sessions``), read the form
and post a contribution whose body carries a unique marker; every request is logged with
its start time (epoch seconds), latency, status and marker to ``$VERIFY_REQUEST_LOG``
(CSV), from which the harness computes its figures per phase and checks the database.

Configuration (environment): ``VERIFY_PLAN`` (JSON: accounts, consultation slug, theme,
reader paths), ``VERIFY_STAGES`` (JSON list of ``[until_second, users, spawn_rate]``),
``VERIFY_CONTRIBUTORS`` (fixed number of contributors; the rest are readers).
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import secrets
import threading
import time
import uuid

from locust import HttpUser, LoadTestShape, between, events, task

PLAN = json.loads(open(os.environ["VERIFY_PLAN"]).read())  # noqa: SIM115
STAGES = json.loads(os.environ.get("VERIFY_STAGES", "[[60, 120, 40]]"))
LOG_PATH = os.environ["VERIFY_REQUEST_LOG"]
#: Fewer than the hourly limit (10) per account: then the contributor takes a new account.
POSTS_PER_ACCOUNT = 8

_accounts = itertools.cycle(PLAN["accounts"])
_lock = threading.Lock()
_rows: list[tuple] = []


def _record(name, started, ms, status, marker=""):
    _rows.append((round(started, 3), name, round(ms, 2), status, marker))


@events.request.add_listener
def _on_request(request_type, name, response_time, response, exception, context, **kw):
    status = getattr(response, "status_code", 0) if exception is None else 0
    if exception is not None and response is not None and response.status_code:
        status = response.status_code
    _record(
        name,
        time.time() - response_time / 1000,
        response_time,
        status,
        (context or {}).get("marker", ""),
    )


@events.quitting.add_listener
def _dump(environment, **kw):
    with open(LOG_PATH, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["t", "name", "ms", "status", "marker"])
        writer.writerows(_rows)


class _Base(HttpUser):
    abstract = True

    def headers(self) -> dict:
        return {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{self.host.split('://', 1)[1]}",
        }

    def get(self, path: str, name: str):
        self.client.cookies.clear()
        with self.client.get(
            path, headers=self.headers(), name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code >= 400 or response.status_code == 0:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()


class Contributor(_Base):
    fixed_count = int(os.environ.get("VERIFY_CONTRIBUTORS", "100"))
    wait_time = between(5, 15)  # read the form, write, send

    def on_start(self):
        self._new_account()

    def _new_account(self):
        with _lock:
            self.email, self.user_pk, self.session_key = next(_accounts)
        self.csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked secret
        self.posts = 0

    def headers(self) -> dict:
        return {
            **super().headers(),
            "Cookie": f"__Host-sessionid={self.session_key}; __Host-csrftoken={self.csrf}",
        }

    @task
    def contribute(self):
        if self.posts >= POSTS_PER_ACCOUNT:
            self._new_account()
        path = f"/contributions/{PLAN['consultation']}/contribuer/"
        self.get(path, "contributor: form")
        marker = f"verify-{uuid.uuid4()}"
        self.posts += 1
        self.client.cookies.clear()
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": self.csrf,
                "title": f"Proposition de mesure {random.randint(1, 10**6)}",  # noqa: S311
                "body": f"Une proposition envoyée pendant la mesure de charge. {marker}",
                "theme": PLAN["theme"],
            },
            headers=self.headers(),
            name="contributor: post",
            allow_redirects=False,
            catch_response=True,
            context={"marker": marker},
        ) as response:
            if response.status_code == 302 and "/contribuer/" not in response.headers.get(
                "Location", ""
            ):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class Reader(_Base):
    weight = 1
    wait_time = between(2, 6)

    @task
    def read(self):
        path = random.choice(PLAN["reader_paths"])  # noqa: S311
        self.get(path, f"reader: {path}")


class Stages(LoadTestShape):
    """``[[until_second, users, spawn_rate], …]``; stops after the last stage."""

    def tick(self):
        elapsed = self.get_run_time()
        for until, users, rate in STAGES:
            if elapsed < until:
                return users, rate
        return None
