"""What the load and fault checks share: running locust, reading its request log,
percentiles, and the database check of the contributions it posted."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import dataset, infra, throughput

WORK = infra.VAR / "load"
CONSULTATION = "bench-contrib-0"


@dataclass
class Request:
    t: float  # epoch seconds at the start of the request
    name: str
    ms: float
    status: int
    marker: str

    @property
    def failed(self) -> bool:
        return self.status == 0 or self.status >= 500

    @property
    def confirmed(self) -> bool:
        return self.name == "contributor: post" and self.status == 302


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 1)


PLAN_CODE = """
from participation.contributions.models import Consultation
c = Consultation.objects.get(slug={slug!r})
print(c.themes.order_by("order", "pk").first().pk)
"""


def write_plan(name: str, *, accounts: int) -> Path:
    """The locust plan: sessions, the consultation and its theme, the readers' pages."""
    WORK.mkdir(parents=True, exist_ok=True)
    theme = int(infra.django_shell(PLAN_CODE.format(slug=CONSULTATION)).split()[-1])
    plan = {
        "accounts": dataset.sessions(count=accounts),
        "consultation": CONSULTATION,
        "theme": theme,
        "reader_paths": [path for _name, path in throughput.pages()]
        + [f"/contributions/{CONSULTATION}/"],
    }
    path = WORK / f"{name}-plan.json"
    path.write_text(json.dumps(plan))
    return path


def start_locust(name: str, *, port: int, plan: Path, stages: list, contributors: int):
    log = WORK / f"{name}-requests.csv"
    log.unlink(missing_ok=True)
    environ = {
        **os.environ,
        "VERIFY_PLAN": str(plan),
        "VERIFY_STAGES": json.dumps(stages),
        "VERIFY_CONTRIBUTORS": str(contributors),
        "VERIFY_REQUEST_LOG": str(log),
    }
    with open(infra.LOGS / f"locust-{name}.log", "wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            [
                str(infra.BIN / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--only-summary",
                "--csv",
                str(WORK / name),
                "--loglevel",
                "WARNING",
            ],
            cwd=infra.ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc, log


def read_log(path: Path) -> list[Request]:
    with open(path, newline="") as handle:
        return [
            Request(float(r["t"]), r["name"], float(r["ms"]), int(r["status"]), r["marker"])
            for r in csv.DictReader(handle)
        ]


CHECK_CODE = """
import json, re
from forum_ouvert.core.models import AuditLog
from participation.contributions.models import Contribution
data = json.load(open({path!r}))
posted, confirmed = set(data["posted"]), set(data["confirmed"])
found = {{}}
rows = Contribution.objects.filter(author__email__startswith="verify-", body__contains="verify-")
for pk, body in rows.values_list("pk", "body"):
    match = re.search(r"verify-[0-9a-f-]{{36}}", body)
    if match and match.group(0) in posted:
        found.setdefault(match.group(0), []).append(pk)
pks = [str(pk) for pks in found.values() for pk in pks]
audited = set(
    AuditLog.objects.filter(action="contributions.contribution.submit", target_id__in=pks)
    .values_list("target_id", flat=True)
)
print(json.dumps({{
    "posted": len(posted),
    "confirmed": len(confirmed),
    "in_database": sum(len(v) for v in found.values()),
    "missing": sorted(confirmed - set(found))[:20],
    "missing_count": len(confirmed - set(found)),
    "duplicates": sum(len(v) - 1 for v in found.values() if len(v) > 1),
    "unconfirmed_but_written": len(set(found) - confirmed),
    "without_audit": len([pk for pk in pks if pk not in audited]),
}}))
"""


def check_database(name: str, requests: list[Request], extra_confirmed=(), extra_posted=()):
    """Every confirmed contribution in the database exactly once, each with its audit row."""
    posted = {r.marker for r in requests if r.marker} | set(extra_posted)
    confirmed = {r.marker for r in requests if r.confirmed} | set(extra_confirmed)
    path = WORK / f"{name}-markers.json"
    path.write_text(json.dumps({"posted": sorted(posted), "confirmed": sorted(confirmed)}))
    return json.loads(infra.django_shell(CHECK_CODE.format(path=str(path))).splitlines()[-1])
