"""Item 11 — faults under load.

Two locust runs of 10 contributors and 10 readers against one gunicorn:

- PostgreSQL restarted (``pg_ctl restart -m fast``) a third of the way through: errors
  ≤ 1 %, all within 5 s of the restart, the app recovers by itself (same gunicorn), every
  confirmed contribution is in the database once, with its audit row (no partial write);
- Redis shut down for 3 s and restarted (append-only, as production must be: queued tasks survive
  a restart): pages keep being served, and Celery tasks queued before the restart all
  complete. The worker is paused (SIGSTOP) while the tasks are queued and Redis restarts,
  so that they are still waiting in Redis when it goes down; it resumes on a new Redis
  and must reconnect by itself.
"""

from __future__ import annotations

import json
import os
import signal
import time

from . import common, infra

ERROR_RATE_TARGET = 1.0  # %
ERROR_WINDOW = 5.0  # seconds after the restart
TASKS = 20
REDIS_DOWN = 3.0  # seconds

ENQUEUE_CODE = """
import json
from forum_ouvert.celery import app
print(json.dumps([app.send_task("celery.accumulate", args=[i]).id for i in range({n})]))
"""

COLLECT_CODE = """
import json
from celery.result import AsyncResult
from forum_ouvert.celery import app
done = 0
for task_id in json.loads({ids!r}):
    try:
        AsyncResult(task_id, app=app).get(timeout={timeout}, propagate=True)
        done += 1
    except Exception:
        pass
print(done)
"""


def _analyse(name, requests, fault_start, fault_end, pid_before, app):
    failed = [r for r in requests if r.failed]
    outside = [r for r in failed if not fault_start - 1 <= r.t <= fault_end + ERROR_WINDOW]
    after = [r for r in requests if r.t > fault_end + ERROR_WINDOW]
    db = common.check_database(name, requests)
    return {
        "requests": len(requests),
        "errors": len(failed),
        "error_rate_pct": round(100 * len(failed) / len(requests), 2) if requests else 0.0,
        "errors_outside_window": len(outside),
        "last_error_after_s": round(max((r.t for r in failed), default=fault_end) - fault_end, 1),
        "downtime_s": round(fault_end - fault_start, 1),
        "ok_after_window": sum(not r.failed for r in after),
        "same_gunicorn": app.alive() and app.proc.pid == pid_before,
        "confirmed_missing": db["missing_count"],
        "duplicates": db["duplicates"],
        "without_audit": db["without_audit"],
    }


def _failures(name, figures):
    failures = []
    if figures["error_rate_pct"] > ERROR_RATE_TARGET:
        failures.append(f"{name} : {figures['error_rate_pct']} % d'erreurs")
    if figures["errors_outside_window"]:
        failures.append(
            f"{name} : {figures['errors_outside_window']} erreurs hors des {ERROR_WINDOW:g} s"
        )
    if not figures["same_gunicorn"] or not figures["ok_after_window"]:
        failures.append(f"{name} : l'application ne s'est pas rétablie seule")
    for key in ("confirmed_missing", "duplicates", "without_audit"):
        if figures[key]:
            failures.append(f"{name} : {key} = {figures[key]}")
    return failures


def _run_with_fault(stack, name, *, plan, seconds, fault) -> tuple:
    port = infra.APP_PORTS[0]
    app = stack.app(port)
    pid = app.proc.pid
    proc, log = common.start_locust(
        name, port=port, plan=plan, stages=[[seconds, 20, 20]], contributors=10
    )
    time.sleep(seconds / 3)
    fault_start = time.time()
    extra = fault()
    fault_end = time.time()
    proc.wait(seconds + 120)
    requests = common.read_log(log)
    figures = _analyse(name, requests, fault_start, fault_end, pid, app)
    stack.stop(app)
    return figures, extra


def run(stack: infra.Stack, *, duration: int, out=print) -> dict:
    seconds = max(30, duration)
    stack.redis.cli("-n", "0", "flushdb")
    plan = common.write_plan("faults", accounts=200)

    out("  PostgreSQL redémarré sous charge…")
    pg, _ = _run_with_fault(stack, "faults-pg", plan=plan, seconds=seconds, fault=stack.pg.restart)
    out(f"    {pg}")

    worker = stack.spawn(infra.celery_worker())
    time.sleep(5)  # the worker connects to the broker

    def redis_fault():
        os.killpg(worker.proc.pid, signal.SIGSTOP)
        try:
            ids = json.loads(infra.django_shell(ENQUEUE_CODE.format(n=TASKS)).splitlines()[-1])
            stack.redis.shutdown()
            time.sleep(REDIS_DOWN)  # long enough for many page views to find it gone
            stack.redis.start()
        finally:
            os.killpg(worker.proc.pid, signal.SIGCONT)
        return ids

    out("  Redis redémarré sous charge (tâches Celery en file)…")
    redis, ids = _run_with_fault(
        stack, "faults-redis", plan=plan, seconds=seconds, fault=redis_fault
    )
    done = int(infra.django_shell(COLLECT_CODE.format(ids=json.dumps(ids), timeout=60)).split()[-1])
    redis["tasks_queued"] = len(ids)
    redis["tasks_done"] = done
    redis["worker_alive"] = worker.alive()
    out(f"    {redis}")
    stack.stop(worker)

    failures = _failures("PostgreSQL", pg) + _failures("Redis", redis)
    if done != len(ids):
        failures.append(f"Redis : {len(ids) - done} tâches Celery perdues sur {len(ids)}")
    figures = {f"pg_{k}": v for k, v in pg.items()} | {f"redis_{k}": v for k, v in redis.items()}
    return {"figures": figures, "failures": failures}
