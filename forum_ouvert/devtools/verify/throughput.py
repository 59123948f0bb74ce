"""Item 9 — throughput against the limit: each anonymous page as a share of hello-world.

``wrk`` on loopback against one gunicorn (production settings, 2 workers); the same
gunicorn serves ``/__verify__/hello``, the cheapest Django response, measured in the same
run. A Lua ``done`` hook prints the 50th/95th/99th percentiles as JSON (wrk's own
``--latency`` table has no 95th).
"""

from __future__ import annotations

import json
import subprocess
import urllib.request

from . import infra

TARGET_SHARE = 25.0  # % of hello-world, for anonymous pages

LUA = """
wrk.headers["X-Forwarded-Proto"] = "https"
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRKJSON {"requests": %d, "rps": %.2f, "p50": %.3f, "p95": %.3f, "p99": %.3f, '
    .. '"non2xx": %d, "errors": %d}\\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""

PATHS_CODE = """
from engagements.models import Commitment
from forum_ouvert.core.models import Departement
c = Commitment.objects.filter(plan__is_current=True).order_by("number").first()
d = Departement.objects.order_by("code").first()
print(f"/engagements/{c.slug}/ /territoires/{d.code}/")
"""


def pages() -> list[tuple[str, str]]:
    commitment, territory = infra.django_shell(PATHS_CODE).split()[-2:]
    return [
        ("accueil", "/"),
        ("engagements", "/engagements/"),
        ("un engagement", commitment),
        ("contributions", "/contributions/"),
        ("ateliers", "/ateliers/"),
        ("un territoire", territory),
    ]


def status_of(port: int, path: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310 (a loopback http URL built here)
        return response.status


def wrk(port: int, path: str, duration: int, connections: int = 16) -> dict:
    script = infra.VAR / "wrk.lua"
    script.write_text(LUA)
    done = subprocess.run(  # noqa: S603
        [  # noqa: S607 (Debian's wrk, on PATH)
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("WRKJSON "))
    return json.loads(line.removeprefix("WRKJSON "))


def run(stack: infra.Stack, *, duration: int, out=print) -> dict:
    port = infra.APP_PORTS[0]
    stack.app(port)
    targets = [("hello-world", "/__verify__/hello"), *pages()]
    for _name, path in targets:
        status_of(port, path)  # warm-up; raises on anything but 2xx
        wrk(port, path, 2)
    rows = []
    seconds = max(3, min(10, duration))  # wrk -d10s by default
    for name, path in targets:
        figures = wrk(port, path, seconds)
        rows.append({"page": name, "path": path, **figures})
        out(
            f"  {name:<14} {figures['rps']:8.1f} req/s  p50 {figures['p50']:7.1f} ms  "
            f"p95 {figures['p95']:7.1f} ms  p99 {figures['p99']:7.1f} ms"
        )
    stack.stop_apps()
    hello = rows[0]["rps"]
    failures = []
    for row in rows:
        row["share"] = round(100 * row["rps"] / hello, 1) if hello else 0.0
        row["ok"] = row["non2xx"] == 0 and row["errors"] == 0
        if row is not rows[0] and row["share"] < TARGET_SHARE:
            row["ok"] = False
        if not row["ok"]:
            failures.append(f"débit {row['page']} : {row['share']} % de hello-world")
    return {"rows": rows, "failures": failures}
