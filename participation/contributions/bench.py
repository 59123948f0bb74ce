"""``make bench``: 100 000 contributions and 300 000 supports, then the lists and search.

Rows are written with PostgreSQL ``COPY`` (the search-vector trigger runs on each row),
so that the dataset loads in about a minute. Idempotent: an existing dataset is kept.
"""

from __future__ import annotations

import datetime
import io
import random

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from forum_ouvert.core import terms
from forum_ouvert.core.bench import Scenario
from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import Departement, User

from .models import Consultation, Contribution, ModerationMode, PublicationStatus, Theme

CONTRIBUTIONS = 100_000
SUPPORTERS = 3_000  # supports: contribution i gets (i % 7) of them, 3 on average
PREFIX = "bench-contrib"
SEED = 20260327

SUBJECTS = [
    "la participation citoyenne",
    "la transparence des décisions",
    "les données ouvertes",
    "le budget de la région",
    "les élus locaux",
    "la redevabilité des ministères",
    "les marchés publics",
    "l'accès à l'information",
    "le numérique public",
    "les consultations en ligne",
    "l'évaluation des politiques publiques",
    "les associations de quartier",
]
ACTS = [
    "Publier",
    "Ouvrir",
    "Renforcer",
    "Simplifier",
    "Évaluer",
    "Expliquer",
    "Associer les citoyens à",
    "Mieux financer",
    "Rendre accessible",
    "Suivre chaque trimestre",
]
WHERE = [
    "dans chaque département",
    "au niveau national",
    "dans les communes rurales",
    "en Outre-mer",
    "dans les quartiers prioritaires",
    "à l'échelle de la région",
]
SENTENCES = [
    "Les habitants doivent pouvoir participer aux choix qui les concernent.",
    "Un tableau de bord public permettrait de suivre les engagements pris.",
    "Les documents devraient être publiés en format ouvert et réutilisable.",
    "Il faut former les agents publics au dialogue avec la société civile.",
    "Une réponse motivée devrait être apportée à chaque proposition.",
    "Les données de la région sont aujourd'hui difficiles à trouver.",
    "Les élus locaux pourraient présenter un bilan annuel de leurs actions.",
    "Des ateliers participatifs réguliers renforceraient la confiance.",
    "La transparence des subventions aux associations doit progresser.",
    "Chaque ministère pourrait publier son agenda de rendez-vous.",
]


def _tsv(value) -> str:
    if value is None:
        return r"\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n").replace("\r", " ")


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_tsv(v) for v in row) + "\n")
    buffer.seek(0)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def _users(out) -> list[int]:
    existing = list(
        User.objects.filter(email__startswith=f"{PREFIX}-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(existing) >= SUPPORTERS:
        return existing[:SUPPORTERS]
    password = make_password(None)
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                email=f"{PREFIX}-{i}@bench.invalid",
                display_name=f"Participant {i}",
                public_display_consent=i % 3 == 0,
                password=password,
                date_joined=now,
                **terms.accepted_now(),
            )
            for i in range(len(existing), SUPPORTERS)
        ],
        batch_size=1000,
    )
    out(f"{SUPPORTERS} comptes de participants")
    return list(
        User.objects.filter(email__startswith=f"{PREFIX}-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _consultations() -> list[Consultation]:
    today = timezone.localdate()
    consultations = []
    for i in range(5):
        consultation, _created = Consultation.objects.get_or_create(
            slug=f"{PREFIX}-{i}",
            defaults={
                "title": f"Consultation de mesure n° {i}",
                "presentation": "Jeu de données de mesure des performances.",
                "opens_on": today - datetime.timedelta(days=700 - i * 100),
                "closes_on": today + datetime.timedelta(days=30 + i),
                "moderation_mode": ModerationMode.A_POSTERIORI,
                "is_published": True,
            },
        )
        for order, subject in enumerate(SUBJECTS[i : i + 4]):
            Theme.objects.get_or_create(
                consultation=consultation, title=subject.capitalize(), defaults={"order": order}
            )
        consultations.append(consultation)
    return consultations


def populate(*, out) -> None:
    """Create the dataset unless it is there already."""
    consultations = _consultations()
    if Contribution.objects.filter(consultation__in=consultations).count() >= CONTRIBUTIONS:
        out("contributions : jeu de données déjà présent")
        return
    rng = random.Random(SEED)  # noqa: S311 (fictitious benchmark data)
    users = _users(out)
    staff, _created = User.objects.get_or_create(
        email=f"{PREFIX}-agent@bench.invalid", defaults={"role": Role.STAFF}
    )
    citizen, _created = User.objects.get_or_create(
        email="bench-citoyen@bench.invalid",
        defaults={"role": Role.CITIZEN, "display_name": "Bench citoyen"},
    )
    departements = list(Departement.objects.values_list("code", flat=True))
    themes = {c.pk: list(c.themes.values_list("pk", flat=True)) for c in consultations}
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for i in range(CONTRIBUTIONS):
            consultation = consultations[i % len(consultations)]
            created = now - datetime.timedelta(minutes=rng.randint(1, 700 * 24 * 60))
            status = PublicationStatus.PUBLISHED
            if i % 100 == 1:
                status = PublicationStatus.PENDING
            elif i % 100 == 2:
                status = PublicationStatus.HIDDEN
            responded = created + datetime.timedelta(days=10) if i % 10 == 0 else None
            title = f"{rng.choice(ACTS)} {rng.choice(SUBJECTS)} {rng.choice(WHERE)}"
            body = " ".join(rng.sample(SENTENCES, 4))
            author = citizen.pk if i % 500 == 0 else rng.choice(users)
            supports = i % 7 if status == PublicationStatus.PUBLISHED else 0
            rows.append(
                (
                    consultation.pk,
                    rng.choice(themes[consultation.pk]),
                    author,
                    title[:160],
                    body,
                    rng.choice(departements) if i % 4 else None,
                    status,
                    "Hors charte (jeu de mesure)" if status == PublicationStatus.HIDDEN else "",
                    supports,
                    0,
                    responded,
                    created,
                    created,
                )
            )
        _copy(
            "contributions_contribution",
            [
                "consultation_id",
                "theme_id",
                "author_id",
                "title",
                "body",
                "departement_id",
                "status",
                "moderation_reason",
                "support_count",
                "comment_count",
                "responded_at",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        out(f"{CONTRIBUTIONS} contributions")
        listed = list(
            Contribution.objects.filter(consultation__in=consultations)
            .order_by("pk")
            .values_list("pk", "support_count", "responded_at", "author_id")
        )
        support_rows = []
        for pk, count, _responded, author in listed:
            start = (pk * 7919) % len(users)
            chosen = [users[(start + k * 131) % len(users)] for k in range(count)]
            support_rows.extend((pk, user, now) for user in chosen if user != author)
        _copy("contributions_support", ["contribution_id", "user_id", "created_at"], support_rows)
        out(f"{len(support_rows)} soutiens")
        statuses = ["a_l_etude", "retenue", "partiellement_retenue", "non_retenue", "hors_sujet"]
        _copy(
            "contributions_response",
            [
                "contribution_id",
                "status",
                "text",
                "author_id",
                "revision",
                "created_at",
                "updated_at",
            ],
            (
                (pk, statuses[pk % 5], "Retour argumenté du jeu de mesure.", staff.pk, 1, r, r)
                for pk, _count, r, _author in listed
                if r is not None
            ),
        )
        # Supports of authors on their own contribution were skipped: recount.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE contributions_contribution c SET support_count = s.n FROM ("
                " SELECT contribution_id, count(*) AS n FROM contributions_support"
                " GROUP BY contribution_id) s WHERE s.contribution_id = c.id"
                " AND c.support_count <> s.n"
            )
    with connection.cursor() as cursor:
        for table in (
            "contributions_contribution",
            "contributions_support",
            "contributions_response",
        ):
            cursor.execute(f"ANALYZE {table}")  # nosemgrep: fo-raw-sql-formatting


def _first_consultation() -> str:
    return f"/contributions/{PREFIX}-0/"


def _one_contribution() -> str:
    contribution = (
        Contribution.objects.filter(consultation__slug=f"{PREFIX}-0", status="publiee")
        .exclude(responded_at=None)
        .order_by("-support_count", "pk")
        .first()
    )
    return contribution.get_absolute_url()


def _consultation_filtered() -> str:
    theme = Theme.objects.filter(consultation__slug=f"{PREFIX}-0").order_by("order").first()
    return f"/contributions/{PREFIX}-0/?theme={theme.pk}&sort=soutiens&departement=69"


def _list(name: str, path, **kwargs) -> Scenario:
    """A list or search page: median under 50 ms, p95 under 150 ms (issue 5)."""
    return Scenario(
        f"contributions : {name}", path, target_median_ms=50, target_p95_ms=150, **kwargs
    )


def _site_search(name: str, path: str) -> Scenario:
    """The site's search (/recherche/): median under 150 ms, p95 under 300 ms."""
    return Scenario(f"recherche du site : {name}", path, target_median_ms=150, target_p95_ms=300)


def scenarios() -> list[Scenario]:
    return [
        _list("liste (récentes)", "/contributions/"),
        _list("liste (plus soutenues)", "/contributions/?sort=soutiens"),
        _list("liste (a reçu une réponse)", "/contributions/?sort=reponse"),
        _list("liste page 200", "/contributions/?page=200"),
        _list("filtre département", "/contributions/?departement=69"),
        _list("filtre sans réponse", "/contributions/?status=sans_reponse"),
        _list("fragment htmx", "/contributions/?sort=soutiens", htmx=True),
        _list("consultation", _first_consultation),
        _list("consultation filtrée", _consultation_filtered),
        _list("recherche « participer »", "/contributions/?q=participer"),
        _list("recherche « région »", "/contributions/?q=r%C3%A9gion"),
        _list("recherche 2 mots + tri", "/contributions/?q=donn%C3%A9es+ouvertes&sort=soutiens"),
        _list("recherche sans résultat", "/contributions/?q=zzzzzz"),
        _list("recherche, page 20", "/contributions/?q=participer&page=20"),
        # The header's search over the whole site (issue 19, item 3), at 100 000 contributions,
        # 5 000 proposals, 2 000 workshops and 2 000 pieces of evidence.
        _site_search("mot courant « participer »", "/recherche/?q=participer"),
        _site_search("sans accent « numerique »", "/recherche/?q=numerique"),
        _site_search("2 mots « données ouvertes »", "/recherche/?q=donn%C3%A9es+ouvertes"),
        _site_search(
            "filtre contributions, page 10", "/recherche/?q=region&type=contributions&page=10"
        ),
        _site_search("sans résultat", "/recherche/?q=zzzzzz"),
        Scenario("contributions : une contribution", _one_contribution),
        Scenario("contributions : synthèse", f"/contributions/{PREFIX}-0/synthese/"),
        Scenario(
            "contributions : file de modération",
            "/pilotage/contributions/moderation/",
            role=Role.STAFF,
        ),
        Scenario("contributions : mon espace", "/mon-espace/", role=Role.CITIZEN),
        Scenario(
            "contributions : données ouvertes JSON",
            "/donnees/contributions.json",
            target_median_ms=15_000,
            target_p95_ms=20_000,
            repeat=2,
        ),
    ]
