"""Demo data of the Forum ouvert: fictitious, idempotent (see ``forum_ouvert.portal.demo``).

Three calls: a past one whose results are published (so ``/forum/`` has members, meetings
and minutes; the demo association is one of them), an open one where a newcomer can
apply, and a closed one under review where staff can score and decide. Every
organisation named here is invented.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from forum_ouvert.core.models import Departement

from .models import (
    Application,
    ApplicationStatus,
    Call,
    CallPhase,
    College,
    Criterion,
    ForumCharter,
    Meeting,
    MeetingAttendance,
    Member,
    Review,
    Score,
)
from .scoring import Mark, aggregate, review_note

PAST_SLUG = "ami-demo-2025"
OPEN_SLUG = "ami-demo-renouvellement"
DEMO = "(démonstration)"

COLLEGES = [
    (
        "Associations",
        6,
        "Associations déclarées pour la transparence, la participation ou la redevabilité.",
    ),
    (
        "Collectifs citoyens",
        4,
        "Collectifs non constitués, conseils citoyens, budgets participatifs.",
    ),
    ("Chercheurs et universitaires", 3, "Laboratoires, chaires et chercheur·ses indépendant·es."),
    ("Élus locaux", 3, "Collectivités territoriales et associations d'élus."),
]
CRITERIA = [
    ("Pertinence pour le gouvernement ouvert", 3, 5),
    ("Expérience de la participation", 2, 5),
    ("Ancrage territorial", 1, 5),
]
# (name, collège index, département, decision, marks per reviewer)
PAST_APPLICATIONS = [
    ("Association Voix Citoyennes", 0, "33", "retenue", [(5, 4, 4), (4, 4, 5)]),
    ("Transparence en Région (fictive)", 0, "69", "retenue", [(4, 5, 3), (5, 4, 3)]),
    ("Les Données Ouvertes du Littoral (fictive)", 0, "17", "retenue", [(4, 3, 5)]),
    ("Collectif Budget Participatif Nord (fictif)", 1, "59", "retenue", [(4, 4, 4)]),
    ("Conseil citoyen des Hauts-Quartiers (fictif)", 1, "13", "attente", [(3, 3, 4)]),
    ("Chaire Démocratie Numérique (fictive)", 2, "75", "retenue", [(5, 3, 2)]),
    ("Observatoire de la Redevabilité (fictif)", 2, "31", "non_retenue", [(2, 2, 3)]),
    ("Réseau des Élus pour l'Open Data (fictif)", 3, "44", "retenue", [(4, 3, 4)]),
]
REVIEW_SLUG = "ami-demo-complementaire"
REVIEW_APPLICATIONS = [
    ("Commune de Belleval (fictive)", 3, "71", (4, 3, 5)),
    ("Communauté de communes du Val Clair (fictive)", 3, "24", (3, 4, 4)),
    ("Laboratoire Parole Publique (fictif)", 2, "67", (5, 4, 2)),
    ("Institut des Communs Numériques (fictif)", 2, "38", None),
    ("Syndicat mixte Territoires Ouverts (fictif)", 3, "86", None),
]
OPEN_APPLICATIONS = [
    ("Civic Lab Bretagne (fictif)", 0, "35", ApplicationStatus.SUBMITTED),
    ("Atelier Citoyen du Massif (fictif)", 1, "63", ApplicationStatus.SUBMITTED),
]


def _call(slug: str, **fields) -> Call:
    call, _created = Call.objects.get_or_create(slug=slug, defaults=fields)
    for order, (name, seats, description) in enumerate(COLLEGES):
        College.objects.get_or_create(
            call=call,
            name=name,
            defaults={"seats": seats, "order": order, "description": description},
        )
    for order, (name, weight, scale) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            call=call, name=name, defaults={"weight": weight, "scale_max": scale, "order": order}
        )
    return call


def _departement(code: str):
    return Departement.objects.filter(code=code).first()


def _application(call, applicant, name, college, dept, status, submitted_at, **extra):
    application = Application.objects.filter(call=call, organisation_name=name).first()
    if application:
        return application, False
    application = Application(
        call=call,
        applicant=applicant,
        organisation_name=name,
        legal_form="collectif" if "ollectif" in name or "onseil" in name else "association",
        departement=_departement(dept),
        website="",
        contact_name="Contact de démonstration",
        contact_email=f"contact+{call.pk}-{college.pk}@demo.forum-ouvert.fr",
        college=college,
        motivation=(
            "Texte de démonstration : notre organisation souhaite suivre la mise en œuvre du "
            "plan d'action national et contribuer à la co-construction du suivant."
        ),
        experience=(
            "Texte de démonstration : concertations locales, ateliers de données ouvertes, "
            "suivi citoyen des engagements publics."
        ),
        accepts_accuracy=True,
        accepts_privacy=True,
        status=status,
        submitted_at=submitted_at,
        acknowledged_at=submitted_at,
        **extra,
    )
    application.save()
    return application, True


def _score(application, reviewer, marks, criteria):
    review, created = Review.objects.get_or_create(
        application=application,
        reviewer=reviewer,
        defaults={"no_conflict_declared_at": application.submitted_at},
    )
    if created:
        Score.objects.bulk_create(
            [
                Score(review=review, criterion=c, value=v)
                for c, v in zip(criteria, marks, strict=True)
            ]
        )
        review.total = review_note(
            Mark(value=v, scale_max=c.scale_max, weight=c.weight)
            for c, v in zip(criteria, marks, strict=True)
        )
        review.save(update_fields=["total"])
    return review


def _past_call(users: dict, now: dt.datetime) -> Call:
    opened = now - dt.timedelta(days=400)
    call = _call(
        PAST_SLUG,
        title=f"Appel à manifestation d'intérêt 2025 {DEMO}",
        presentation=(
            "Appel fictif de démonstration. Le Forum ouvert recrute des organisations de la "
            "société civile pour suivre et co-construire le plan d'action national pour un "
            "gouvernement ouvert."
        ),
        eligibility=(
            "Conditions fictives de démonstration : être une organisation à but non lucratif, "
            "un collectif, un laboratoire de recherche ou une collectivité ; agir en France."
        ),
        expected_documents="Statuts ou présentation du collectif ; rapport d'activité.",
        opens_at=opened,
        closes_at=opened + dt.timedelta(days=45),
        phase=CallPhase.PUBLISHED,
        results_published_at=opened + dt.timedelta(days=90),
    )
    colleges = list(call.colleges.order_by("order", "name"))
    criteria = list(call.criteria.order_by("order", "pk"))
    reviewers = [users["staff"], users["admin"]]
    for index, (name, college_index, dept, decision, marks) in enumerate(PAST_APPLICATIONS):
        applicant = users["association"] if index == 0 else None
        application, created = _application(
            call,
            applicant,
            name,
            colleges[college_index],
            dept,
            decision,
            opened + dt.timedelta(days=10 + index),
            decided_at=opened + dt.timedelta(days=80),
            decided_by=users["staff"],
            decision_message=(
                "Message de démonstration : la commission a apprécié l'expérience de "
                "participation de votre organisation et son ancrage territorial."
            ),
            decision_notified=decision,
            decision_notified_at=opened + dt.timedelta(days=90),
        )
        if not created:
            continue
        reviews = [
            _score(application, r, m, criteria) for r, m in zip(reviewers, marks, strict=False)
        ]
        mean, spread = aggregate(r.total for r in reviews)
        Application.objects.filter(pk=application.pk).update(
            score_mean=mean, score_spread=spread, review_count=len(reviews)
        )
        if decision == ApplicationStatus.RETAINED:
            Member.from_application(
                application, joined_on=timezone.localdate(call.results_published_at)
            ).save()
    return call


def _meetings(users: dict, now: dt.datetime) -> None:
    plans = [
        (
            "Séance d'installation du Forum ouvert",
            now - dt.timedelta(days=250),
            "Présentation des membres ; règles de participation ; calendrier de suivi du plan.",
            "Compte rendu de démonstration : installation du forum, adoption des règles de "
            "participation, désignation de trois rapporteurs pour le suivi des engagements.",
        ),
        (
            "Suivi à mi-parcours du plan d'action",
            now - dt.timedelta(days=100),
            "Point d'étape des engagements ; retours des ateliers participatifs.",
            "Compte rendu de démonstration : revue des jalons des engagements, "
            "recommandations du forum sur la publication des justificatifs.",
        ),
        (
            "Préparation du prochain plan d'action",
            now + dt.timedelta(days=40),
            "Méthode de co-construction ; calendrier des consultations.",
            "",
        ),
    ]
    members = list(Member.objects.filter(call__slug=PAST_SLUG).order_by("pk"))
    for title, starts_at, agenda, minutes in plans:
        start = starts_at.replace(hour=14, minute=0, second=0, microsecond=0)
        meeting, created = Meeting.objects.get_or_create(
            title=title,
            defaults={
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=3),
                "place": "Conseil économique, social et environnemental, Paris (démonstration)",
                "agenda": agenda,
                "minutes_text": minutes,
                "minutes_published_at": start + dt.timedelta(days=10) if minutes else None,
            },
        )
        if created and minutes:
            MeetingAttendance.objects.bulk_create(
                [
                    MeetingAttendance(meeting=meeting, member=m, marked_by=users["staff"])
                    for m in members[: max(1, len(members) - 1)]
                ]
            )


def _open_call(users: dict, now: dt.datetime) -> Call:
    call = _call(
        OPEN_SLUG,
        title=f"Renouvellement partiel du Forum ouvert {DEMO}",
        presentation=(
            "Appel fictif de démonstration, ouvert : essayez de candidater avec le compte "
            "citoyen de démonstration."
        ),
        eligibility="Conditions fictives de démonstration : les mêmes que l'appel 2025.",
        expected_documents="Statuts ou présentation du collectif (PDF).",
        opens_at=now - dt.timedelta(days=10),
        closes_at=(now + dt.timedelta(days=30)).replace(hour=12, minute=0, second=0, microsecond=0),
        phase=CallPhase.OPEN,
    )
    colleges = list(call.colleges.order_by("order", "name"))
    for index, (name, college_index, dept, status) in enumerate(OPEN_APPLICATIONS):
        _application(
            call,
            None,
            name,
            colleges[college_index],
            dept,
            status,
            now - dt.timedelta(days=5 - index),
        )
    return call


def _review_call(users: dict, now: dt.datetime) -> Call:
    """A closed call under review: staff can score, decide and publish in the demo."""
    opened = now - dt.timedelta(days=60)
    call = _call(
        REVIEW_SLUG,
        title=f"Appel complémentaire : élus locaux et chercheurs {DEMO}",
        presentation="Appel fictif de démonstration, clos et en cours d'examen.",
        eligibility="Conditions fictives de démonstration.",
        opens_at=opened,
        closes_at=opened + dt.timedelta(days=30),
        phase=CallPhase.REVIEW,
    )
    colleges = list(call.colleges.order_by("order", "name"))
    criteria = list(call.criteria.order_by("order", "pk"))
    for index, (name, college_index, dept, marks) in enumerate(REVIEW_APPLICATIONS):
        application, created = _application(
            call,
            None,
            name,
            colleges[college_index],
            dept,
            ApplicationStatus.SUBMITTED,
            opened + dt.timedelta(days=5 + index),
        )
        if created and marks:
            review = _score(application, users["admin"], marks, criteria)
            Application.objects.filter(pk=application.pk).update(
                score_mean=review.total, score_spread=0, review_count=1
            )
    return call


def seed(*, users: dict) -> None:
    """Load this app's demo data; ``users`` are the demo accounts by key (see ACCOUNTS)."""
    now = timezone.now().replace(microsecond=0)
    ForumCharter.objects.get_or_create(
        pk=1,
        defaults={
            "presentation": (
                "Texte de démonstration. Le Forum ouvert est l'espace permanent d'échange et de "
                "co-construction entre l'administration et la société civile, hébergé par le "
                "CESE. Il suit la mise en œuvre du plan d'action national pour un gouvernement "
                "ouvert et prépare les plans suivants."
            ),
            "rules": (
                "Règles de démonstration, à remplacer par les règles adoptées :\n"
                "1. Le forum se réunit au moins tous les six mois ; l'ordre du jour est publié "
                "à l'avance et le compte rendu après chaque séance.\n"
                "2. Chaque organisation membre désigne une personne titulaire et une suppléante.\n"
                "3. Les positions exprimées et les suites données sont rendues publiques."
            ),
        },
    )
    _past_call(users, now)
    _meetings(users, now)
    _open_call(users, now)
    _review_call(users, now)
