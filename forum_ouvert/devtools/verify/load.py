"""Item 10 — load with integrity.

One gunicorn (production settings, 2 workers) behind nginx with the shipped per-client
limits on writes (forum_ouvert/deploy/nginx), and a Celery worker. Locust, headless:
100 contributors and 20 readers for ``duration`` seconds; then the same load as long again
with one abusive client posting as fast as it can (it must get 429 past the hourly limit,
and the others' p95 must move by 10 % at most against the steady phase after its ramp);
then a spike to 500 users at 50/s. Afterwards the database is checked marker by
marker. The spike comes last so that its backlog does not weigh on the comparison.
"""

from __future__ import annotations

import http.client
import json
import secrets
import threading
import time
import urllib.parse
import uuid

from . import common, dataset, infra

P95_TARGET_MS = 300
P95_DRIFT_TARGET = 10.0  # % of the steady phase's p95, with the abuser on


class Abuser(threading.Thread):
    """One logged-in client posting contributions back to back until told to stop."""

    def __init__(self, port: int, account: list, theme: int):
        super().__init__(daemon=True)
        self.port, self.theme = port, theme
        _email, _pk, self.session = account
        self.csrf = secrets.token_hex(16)
        self.statuses: list[int] = []
        self.posted: list[str] = []
        self.confirmed: list[str] = []
        self.stopping = threading.Event()

    def run(self):
        path = f"/contributions/{common.CONSULTATION}/contribuer/"
        while not self.stopping.is_set():
            marker = f"verify-{uuid.uuid4()}"
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": self.csrf,
                    "title": "Proposition en rafale",
                    "body": f"Une proposition envoyée en rafale pendant la mesure. {marker}",
                    "theme": self.theme,
                }
            )
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                connection.request(
                    "POST",
                    path,
                    body=body,
                    headers={
                        "X-Forwarded-Proto": "https",
                        "Origin": f"https://127.0.0.1:{self.port}",
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"__Host-sessionid={self.session}; __Host-csrftoken={self.csrf}",
                    },
                )
                status = connection.getresponse().status
            except OSError:
                status = 0
            finally:
                connection.close()
            self.posted.append(marker)
            self.statuses.append(status)
            if status == 302:
                self.confirmed.append(marker)


def _finish(first: Abuser, port: int, account: list, theme: int) -> Abuser:
    """Go on posting alone until refused (at most a minute), in the first run's record."""
    more = Abuser(port, account, theme)
    more.start()
    deadline = time.time() + 60
    while 429 not in more.statuses and time.time() < deadline and more.is_alive():
        time.sleep(0.2)
    more.stopping.set()
    more.join(30)
    for name in ("statuses", "posted", "confirmed"):
        getattr(first, name).extend(getattr(more, name))
    return first


def run(stack: infra.Stack, *, duration: int, out=print) -> dict:
    app_port, port = infra.APP_PORTS[0], infra.PROXY_PORT
    stack.redis.cli("-n", "0", "flushdb")  # the cache: rate-limit windows of earlier runs
    plan = common.write_plan("load", accounts=dataset.ACCOUNTS)
    abuser_account = dataset.sessions(prefix="verify-abuser", count=1)[0]
    theme = int(json.loads(plan.read_text())["theme"])
    stack.spawn(infra.celery_worker())
    stack.app(app_port)
    stack.proxy(app_port, port)

    spike_hold = max(10, duration // 3)
    # With the abuser for as long as the steady phase, compared with that phase after its
    # ramp: p95 over ~1,400 requests each, not ~700 (a 3 ms swing was ±10 % already).
    window = max(5, duration)
    steady_end = duration
    abuse_end = steady_end + window
    spike_end = abuse_end + 10 + spike_hold  # 500 users at 50/s: 8 s of ramp, then hold
    stages = [
        [steady_end, 120, 40],
        [abuse_end, 120, 40],
        [spike_end, 500, 50],
    ]
    out(f"  locust : {spike_end} s (régime {duration} s, abus {window} s, pic {spike_hold} s)")
    proc, log = common.start_locust("load", port=port, plan=plan, stages=stages, contributors=100)
    t0 = time.time()
    abuser = Abuser(port, abuser_account, theme)
    time.sleep(max(0.0, t0 + steady_end - time.time()))
    abuser.start()
    time.sleep(max(0.0, t0 + abuse_end - time.time()))
    abuser.stopping.set()
    abuser.join(30)
    in_window = len(abuser.statuses)
    proc.wait(spike_end + 120)
    if 429 not in abuser.statuses:
        # Under saturation it may not reach the limit within its window: once the load is
        # over, it goes on alone until it is refused.
        abuser = _finish(abuser, port, abuser_account, theme)
    stack.stop_apps()

    requests = common.read_log(log)
    start = min(r.t for r in requests) if requests else t0
    rel = lambda r: r.t - start  # noqa: E731
    load_part = [r for r in requests if rel(r) < spike_end]
    steady = [r.ms for r in requests if 5 <= rel(r) < steady_end]
    spike = [r.ms for r in requests if abuse_end <= rel(r) < spike_end]
    calm_ms = [r.ms for r in requests if min(10, steady_end // 2) <= rel(r) < steady_end]
    abuse_ms = [r.ms for r in requests if steady_end <= rel(r) < abuse_end]
    p95_calm, p95_abuse = common.percentile(calm_ms, 95), common.percentile(abuse_ms, 95)
    drift = round(100 * (p95_abuse - p95_calm) / p95_calm, 1) if p95_calm else 0.0
    db = common.check_database(
        "load", requests, extra_confirmed=abuser.confirmed, extra_posted=abuser.posted
    )
    figures = {
        "requests": len(requests),
        "rps": round(len(load_part) / spike_end, 1) if spike_end else 0,
        "5xx_or_errors": sum(r.failed for r in requests),
        "p50_ms": common.percentile([r.ms for r in load_part], 50),
        "p95_ms": common.percentile([r.ms for r in load_part], 95),
        "p99_ms": common.percentile([r.ms for r in load_part], 99),
        "p95_steady_ms": common.percentile(steady, 95),
        "p95_spike_ms": common.percentile(spike, 95),
        "p95_post_ms": common.percentile(
            [r.ms for r in load_part if r.name == "contributor: post"], 95
        ),
        "p95_calm_ms": p95_calm,
        "p95_with_abuser_ms": p95_abuse,
        "p95_drift_pct": drift,
        "abuser_posts": len(abuser.statuses),
        "abuser_posts_in_window": in_window,
        "abuser_302": abuser.statuses.count(302),
        "abuser_429": abuser.statuses.count(429),
        "database": db,
    }
    failures = []
    if db["missing_count"]:
        failures.append(f"charge : {db['missing_count']} contributions confirmées absentes")
    if db["duplicates"]:
        failures.append(f"charge : {db['duplicates']} doublons")
    if db["without_audit"]:
        failures.append(f"charge : {db['without_audit']} contributions sans ligne de journal")
    if figures["5xx_or_errors"]:
        failures.append(f"charge : {figures['5xx_or_errors']} réponses 5xx ou erreurs réseau")
    if figures["p95_ms"] >= P95_TARGET_MS:
        failures.append(f"charge : p95 {figures['p95_ms']} ms ≥ {P95_TARGET_MS} ms")
    if not figures["abuser_429"] or figures["abuser_302"] > 10:
        failures.append("charge : le client abusif n'a pas reçu 429 après 10 contributions")
    if drift > P95_DRIFT_TARGET:
        failures.append(f"charge : p95 des autres clients +{drift} % avec le client abusif")
    return {"figures": figures, "failures": failures}
