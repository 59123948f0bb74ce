"""Benchmark data: 17 commitments, 200 milestones, 2,000 evidence, 100,000 journal rows."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from forum_ouvert.core.bench import Scenario

from .importer import import_plan_file
from .models import Commitment, Evidence, JournalEntry, Milestone

PLAN_FILE = Path(__file__).resolve().parent / "data" / "plan-2024-2026.json"
MILESTONES, EVIDENCE, JOURNAL = 200, 2_000, 100_000


def populate(*, out) -> None:
    import_plan_file(PLAN_FILE)
    commitments = list(Commitment.objects.filter(plan__is_current=True).order_by("number"))
    rng = random.Random(2024)  # noqa: S311 (reproducible fake data, not cryptography)
    if Milestone.objects.count() < MILESTONES:
        Milestone.objects.bulk_create(
            Milestone(
                commitment=commitments[i % len(commitments)],
                order=i,
                deliverable=f"Livrable de banc d'essai n° {i}",
                ends_on=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1100)),
            )
            for i in range(MILESTONES - Milestone.objects.count())
        )
        out(f"{MILESTONES} jalons")
    if Evidence.objects.count() < EVIDENCE:
        Evidence.objects.bulk_create(
            Evidence(
                commitment=commitments[i % len(commitments)],
                title=f"Justificatif de banc d'essai n° {i}",
                url=f"https://example.org/preuve/{i}",
                dated_on=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1000)),
            )
            for i in range(EVIDENCE - Evidence.objects.count())
        )
        out(f"{EVIDENCE} justificatifs")
    missing = JOURNAL - JournalEntry.objects.count()
    while missing > 0:
        batch = min(missing, 10_000)
        JournalEntry.objects.bulk_create(
            JournalEntry(
                commitment=commitments[rng.randrange(len(commitments))],
                field="progress",
                field_label="Avancement (%)",
                old_value=f"{k % 100} %",
                new_value=f"{(k + 1) % 100} %",
                justification="Point d'étape de banc d'essai, avec une phrase de justification.",
            )
            for k in range(batch)
        )
        missing -= batch
    out(f"{JOURNAL} entrées d'historique")


def _slug() -> str:
    return Commitment.objects.get(plan__is_current=True, number=3).get_absolute_url()


def scenarios() -> list[Scenario]:
    return [
        Scenario("engagements: accueil /", "/"),
        Scenario("engagements: liste /engagements/", "/engagements/"),
        Scenario("engagements: liste filtrée", "/engagements/?status=non_commence&q=citoyens"),
        Scenario("engagements: liste filtrée (htmx)", "/engagements/?status=limite", htmx=True),
        Scenario("engagements: un engagement", _slug),
        Scenario(
            "engagements: historique p. 50 (htmx)", lambda: _slug() + "?page=50", htmx="historique"
        ),
        Scenario("engagements: dépôt /depot/", "/depot/"),
        Scenario("engagements: dépôt filtré", "/depot/?start=2025-01-01&end=2025-06-30"),
        Scenario("engagements: plan", "/plans/pan-2024-2026/"),
        Scenario("engagements: engagements.csv", "/donnees/engagements.csv"),
        Scenario("engagements: engagements.json", "/donnees/engagements.json"),
        Scenario("engagements: jalons.csv", "/donnees/jalons.csv"),
        Scenario("engagements: journal.atom", "/donnees/journal.atom"),
        Scenario(
            "engagements: journal.csv (100 000 lignes)",
            "/donnees/journal.csv",
            target_median_ms=3000,
            target_p95_ms=4000,
            repeat=5,
        ),
    ]
