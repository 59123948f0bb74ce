"""``make bench`` for the Forum ouvert: a call under review with 5,000 applications.

Target from the issue: the review queue's median under 100 ms with 5,000 applications.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from forum_ouvert.core.bench import Scenario
from forum_ouvert.core.models import Departement, User

from .models import (
    Application,
    ApplicationStatus,
    Call,
    CallPhase,
    College,
    Criterion,
    Meeting,
    Member,
    Review,
    organisation_key,
)

SLUG = "bench-ami"
SIZE = 5000
STATUSES = [ApplicationStatus.SUBMITTED] * 6 + [
    ApplicationStatus.RETAINED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
]


def _reviewers() -> list[User]:
    reviewers = []
    for n in range(4):
        user, _ = User.objects.get_or_create(
            email=f"bench-relecteur-{n}@bench.invalid",
            defaults={"role": "ditp", "display_name": f"Relecteur·rice {n}"},
        )
        reviewers.append(user)
    return reviewers


@transaction.atomic
def populate(*, out) -> None:
    """One call under review with 5,000 applications, half of them scored, plus members
    and meetings for ``/forum/``. Skips what exists."""
    now = timezone.now()
    call, created = Call.objects.get_or_create(
        slug=SLUG,
        defaults={
            "title": "AMI de mesure (banc)",
            "presentation": "Jeu de données de mesure.",
            "eligibility": "—",
            "opens_at": now - dt.timedelta(days=60),
            "closes_at": now - dt.timedelta(days=10),
            "phase": CallPhase.REVIEW,
        },
    )
    if created:
        for order, (name, seats) in enumerate(
            [("Associations", 20), ("Collectifs", 10), ("Chercheurs", 8), ("Élus", 8)]
        ):
            College.objects.create(call=call, name=name, seats=seats, order=order)
        for order, (name, weight, scale) in enumerate(
            [("Pertinence", 3, 5), ("Expérience", 2, 5), ("Ancrage", 1, 5)]
        ):
            Criterion.objects.create(
                call=call, name=name, weight=weight, scale_max=scale, order=order
            )
    existing = call.applications.count()
    if existing >= SIZE:
        out(f"{existing} candidatures déjà présentes")
        return
    rng = random.Random(42)  # noqa: S311 (benchmark data, not security)
    colleges = list(call.colleges.order_by("order"))
    departements = list(Departement.objects.values_list("code", flat=True)) or [None]
    reviewers = _reviewers()
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                organisation_name=f"Organisation de mesure n° {i}",
                organisation_key=organisation_key(f"Organisation de mesure n° {i}"),
                legal_form="association",
                departement_id=rng.choice(departements),
                contact_name="Contact",
                contact_email=f"contact{i}@bench.invalid",
                college=colleges[i % len(colleges)],
                motivation="Motivation. " * 20,
                experience="Expérience. " * 20,
                accepts_accuracy=True,
                accepts_privacy=True,
                status=(status := rng.choice(STATUSES)),
                submitted_at=now - dt.timedelta(days=11, minutes=i),
                score_mean=round(rng.uniform(5, 19), 2) if i % 2 else None,
                score_spread=round(rng.uniform(0, 4), 2) if i % 2 else None,
                review_count=2 if i % 2 else 0,
                withdrawn_at=now if status == ApplicationStatus.WITHDRAWN else None,
            )
            for i in range(existing, SIZE)
        ],
        batch_size=1000,
    )
    Review.objects.bulk_create(
        [
            Review(application=a, reviewer=r, no_conflict_declared_at=now, total=a.score_mean)
            for a in applications
            if a.score_mean is not None
            for r in rng.sample(reviewers, 2)
        ],
        batch_size=2000,
    )
    out(f"{len(applications)} candidatures créées")
    retained = [a for a in applications if a.status == ApplicationStatus.RETAINED][:200]
    today = timezone.localdate()
    Member.objects.bulk_create([Member.from_application(a, joined_on=today) for a in retained])
    Meeting.objects.bulk_create(
        [
            Meeting(
                title=f"Séance de mesure {n}",
                starts_at=now + dt.timedelta(days=30 * (n - 10)),
                place="Paris",
                agenda="Ordre du jour.",
                minutes_text="Compte rendu." if n < 10 else "",
                minutes_published_at=now if n < 10 else None,
            )
            for n in range(12)
        ]
    )
    out(f"{len(retained)} membres, 12 séances")
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give
        cursor.execute("ANALYZE forum_application; ANALYZE forum_review; ANALYZE forum_member")


def _queue(query: str = "") -> str:
    call = Call.objects.get(slug=SLUG)
    return f"/pilotage/ami/candidatures/?appel={call.pk}{query}"


def _application() -> str:
    application = Application.objects.filter(call__slug=SLUG, review_count__gt=0).first()
    return f"/pilotage/ami/candidatures/{application.pk}/"


def scenarios() -> list[Scenario]:
    return [
        Scenario("forum: file d'examen (5 000)", lambda: _queue(), 100, 200, role="ditp"),
        Scenario(
            "forum: file d'examen, fragment htmx",
            lambda: _queue("&tri=note&page=3"),
            100,
            200,
            role="ditp",
            htmx=True,
        ),
        Scenario(
            "forum: file d'examen, recherche",
            lambda: _queue("&q=mesure+n+42&etat=deposee"),
            100,
            200,
            role="ditp",
        ),
        Scenario(
            "forum: file d'examen, tous appels",
            "/pilotage/ami/candidatures/",
            100,
            200,
            role="ditp",
        ),
        Scenario("forum: une candidature", _application, 100, 200, role="ditp"),
        Scenario("forum: page publique /forum/", "/forum/", 100, 200),
        Scenario(
            "forum: export CSV (5 000)",
            lambda: _queue().replace("candidatures/", "candidatures/export.csv"),
            1000,
            2000,
            role="ditp",
            repeat=5,
        ),
    ]
