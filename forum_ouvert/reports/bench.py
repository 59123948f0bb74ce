"""Benchmark of the plan's accountability report on the large dataset (engagements.bench)."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from forum_ouvert.core.bench import Scenario

ROOT = Path(__file__).resolve().parents[2]
RUNS = 3

# Rendered in a separate process, as a Celery worker would, so that its peak memory
# (ru_maxrss of the child) is the worker's, not the benchmark's; the process first loads
# the PDF engine, as a worker process does when it starts (its time is printed apart).
RENDER = """
import datetime as dt, json, time
from django.utils import timezone
from engagements.models import ActionPlan
from forum_ouvert.core.pdf import preload
from forum_ouvert.reports import services
booted = time.perf_counter()
preload()  # what a Celery worker process does when it starts (forum_ouvert/celery.py)
booted = time.perf_counter() - booted
plan = ActionPlan.objects.get(is_current=True)
report = services.report_request(author=None, kind="redevabilite", plan=plan,
    period_start=dt.date(2024, 1, 1), period_end=timezone.localdate())
started, cpu = time.perf_counter(), time.process_time()
report = services.report_render(report_id=report.pk)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
    "boot": booted, "state": report.state,
    "error": report.error, "size": report.pdf_size, "pages": report.page_count}))
"""


def populate(*, out) -> None:
    """Nothing of its own: the report reads the engagements benchmark's data."""


def scenarios() -> list[Scenario]:
    return [Scenario("rapports: page publique /rapports/", "/rapports/")]


def measure(*, out) -> None:
    """Render the plan's accountability report RUNS times; report time, memory, size."""
    results = []
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", RENDER],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["peak_mb"] = max(peak_kb, before) / 1024
        results.append(result)
    median = statistics.median(r["seconds"] for r in results)
    cpu = statistics.median(r["cpu"] for r in results)
    peak = max(r["peak_mb"] for r in results)
    boot = statistics.median(r["boot"] for r in results)
    last = results[-1]
    ok = last["state"] == "pret" and median < 5 and last["peak_mb"] < 300
    out(
        f"rapport de redevabilité du plan : médiane {median:.2f} s sur {RUNS} rendus "
        f"(cible < 5 s ; dont {cpu:.2f} s de CPU du processus), "
        f"pic mémoire {peak:.0f} Mo (cible < 300 Mo), "
        f"PDF {last['size'] / 1024:.0f} Kio, {last['pages']} pages — {'ok' if ok else 'HORS CIBLE'}"
        + (f" — erreur : {last['error']}" if last["error"] else "")
    )
    out(f"  (moteur PDF chargé au démarrage du worker, hors mesure : {boot:.2f} s)")
