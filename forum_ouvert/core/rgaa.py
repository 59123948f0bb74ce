"""The RGAA audit grid and what the accessibility statement computes from it.

The grid (``core/data/rgaa/audit.json``) gives, for each of the 106 criteria of RGAA 4.1 and
each page of the sample, a result — *conforme*, *non conforme*, *non applicable*, or *à
vérifier* while the internal audit has not looked at it — and how it was checked: the tests
that check it automatically (pytest node ids, or a test file) and the manual check. A
criterion's default result holds for every page of the sample unless the page names its own.

The RGAA method, applied here:
- a criterion is *non conforme* when it is so on one page of the sample, *conforme* when it
  is so on every page where it applies, *non applicable* when it applies to none;
- the rate is the share of conforming criteria among the applicable ones;
- the service is *totalement conforme* at 100 %, *partiellement conforme* from 50 %, and
  *non conforme* below, or without a complete audit: a criterion still *à vérifier* keeps it
  *non conforme*, whatever the rate of the criteria already checked.

The criteria's titles come from the official referential (``criteres-4.1.json``, see the
folder's ``PROVENANCE.md``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).parent / "data" / "rgaa"

CONFORME = "conforme"
NON_CONFORME = "non conforme"
NON_APPLICABLE = "non applicable"
A_VERIFIER = "à vérifier"
STATUSES = (CONFORME, NON_CONFORME, NON_APPLICABLE, A_VERIFIER)
#: A criterion's result over the sample: the first of these found on one of its pages.
PRECEDENCE = (NON_CONFORME, A_VERIFIER, CONFORME, NON_APPLICABLE)
STATUS_LABELS = {
    CONFORME: _("conforme"),
    NON_CONFORME: _("non conforme"),
    NON_APPLICABLE: _("non applicable"),
    A_VERIFIER: _("à vérifier"),
}

LEVELS = {
    "non": _("non conforme"),
    "partiel": _("partiellement conforme"),
    "total": _("totalement conforme"),
}


@dataclass(frozen=True)
class Result:
    status: str
    how: str
    tests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Criterion:
    id: str
    theme: str
    title: str
    wcag: tuple[str, ...]
    default: Result
    pages: dict[str, Result] = field(default_factory=dict)

    def on(self, page_id: str) -> Result:
        return self.pages.get(page_id, self.default)

    def results(self, sample) -> list[Result]:
        return [self.on(page.id) for page in sample]

    def status(self, sample) -> str:
        found = {result.status for result in self.results(sample)}
        return next(status for status in PRECEDENCE if status in found)

    @property
    def tests(self) -> tuple[str, ...]:
        """Every automated check named by the criterion, on any page."""
        names = list(self.default.tests)
        for result in self.pages.values():
            names += [name for name in result.tests if name not in names]
        return tuple(names)


@dataclass(frozen=True)
class SamplePage:
    id: str
    title: str
    path: str

    @property
    def is_link(self) -> bool:
        return "<" not in self.path


@dataclass(frozen=True)
class Audit:
    referential: str
    date: dt.date
    nature: str
    environment: tuple[str, ...]
    tools: tuple[str, ...]
    sample: tuple[SamplePage, ...]
    derogations: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    criteria: tuple[Criterion, ...]

    def statuses(self) -> dict[str, str]:
        return {c.id: c.status(self.sample) for c in self.criteria}

    def counts(self) -> Counter:
        return Counter(self.statuses().values())

    @property
    def complete(self) -> bool:
        return self.counts()[A_VERIFIER] == 0

    def rate(self) -> float | None:
        """Conforming criteria among the applicable ones checked, in percent."""
        counts = self.counts()
        checked = counts[CONFORME] + counts[NON_CONFORME]
        return 100 * counts[CONFORME] / checked if checked else None

    def level(self) -> str:
        """« non conforme », « partiellement conforme » or « totalement conforme »."""
        rate = self.rate()
        if not self.complete or rate is None or rate < 50:
            return str(LEVELS["non"])
        return str(LEVELS["total"] if rate == 100 else LEVELS["partiel"])

    def non_accessible(self) -> list[tuple[Criterion, str, list[SamplePage]]]:
        """Each non-conforming finding: the criterion, what is wrong, on which pages."""
        found: dict[tuple[str, str], list[SamplePage]] = {}
        by_id = {c.id: c for c in self.criteria}
        for criterion in self.criteria:
            for page in self.sample:
                result = criterion.on(page.id)
                if result.status == NON_CONFORME:
                    found.setdefault((criterion.id, result.how), []).append(page)
        return [(by_id[cid], how, pages) for (cid, how), pages in found.items()]

    def contradictions(self, failed: set[str]) -> list[str]:
        """The criteria that the grid says *conforme* or *non applicable* while one of the
        automated checks it names has failed (``failed``: pytest node ids), one line per
        criterion and failed test, naming the pages of the sample concerned."""
        found: dict[tuple[str, str, str], list[str]] = {}
        for criterion in self.criteria:
            for page in self.sample:
                result = criterion.on(page.id)
                if result.status not in (CONFORME, NON_APPLICABLE):
                    continue
                for test in result.tests:
                    for nodeid in sorted(failed):
                        if _covers(test, nodeid):
                            key = (criterion.id, result.status, nodeid)
                            found.setdefault(key, []).append(page.title)
        lines = []
        for (cid, status, nodeid), pages in found.items():
            where = "tout l'échantillon" if len(pages) == len(self.sample) else ", ".join(pages)
            lines.append(f"critère {cid} « {status} » ({where}), mais {nodeid} échoue")
        return lines


def _covers(test: str, nodeid: str) -> bool:
    """Whether the grid's ``test`` (a node id, a file or a folder) names ``nodeid``."""
    return nodeid == test or nodeid.startswith((f"{test}::", f"{test}/", f"{test}["))


def _result(data: dict) -> Result:
    if data["statut"] not in STATUSES:
        raise ValueError(f"statut RGAA inconnu : {data['statut']!r}")
    tests = tuple(data.get("tests", ()))
    return Result(status=data["statut"], how=data["verification"], tests=tests)


@functools.cache
def audit() -> Audit:
    """The audit grid, read once per process."""
    referential = json.loads((DATA / "criteres-4.1.json").read_text(encoding="utf-8"))
    grid = json.loads((DATA / "audit.json").read_text(encoding="utf-8"))
    results = grid["criteres"]
    criteria = []
    for item in referential:
        found = results[item["id"]]
        criteria.append(
            Criterion(
                id=item["id"],
                theme=item["theme"],
                title=item["title"],
                wcag=tuple(item["wcag"]),
                default=_result(found),
                pages={page: _result(r) for page, r in found.get("pages", {}).items()},
            )
        )
    unknown = set(results) - {c.id for c in criteria}
    if unknown:
        raise ValueError(f"critères absents du RGAA 4.1 : {sorted(unknown)}")
    return Audit(
        referential=grid["referentiel"],
        date=dt.date.fromisoformat(grid["date"]),
        nature=grid["nature"],
        environment=tuple(grid["environnement"]),
        tools=tuple(grid["outils"]),
        sample=tuple(
            SamplePage(id=p["id"], title=p["titre"], path=p["adresse"]) for p in grid["echantillon"]
        ),
        derogations=tuple(grid.get("derogations", ())),
        out_of_scope=tuple(grid.get("hors_champ", ())),
        criteria=tuple(criteria),
    )
