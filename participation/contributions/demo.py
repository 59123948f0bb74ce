"""Demonstration data of this app: fictitious, idempotent (see ``forum_ouvert.portal.demo``).

Three consultations (one on the next plan, one on a commitment moderated a priori, one
closed with its synthesis), contributions by the demo accounts, supports, comments, a
report waiting for the moderators and reasoned responses. No e-mail is sent.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from engagements.models import Commitment
from forum_ouvert.core.models import Departement

from .models import (
    Comment,
    Consultation,
    Contribution,
    ModerationMode,
    PublicationStatus,
    Report,
    ReportReason,
    Response,
    ResponseStatus,
    Support,
    Theme,
)

NEXT_PLAN = "prochain-plan-d-action"
COMMITMENT = "mise-en-oeuvre-d-un-engagement"
CLOSED = "ateliers-en-region-2025"

CONSULTATIONS = [
    {
        "slug": NEXT_PLAN,
        "title": "Préparer le prochain plan d'action national pour un gouvernement ouvert",
        "presentation": (
            "Le prochain plan d'action national se construit avec vous. Quelles priorités "
            "pour la transparence, la participation et la redevabilité ? Proposez des "
            "engagements, soutenez ceux qui vous semblent utiles : chaque contribution "
            "recevra un retour argumenté.\n\n"
            "(Consultation de démonstration : son contenu est fictif.)"
        ),
        "moderation_mode": ModerationMode.A_POSTERIORI,
        "opens": -30,
        "closes": 60,
        "themes": [
            "Transparence de l'action publique",
            "Participation des citoyens aux décisions",
            "Redevabilité et suivi des engagements",
            "Numérique et données ouvertes",
        ],
    },
    {
        "slug": COMMITMENT,
        "title": "Votre avis sur la mise en œuvre d'un engagement du plan 2024-2026",
        "presentation": (
            "L'équipe qui pilote cet engagement souhaite connaître votre avis sur ses "
            "premiers résultats. Les contributions sont publiées après validation par "
            "l'équipe de modération.\n\n(Consultation de démonstration : contenu fictif.)"
        ),
        "moderation_mode": ModerationMode.A_PRIORI,
        "opens": -10,
        "closes": 45,
        "commitment_number": 3,
        "themes": ["Ce qui fonctionne", "Ce qui pourrait être amélioré"],
    },
    {
        "slug": CLOSED,
        "title": "Comment organiser les ateliers participatifs en région ?",
        "presentation": (
            "Consultation close. Merci pour vos contributions : la synthèse et les "
            "retours argumentés sont publiés.\n\n(Consultation de démonstration : contenu fictif.)"
        ),
        "moderation_mode": ModerationMode.A_POSTERIORI,
        "opens": -200,
        "closes": -120,
        "themes": ["Lieux et horaires", "Accessibilité", "Suites données aux ateliers"],
    },
]

# (consultation slug, theme index, author key, title, body, département, days ago)
CONTRIBUTIONS = [
    (
        NEXT_PLAN,
        0,
        "citizen",
        "Publier les agendas des ministres en données ouvertes",
        "Les rendez-vous des membres du gouvernement avec des représentants d'intérêts "
        "devraient être publiés chaque semaine, dans un format réutilisable.\n\n"
        "Exemple de format ouvert : https://www.data.gouv.fr",
        "69",
        12,
    ),
    (
        NEXT_PLAN,
        1,
        "citizen2",
        "Un budget participatif national pour les projets de proximité",
        "Permettre aux habitants de chaque région de proposer et voter des projets "
        "financés par une part du budget de l'État, avec un suivi public des réalisations.",
        "2A",
        9,
    ),
    (
        NEXT_PLAN,
        2,
        "association",
        "Un tableau de bord public de l'avancement de chaque engagement",
        "Chaque engagement du plan devrait avoir un tableau de bord mis à jour tous les "
        "trimestres : jalons atteints, retards, justificatifs.",
        "33",
        8,
    ),
    (
        NEXT_PLAN,
        3,
        "citizen",
        "Ouvrir les codes sources des algorithmes publics",
        "Les administrations devraient publier la liste des algorithmes qui fondent des "
        "décisions individuelles, avec leurs règles de traitement expliquées simplement.",
        "69",
        5,
    ),
    (
        NEXT_PLAN,
        1,
        "citizen2",
        "Des conventions citoyennes tirées au sort dans chaque région",
        "Tirer au sort des citoyens pour débattre des priorités régionales, avec une "
        "obligation de réponse motivée de l'administration.",
        "2A",
        2,
    ),
    (
        COMMITMENT,
        0,
        "association",
        "Les ateliers en ligne ont élargi le public",
        "Les ateliers organisés en ligne le soir ont permis à des personnes qui travaillent "
        "en journée de participer. À poursuivre.",
        "33",
        6,
    ),
    (
        CLOSED,
        0,
        "citizen",
        "Organiser des ateliers le samedi matin",
        "En semaine, beaucoup de personnes ne peuvent pas se libérer. Le samedi matin, "
        "dans une mairie ou une médiathèque, serait plus accessible.",
        "69",
        170,
    ),
    (
        CLOSED,
        1,
        "citizen2",
        "Prévoir l'interprétation en langue des signes",
        "Chaque atelier devrait pouvoir être suivi par des personnes sourdes ou "
        "malentendantes, sur simple demande à l'inscription.",
        "2A",
        160,
    ),
    (
        CLOSED,
        2,
        "association",
        "Envoyer un compte rendu à chaque participant",
        "Un compte rendu écrit, envoyé dans le mois, avec ce que l'administration retient "
        "des échanges, donnerait envie de revenir.",
        "33",
        150,
    ),
]

RESPONSES = {
    "Organiser des ateliers le samedi matin": (
        ResponseStatus.ACCEPTED,
        "Retenue : la moitié des ateliers de 2026 auront lieu le samedi matin, dans des "
        "lieux publics proches des transports.",
    ),
    "Prévoir l'interprétation en langue des signes": (
        ResponseStatus.PARTLY_ACCEPTED,
        "Partiellement retenue : l'interprétation sera proposée sur demande pour les "
        "ateliers en présentiel ; le sous-titrage en direct est à l'étude pour les "
        "ateliers en ligne.",
    ),
    "Envoyer un compte rendu à chaque participant": (
        ResponseStatus.ACCEPTED,
        "Retenue : chaque participant recevra le compte rendu de son atelier et pourra "
        "le retrouver dans « Mon espace ».",
    ),
    "Publier les agendas des ministres en données ouvertes": (
        ResponseStatus.UNDER_REVIEW,
        "À l'étude : la faisabilité juridique et technique est en cours d'examen avec "
        "les services concernés. Un point d'étape sera publié.",
    ),
}

SUPPORTERS = {
    "Publier les agendas des ministres en données ouvertes": ["citizen2", "association"],
    "Un budget participatif national pour les projets de proximité": ["citizen"],
    "Un tableau de bord public de l'avancement de chaque engagement": ["citizen", "citizen2"],
    "Organiser des ateliers le samedi matin": ["citizen2", "association"],
    "Envoyer un compte rendu à chaque participant": ["citizen"],
}


def _consultations(today: datetime.date) -> dict[str, Consultation]:
    consultations = {}
    for spec in CONSULTATIONS:
        commitment = None
        if spec.get("commitment_number"):
            commitment = Commitment.objects.filter(
                plan__is_current=True, number=spec["commitment_number"]
            ).first()
        consultation, _created = Consultation.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "presentation": spec["presentation"],
                "moderation_mode": spec["moderation_mode"],
                "opens_on": today + datetime.timedelta(days=spec["opens"]),
                "closes_on": today + datetime.timedelta(days=spec["closes"]),
                "commitment": commitment,
                "is_published": True,
            },
        )
        for order, title in enumerate(spec["themes"]):
            Theme.objects.update_or_create(
                consultation=consultation, title=title, defaults={"order": order}
            )
        consultations[spec["slug"]] = consultation
    return consultations


def seed(*, users: dict) -> None:
    """Load this app's demo data; ``users`` are the demo accounts by key (see ACCOUNTS)."""
    now = timezone.now()
    consultations = _consultations(timezone.localdate())
    by_title: dict[str, Contribution] = {}
    for slug, theme_index, author_key, title, body, dep, days in CONTRIBUTIONS:
        consultation = consultations[slug]
        theme = consultation.themes.order_by("order", "id")[theme_index]
        contribution, created = Contribution.objects.get_or_create(
            consultation=consultation,
            title=title,
            defaults={
                "author": users[author_key],
                "body": body,
                "theme": theme,
                "departement": Departement.objects.filter(code=dep).first(),
                "commitment": consultation.commitment,
                "status": PublicationStatus.PUBLISHED,
                "created_at": now - datetime.timedelta(days=days),
            },
        )
        by_title[title] = contribution
    for title, keys in SUPPORTERS.items():
        for key in keys:
            Support.objects.get_or_create(contribution=by_title[title], user=users[key])
    for title, (status, text) in RESPONSES.items():
        contribution = by_title[title]
        Response.objects.get_or_create(
            contribution=contribution,
            defaults={"status": status, "text": text, "author": users["staff"]},
        )
        if contribution.responded_at is None:
            contribution.responded_at = contribution.created_at + datetime.timedelta(days=20)
            contribution.save(update_fields=["responded_at"])
    _comments(users, by_title)
    _moderation_examples(users, consultations, by_title)
    _recount()


def _comments(users: dict, by_title: dict[str, Contribution]) -> None:
    target = by_title["Un budget participatif national pour les projets de proximité"]
    first, _created = Comment.objects.get_or_create(
        contribution=target,
        author=users["association"],
        parent=None,
        defaults={
            "body": "Plusieurs villes le font déjà : il faudrait partir de leur expérience.",
        },
    )
    Comment.objects.get_or_create(
        contribution=target,
        author=users["citizen2"],
        parent=first,
        defaults={"body": "Tout à fait, et publier chaque année le bilan des projets votés."},
    )
    Comment.objects.get_or_create(
        contribution=by_title["Organiser des ateliers le samedi matin"],
        author=users["citizen2"],
        parent=None,
        defaults={"body": "Et prévoir un accueil des enfants pendant l'atelier."},
    )


def _moderation_examples(users: dict, consultations: dict, by_title: dict) -> None:
    """One contribution waiting for a priori approval, one comment reported."""
    Contribution.objects.get_or_create(
        consultation=consultations[COMMITMENT],
        title="Mieux annoncer les ateliers dans les mairies",
        defaults={
            "author": users["citizen"],
            "body": "Les affiches en mairie et les bulletins municipaux toucheraient un "
            "public qui ne fréquente pas les sites internet de l'État.",
            "theme": consultations[COMMITMENT].themes.order_by("order", "id").last(),
            "departement": Departement.objects.filter(code="69").first(),
            "status": PublicationStatus.PENDING,
        },
    )
    reported, _created = Comment.objects.get_or_create(
        contribution=by_title["Ouvrir les codes sources des algorithmes publics"],
        author=users["citizen2"],
        parent=None,
        defaults={"body": "Achetez mes formations en ligne, lien en message privé !"},
    )
    Report.objects.get_or_create(
        reporter=users["citizen"],
        comment=reported,
        status="ouvert",
        defaults={"reason": ReportReason.SPAM, "details": "Publicité sans rapport."},
    )


def _recount() -> None:
    """Keep the counters shown in lists equal to the rows (idempotent)."""
    demo = Contribution.objects.filter(consultation__slug__in=[NEXT_PLAN, COMMITMENT, CLOSED])
    for contribution in demo.annotate(
        n_supports=Count("supports", distinct=True),
        n_comments=Count(
            "comments", filter=Q(comments__status=PublicationStatus.PUBLISHED), distinct=True
        ),
    ):
        if (contribution.support_count, contribution.comment_count) != (
            contribution.n_supports,
            contribution.n_comments,
        ):
            contribution.support_count = contribution.n_supports
            contribution.comment_count = contribution.n_comments
            contribution.save(update_fields=["support_count", "comment_count"])
