"""``make bench``: 2,000 workshops, 100,000 registrations and the real Baromètre (77,816 values).

Idempotent: each part is created only when missing. Times the public list (plain,
filtered, htmx), a workshop, the territory and Tour pages, the calendar feed and the
staff's registration list and CSV.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from engagements.models import Commitment
from forum_ouvert.core import terms
from forum_ouvert.core.bench import Scenario
from forum_ouvert.core.models import Departement, User

from .barometre import import_barometre_dataset
from .models import (
    Audience,
    Indicator,
    IndicatorValue,
    Registration,
    RegistrationStatus,
    Tour,
    TourStop,
    Workshop,
    WorkshopFormat,
    WorkshopStatus,
)

WORKSHOPS = 2_000
PER_WORKSHOP = 50  # 40 seats: 40 confirmed, 10 waiting → 100,000 registrations
CAPACITY = 40
PEOPLE = 5_000
PREFIX = "bench-atelier-"


def _people(out) -> list[int]:
    existing = User.objects.filter(email__startswith="bench-participant-").count()
    if existing < PEOPLE:
        password = make_password(None)
        User.objects.bulk_create(
            [
                User(
                    email=f"bench-participant-{n}@bench.invalid",
                    display_name=f"Participant·e {n}",
                    password=password,
                    **terms.accepted_now(),
                )
                for n in range(existing, PEOPLE)
            ],
            batch_size=1000,
        )
        out(f"{PEOPLE - existing} comptes de participants créés")
    return list(
        User.objects.filter(email__startswith="bench-participant-")
        .order_by("id")
        .values_list("id", flat=True)
    )


def _tour(out) -> list[TourStop]:
    tour, _created = Tour.objects.get_or_create(
        slug="bench-tour", defaults={"title": "Tour de France (banc de mesure)"}
    )
    if not tour.stops.exists():
        codes = list(Departement.objects.order_by("code").values_list("code", flat=True))
        today = timezone.localdate()
        TourStop.objects.bulk_create(
            [
                TourStop(
                    tour=tour,
                    date=today + timedelta(days=7 * (i - 30)),
                    city=f"Ville {i}",
                    departement_id=codes[(i * 7) % len(codes)],
                    programme="Programme de l'étape.",
                    summary="Bilan de l'étape." if i < 30 else "",
                )
                for i in range(60)
            ]
        )
        out("60 étapes du Tour créées")
    return list(tour.stops.order_by("date"))


def _workshops(out, stops: list[TourStop]) -> None:
    existing = Workshop.objects.filter(slug__startswith=PREFIX).count()
    if existing >= WORKSHOPS:
        return
    rng = random.Random(6)  # noqa: S311 (fixture data)
    codes = list(Departement.objects.order_by("code").values_list("code", flat=True))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    workshops = []
    for n in range(existing, WORKSHOPS):
        start = now + timedelta(hours=(n - WORKSHOPS // 2) * 4 + 9)
        past = start < now
        online = n % 7 == 0
        workshops.append(
            Workshop(
                slug=f"{PREFIX}{n}",
                title=f"Atelier participatif n° {n} : ce qui change près de chez vous",
                description="Un atelier du banc de mesure. " * 10,
                format=WorkshopFormat.ONLINE if online else WorkshopFormat.IN_PERSON,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                address="" if online else f"{n} rue de la République",
                city="" if online else f"Ville {n % 300}",
                departement_id=None if online else rng.choice(codes),
                visio_url="https://visio.example.invalid/bench" if online else "",
                audience=rng.choice(Audience.values),
                capacity=CAPACITY,
                organiser="DITP",
                status=WorkshopStatus.FINISHED if past else WorkshopStatus.FULL,
                tour_stop=stops[(n // 10) % len(stops)] if n % 10 == 0 else None,
            )
        )
    Workshop.objects.bulk_create(workshops, batch_size=500)
    commitments = list(Commitment.objects.order_by("id")[:17])
    if commitments:
        through = Workshop.commitments.through
        through.objects.bulk_create(
            [
                through(workshop_id=w.pk, commitment_id=commitments[i % len(commitments)].pk)
                for i, w in enumerate(Workshop.objects.filter(slug__startswith=PREFIX))
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
    out(f"{WORKSHOPS - existing} ateliers créés")


def _registrations(out, people: list[int]) -> None:
    workshops = list(
        Workshop.objects.filter(slug__startswith=PREFIX)
        .exclude(registrations__isnull=False)
        .order_by("id")
        .values_list("id", "created_at")
    )
    if not workshops:
        return
    rows = []
    for index, (workshop_id, created) in enumerate(workshops):
        for k in range(PER_WORKSHOP):
            confirmed = k < CAPACITY
            status = RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING
            moment = created + timedelta(minutes=k)
            rows.append(
                Registration(
                    workshop_id=workshop_id,
                    user_id=people[(index * PER_WORKSHOP + k) % len(people)],
                    status=status,
                    confirmed_at=moment if confirmed else None,
                    waitlisted_at=None if confirmed else moment,
                )
            )
        if len(rows) >= 10_000:
            Registration.objects.bulk_create(rows, batch_size=2000)
            rows = []
    Registration.objects.bulk_create(rows, batch_size=2000)
    out(f"{len(workshops) * PER_WORKSHOP} inscriptions créées")


def _barometre(out) -> None:
    """The real Baromètre, as ``make run`` loads it (106 indicators, 77,816 values): the
    territory pages are measured on the data they show in production. Skipped when the
    files have not changed since the last import (``import_barometre_dataset``)."""
    out(import_barometre_dataset().summary())
    # The synthetic indicators of earlier benches, on a bench database kept between runs.
    IndicatorValue.objects.filter(indicator__code__startswith="BENCH-").delete()
    Indicator.objects.filter(code__startswith="BENCH-").delete()


def populate(*, out) -> None:
    people = _people(out)
    stops = _tour(out)
    _workshops(out, stops)
    _registrations(out, people)
    _barometre(out)
    # Fresh statistics, as autovacuum would have gathered them on a live database.
    with connection.cursor() as cursor:
        for model in (Workshop, Registration, IndicatorValue, TourStop):
            # nosemgrep: fo-raw-sql-formatting (a model's own table name)
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def _first_upcoming() -> str:
    workshop = (
        Workshop.objects.filter(slug__startswith=PREFIX, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    return workshop.slug if workshop else f"{PREFIX}0"


def scenarios() -> list[Scenario]:
    return [
        Scenario("workshops: /ateliers/", "/ateliers/"),
        Scenario(
            "workshops: /ateliers/ filtrés (Rhône)", "/ateliers/?departement=69&format=presentiel"
        ),
        Scenario("workshops: /ateliers/ tous, page 40", "/ateliers/?periode=tous&page=40"),
        Scenario("workshops: /ateliers/ (htmx)", "/ateliers/?public=elus_locaux", htmx=True),
        Scenario("workshops: /ateliers/<slug>/", lambda: f"/ateliers/{_first_upcoming()}/"),
        Scenario("workshops: /territoires/", "/territoires/"),
        Scenario("workshops: /territoires/69/", "/territoires/69/"),
        Scenario("workshops: /territoires/2A/", "/territoires/2A/"),
        Scenario("workshops: /territoires/75/", "/territoires/75/"),
        Scenario("workshops: /tour-de-france/", "/tour-de-france/"),
        Scenario(
            "workshops: /ateliers/calendrier.ics",
            "/ateliers/calendrier.ics",
            target_median_ms=150,
            target_p95_ms=250,
        ),
        Scenario("workshops: /pilotage/ateliers/", "/pilotage/ateliers/", role="ditp"),
        Scenario(
            "workshops: inscriptions (pilotage)",
            lambda: f"/pilotage/ateliers/{_first_upcoming()}/inscriptions/",
            role="ditp",
        ),
        Scenario(
            "workshops: inscriptions.csv",
            lambda: f"/pilotage/ateliers/{_first_upcoming()}/inscriptions.csv",
            role="ditp",
        ),
    ]
