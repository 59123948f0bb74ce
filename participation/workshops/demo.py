"""Demonstration data of this app: fictitious, idempotent (see ``forum_ouvert.portal.demo``).

Loads a Tour de France with past and upcoming stops, and workshops around them (the
Baromètre's figures are the real ones, loaded by ``import_barometre``): one with seats
left for the demo citizen (Rhône), one full with a waiting list, an online one, a past one
with its compte rendu and the citizen marked present. No e-mail is sent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from engagements.models import Commitment
from forum_ouvert.core.models import Departement, User

from .models import (
    Audience,
    Outcome,
    Registration,
    RegistrationStatus,
    Tour,
    TourStop,
    Workshop,
    WorkshopFormat,
    WorkshopStatus,
)

DEMO_TOUR = "demo-tour-2025-2026"
ORGANISER = "DITP — équipe Participation citoyenne (démonstration)"


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _stops(tour: Tour) -> dict[str, TourStop]:
    today = timezone.localdate()
    plan = [
        ("lille", -60, "Lille", "59", "Présentation des indicateurs des Hauts-de-France."),
        ("bordeaux", -20, "Bordeaux", "33", "Services publics de proximité et numérique."),
        ("lyon", 12, "Lyon", "69", "Table ronde avec les élu·es de la Métropole."),
        ("ajaccio", 30, "Ajaccio", "2A", "Démarches administratives en territoire insulaire."),
        ("saint-denis", 55, "Saint-Denis", "974", "Rencontre en visioconférence et sur place."),
    ]
    stops = {}
    for key, days, city, code, programme in plan:
        stop = TourStop.objects.filter(tour=tour, city=city).first()
        if stop is None:
            stop = TourStop.objects.create(
                tour=tour,
                date=today + timedelta(days=days),
                city=city,
                departement_id=code,
                programme=f"{programme} (programme fictif de démonstration)",
                summary=(
                    "Bilan fictif : une centaine de participantes et participants, trois "
                    "propositions retenues pour la feuille de route."
                    if days < 0
                    else ""
                ),
            )
        stops[key] = stop
    return stops


def _workshop(slug: str, **fields) -> tuple[Workshop, bool]:
    commitments = fields.pop("commitments", [])
    workshop, created = Workshop.objects.get_or_create(slug=slug, defaults=fields)
    if created and commitments:
        workshop.commitments.set(commitments)
    return workshop, created


def _register(workshop: Workshop, user: User, status: str, *, minutes: int = 0, **extra) -> None:
    moment = workshop.created_at + timedelta(minutes=minutes)
    Registration.objects.get_or_create(
        workshop=workshop,
        user=user,
        defaults={
            "status": status,
            "confirmed_at": moment if status == RegistrationStatus.CONFIRMED else None,
            "waitlisted_at": moment if status == RegistrationStatus.WAITING else None,
            **extra,
        },
    )


def _extra_people(count: int) -> list[User]:
    people = []
    for n in range(1, count + 1):
        user, _created = User.objects.get_or_create(
            email=f"participant{n}@demo.forum-ouvert.fr",
            defaults={"display_name": f"Participant·e {n} (démo)", "is_active": True},
        )
        people.append(user)
    return people


def seed(*, users: dict) -> None:
    """Load this app's demo data; ``users`` are the demo accounts by key (see ACCOUNTS)."""
    # The Baromètre's figures are the real published ones, loaded by ``import_barometre``
    # (``make run`` runs it), never demo data.
    tour, _created = Tour.objects.get_or_create(
        slug=DEMO_TOUR,
        defaults={
            "title": "Tour de France « Ce qui change chez vous » 2025-2026 (démonstration)",
            "description": (
                "Parcours fictif, pour la démonstration : à chaque étape, les résultats du "
                "Baromètre dans le territoire et des ateliers avec les habitantes et habitants."
            ),
            "starts_on": timezone.localdate() - timedelta(days=60),
            "ends_on": timezone.localdate() + timedelta(days=60),
        },
    )
    stops = _stops(tour)
    commitments = list(Commitment.objects.filter(plan__is_current=True).order_by("number"))
    first = commitments[:1]
    staff = users["staff"]
    lyon = Departement.objects.get(code="69")
    common = {"organiser": ORGANISER, "created_by": staff, "step_free_access": True}

    open_workshop, _created = _workshop(
        "demo-atelier-lyon-services-publics",
        title="Services publics de proximité : qu'est-ce qui change à Lyon ? (démonstration)",
        description=(
            "Atelier fictif de démonstration. Nous partons des indicateurs du Baromètre pour le "
            "Rhône, puis chacun·e dit ce qu'il ou elle constate au quotidien."
        ),
        format=WorkshopFormat.IN_PERSON,
        starts_at=_at(12, 18),
        ends_at=_at(12, 20),
        address="20 rue du Lac (adresse fictive)",
        city="Lyon",
        departement=lyon,
        audience=Audience.EVERYONE,
        capacity=30,
        status=WorkshopStatus.PUBLISHED,
        tour_stop=stops["lyon"],
        hearing_loop=True,
        commitments=commitments[2:4],
        **common,
    )
    _register(open_workshop, users["citizen"], RegistrationStatus.CONFIRMED)

    full_workshop, _created = _workshop(
        "demo-atelier-lyon-elus-locaux",
        title="Élu·es locaux : co-construire le prochain plan d'action (démonstration)",
        description="Atelier fictif réservé en priorité aux élu·es locaux du Rhône.",
        format=WorkshopFormat.HYBRID,
        starts_at=_at(13, 9),
        ends_at=_at(13, 12),
        address="Hôtel de ville (adresse fictive)",
        city="Villeurbanne",
        departement=lyon,
        visio_url="https://visio.example.invalid/demo-elus",
        audience=Audience.ELECTED,
        capacity=3,
        status=WorkshopStatus.FULL,
        tour_stop=stops["lyon"],
        sign_language=True,
        commitments=first,
        **common,
    )
    people = _extra_people(4)
    for minutes, person in enumerate(people[:3]):
        _register(
            full_workshop,
            person,
            RegistrationStatus.CONFIRMED,
            minutes=minutes,
            mandate="Conseiller·e municipal·e (fictif)",
        )
    _register(full_workshop, users["citizen2"], RegistrationStatus.WAITING, minutes=10)

    _workshop(
        "demo-atelier-en-ligne-transparence",
        title="Transparence de l'action publique : atelier en ligne (démonstration)",
        description="Atelier fictif en visioconférence, ouvert à toutes et tous.",
        format=WorkshopFormat.ONLINE,
        starts_at=_at(20, 12),
        ends_at=_at(20, 13),
        visio_url="https://visio.example.invalid/demo-transparence",
        audience=Audience.EVERYONE,
        capacity=100,
        status=WorkshopStatus.PUBLISHED,
        live_captioning=True,
        commitments=commitments[:2],
        **common,
    )
    _workshop(
        "demo-atelier-ajaccio-demarches",
        title="Démarches administratives en Corse-du-Sud (démonstration)",
        description="Atelier fictif de l'étape d'Ajaccio du Tour de France.",
        format=WorkshopFormat.IN_PERSON,
        starts_at=_at(30, 14),
        ends_at=_at(30, 17),
        address="Cours Napoléon (adresse fictive)",
        city="Ajaccio",
        departement_id="2A",
        audience=Audience.EVERYONE,
        capacity=40,
        status=WorkshopStatus.PUBLISHED,
        tour_stop=stops["ajaccio"],
        **common,
    )
    past, created = _workshop(
        "demo-atelier-bordeaux-numerique",
        title="Le numérique dans les services publics girondins (démonstration)",
        description="Atelier fictif de l'étape de Bordeaux, déjà tenu.",
        format=WorkshopFormat.IN_PERSON,
        starts_at=_at(-20, 18),
        ends_at=_at(-20, 20),
        address="Place Pey-Berland (adresse fictive)",
        city="Bordeaux",
        departement_id="33",
        audience=Audience.ASSOCIATIONS,
        capacity=25,
        status=WorkshopStatus.FINISHED,
        tour_stop=stops["bordeaux"],
        commitments=first,
        **common,
    )
    _register(past, users["citizen"], RegistrationStatus.CONFIRMED, attended=True)
    if created:
        outcome = Outcome.objects.create(
            workshop=past,
            text=(
                "Compte rendu fictif de démonstration.\n\n"
                "Les participantes et participants ont demandé un accompagnement humain pour "
                "les démarches en ligne et des horaires élargis."
            ),
            published_at=past.ends_at + timedelta(days=2),
            published_by=staff,
        )
        outcome.commitments.set(first)
