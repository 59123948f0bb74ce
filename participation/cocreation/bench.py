"""``make bench``: 5,000 proposals × 10 versions, then the list, a proposal and its diff.

Rows are bulk-inserted (versions are append-only: inserting is all they allow).
Idempotent: an existing dataset is kept. ``measure`` times the diff of two versions of
20,000 characters, the case the issue sets a target for (under 50 ms).
"""

from __future__ import annotations

import datetime
import random
import time

from django.db import connection
from django.utils import timezone

from engagements.models import ActionPlan, PlanStatus
from forum_ouvert.core.bench import Scenario
from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import User

from .diff import diff_text
from .models import CalendarPhase, PhaseKind, Process, Proposal, ProposalStatus, ProposalVersion

PROPOSALS = 5_000
VERSIONS = 10
SLUG = "bench-pan-2027-2029"
SEED = 20270101
WORDS = (
    "transparence",
    "participation",
    "redevabilité",
    "données",
    "ouvertes",
    "décision",
    "publique",
    "citoyens",
    "associations",
    "ministère",
    "collectivités",
    "publication",
    "réponse",
    "argumentée",
    "engagement",
    "jalon",
    "livrable",
    "forum",
    "délibération",
    "évaluation",
    "budget",
    "numérique",
)


def _text(rng: random.Random, size: int) -> str:
    words, length = [], 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
        if rng.random() < 0.05:
            words.append(".\n")
    return " ".join(words)[:size]


def _process() -> Process:
    plan, _ = ActionPlan.objects.get_or_create(
        slug=SLUG,
        defaults={"title": "Banc d'essai : plan 2027-2029", "status": PlanStatus.CO_CONSTRUCTION},
    )
    process, created = Process.objects.get_or_create(
        plan=plan,
        defaults={
            "presentation": "Banc d'essai.",
            "calendar_published_at": timezone.now() - datetime.timedelta(days=30),
        },
    )
    if created:
        today = timezone.localdate()
        CalendarPhase.objects.create(
            process=process,
            kind=PhaseKind.PROPOSALS,
            starts_on=today - datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=10),
            activities="Déposer des propositions.",
        )
    return process


def populate(*, out, proposals: int = PROPOSALS, versions: int = VERSIONS) -> None:
    _populate(out=out, proposals=proposals, versions=versions)
    # Fresh statistics, as autovacuum would have gathered them on a live database (without
    # them the feed's query sorts every version instead of reading its index).
    with connection.cursor() as cursor:
        for model in (Process, Proposal, ProposalVersion):
            # nosemgrep: fo-raw-sql-formatting (a model's own table name)
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _populate(*, out, proposals: int, versions: int) -> None:
    process = _process()
    if process.proposals.count() >= proposals:
        out(f"{proposals} propositions × {versions} versions (déjà là)")
        return
    author, _ = User.objects.get_or_create(
        email="bench-cocreation@bench.invalid",
        defaults={"role": Role.ASSOCIATION, "display_name": "Banc d'essai"},
    )
    rng = random.Random(SEED)  # noqa: S311 (reproducible fake data, not cryptography)
    now = timezone.now()
    batch = 500
    for start in range(process.proposals.count(), proposals, batch):
        made = Proposal.objects.bulk_create(
            Proposal(
                process=process,
                author=author,
                title=f"Proposition de banc d'essai n° {i}",
                problem=_text(rng, 600),
                description=_text(rng, 900),
                how_it_helps=_text(rng, 400),
                ogp_values=["transparence"],
                status=ProposalStatus.SUBMITTED,
                submitted_at=now - datetime.timedelta(minutes=i),
                version_count=versions,
                last_version_at=now - datetime.timedelta(minutes=i),
                revision=versions + 1,
            )
            for i in range(start, min(start + batch, proposals))
        )
        ProposalVersion.objects.bulk_create(
            ProposalVersion(
                proposal=proposal,
                number=n,
                author=author,
                created_at=now - datetime.timedelta(minutes=proposal.pk, seconds=-n),
                **{**proposal.text_fields(), "description": f"{proposal.description} v{n}"},
            )
            for proposal in made
            for n in range(1, versions + 1)
        )
    out(f"{proposals} propositions × {versions} versions")


def _proposal_path(suffix: str = "") -> str:
    proposal = Proposal.objects.filter(process__plan__slug=SLUG).order_by("pk").first()
    return f"{proposal.get_absolute_url()}{suffix}"


def scenarios() -> list[Scenario]:
    return [
        Scenario(
            "co-construction: liste des propositions", f"/co-construction/{SLUG}/propositions/"
        ),
        Scenario(
            "co-construction: liste p. 100", f"/co-construction/{SLUG}/propositions/?page=100"
        ),
        Scenario("co-construction: une proposition (10 versions)", _proposal_path),
        Scenario(
            "co-construction: comparer v1 et v10",
            lambda: _proposal_path("comparer/?de=1&a=10"),
        ),
        Scenario(
            "co-construction: propositions.csv (5 000)",
            "/donnees/co-construction/propositions.csv",
            target_median_ms=1000,
            target_p95_ms=1500,
            repeat=5,
        ),
        Scenario(
            "co-construction: versions.csv (50 000)",
            "/donnees/co-construction/versions.csv",
            target_median_ms=8000,
            target_p95_ms=10000,
            repeat=3,
        ),
        Scenario("co-construction: flux Atom", "/donnees/co-construction.atom"),
    ]


def diff_timing(size: int = 20_000, repeat: int = 20) -> float:
    """The median time (ms) of the diff of two versions of ``size`` characters that
    differ in about one word in twenty."""
    rng = random.Random(SEED)  # noqa: S311 (reproducible fake data, not cryptography)
    old = _text(rng, size)
    words = old.split(" ")
    for k in range(0, len(words), 20):
        words[k] = rng.choice(WORDS)
    new = " ".join(words)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        diff_text(old, new)
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def measure(*, out) -> None:
    median = diff_timing()
    mark = "ok" if median < 50 else "TROP LENT"
    out(f"co-construction: diff de deux versions de 20 000 caractères : {median:.1f} ms ({mark})")
