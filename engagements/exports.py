"""Open data of the plan: CSV (streamed, constant memory), JSON and an Atom feed.

Column names are a public contract: add columns at the end, never rename or remove.
Licence: Licence Ouverte / Etalab 2.0.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch
from django.http import JsonResponse
from django.utils import timezone

from forum_ouvert.core.feeds import PlainTextAtom1Feed
from forum_ouvert.core.links import absolute_url
from forum_ouvert.core.opendata import LICENCE, LICENCE_URL, Dataset

from .models import Commitment, CommitmentStatus, Evidence, JournalEntry, Milestone, MilestoneStatus
from .selectors import late_milestones

STATUS_LABELS = dict(CommitmentStatus.choices)
MILESTONE_LABELS = dict(MilestoneStatus.choices)


COMMITMENT_COLUMNS = [
    ("plan", "Identifiant du plan d'action"),
    ("numero", "Numéro de l'engagement dans le plan"),
    ("identifiant_ogp", "Identifiant OGP (ex. FR0112), vide s'il n'est pas connu"),
    ("slug", "Identifiant stable de l'engagement (adresse de sa page)"),
    ("intitule", "Intitulé ; vide tant qu'il n'est pas confirmé"),
    ("intitule_confirme", "« oui » si l'intitulé a été vérifié sur une source publique"),
    ("axe", "Numéro de l'axe du plan, vide s'il reste à préciser"),
    ("pilotes", "Institutions pilotes, séparées par « ; »"),
    ("partenaires", "Institutions et organisations partenaires, séparées par « ; »"),
    ("valeurs_ogp", "Valeurs OGP servies, séparées par « ; »"),
    ("etat", "Code de l'état sur l'échelle du MRI : non_commence, limite, substantiel, acheve"),
    ("etat_libelle", "Libellé de l'état : Non commencé, Limité, Substantiel, Achevé"),
    ("en_retard", "« oui » si un jalon a dépassé son échéance sans être atteint"),
    ("avancement", "Avancement déclaré, en pourcentage (0 à 100)"),
    ("debut", "Date de début (AAAA-MM-JJ)"),
    ("fin", "Date de fin prévue (AAAA-MM-JJ)"),
    ("derniere_mise_a_jour", "Date et heure du dernier point d'étape (ISO 8601)"),
    ("url", "Adresse de la page de l'engagement"),
]
MILESTONE_COLUMNS = [
    ("engagement_numero", "Numéro de l'engagement"),
    ("engagement_slug", "Identifiant de l'engagement"),
    ("jalon_id", "Identifiant stable du jalon"),
    ("ordre", "Ordre du jalon dans l'engagement"),
    ("livrable", "Livrable vérifiable"),
    ("resultat_attendu", "Résultat attendu"),
    ("debut", "Date de début (AAAA-MM-JJ)"),
    ("echeance", "Échéance (AAAA-MM-JJ)"),
    ("etat", "Code de l'état du jalon : a_venir, en_cours, atteint, abandonne"),
    ("etat_libelle", "Libellé de l'état : À venir, En cours, Atteint ou Abandonné"),
    ("atteint_le", "Date d'atteinte (AAAA-MM-JJ)"),
    ("en_retard", "« oui » si l'échéance est passée sans que le jalon soit atteint"),
]
JOURNAL_COLUMNS = [
    ("id", "Identifiant stable de l'entrée"),
    ("date", "Date et heure du changement (ISO 8601, heure de Paris)"),
    ("engagement_numero", "Numéro de l'engagement"),
    ("engagement_slug", "Identifiant de l'engagement"),
    ("jalon_id", "Identifiant du jalon concerné, s'il y en a un"),
    ("champ", "Code du champ modifié"),
    ("libelle", "Libellé du champ modifié"),
    ("ancienne_valeur", "Valeur avant le changement"),
    ("nouvelle_valeur", "Valeur après le changement"),
    ("justification", "Justification publique du changement"),
    ("auteur", "Nom affiché de l'agent qui a fait le changement (vide : import ou système)"),
]

DATASETS = [
    Dataset(
        "/donnees/engagements.csv",
        "Engagements (CSV)",
        "Un engagement par ligne, avec son état, son avancement et ses pilotes.",
        COMMITMENT_COLUMNS,
    ),
    Dataset(
        "/donnees/engagements.json",
        "Engagements, jalons et justificatifs (JSON)",
        "Les mêmes colonnes que le CSV, avec pour chaque engagement la liste de ses jalons "
        "(colonnes de jalons.csv) et de ses justificatifs publics.",
        [],
    ),
    Dataset("/donnees/jalons.csv", "Jalons (CSV)", "Un jalon par ligne.", MILESTONE_COLUMNS),
    Dataset(
        "/donnees/journal.csv",
        "Historique des changements (CSV)",
        "Chaque changement d'un engagement ou d'un jalon, avec sa justification. "
        "L'historique est en ajout seul : une ligne publiée n'est jamais modifiée.",
        JOURNAL_COLUMNS,
    ),
    Dataset(
        "/donnees/journal.atom",
        "Historique des changements (flux Atom)",
        "Les 50 derniers changements, pour un lecteur de flux.",
        [],
    ),
]


def _date(value) -> str:
    return value.isoformat() if value else ""


def _yes(flag: bool) -> str:
    return "oui" if flag else "non"


def _commitments():
    return (
        Commitment.objects.filter(plan__is_current=True)
        .select_related("plan", "axis")
        .prefetch_related("lead_institutions", "supporting_institutions")
        .annotate(is_late=Exists(late_milestones().filter(commitment=OuterRef("pk"))))
        .order_by("number")
    )


def _commitment_row(c: Commitment) -> list:
    return [
        c.plan.slug,
        c.number,
        c.ogp_id,
        c.slug,
        c.title,
        _yes(c.title_confirmed),
        c.axis.number if c.axis else "",
        "; ".join(i.name for i in c.lead_institutions.all()),
        "; ".join(i.name for i in c.supporting_institutions.all()),
        "; ".join(str(v.label) for v in c.ogp_values),
        c.status,
        str(STATUS_LABELS[c.status]),
        _yes(c.is_late),
        c.progress,
        _date(c.starts_on),
        _date(c.ends_on),
        timezone.localtime(c.last_update_at).isoformat() if c.last_update_at else "",
        absolute_url(c),
    ]


def commitment_rows() -> Iterator[list]:
    for c in _commitments():
        yield _commitment_row(c)


def _milestone_row(m: Milestone, number: int, slug: str) -> list:
    return [
        number,
        slug,
        m.pk,
        m.order,
        m.deliverable,
        m.expected_result,
        _date(m.starts_on),
        _date(m.ends_on),
        m.status,
        str(MILESTONE_LABELS[m.status]),
        _date(m.reached_on),
        _yes(m.is_late),
    ]


def milestone_rows() -> Iterator[list]:
    qs = (
        Milestone.objects.filter(commitment__plan__is_current=True)
        .select_related("commitment")
        .order_by("commitment__number", "order", "id")
    )
    for m in qs.iterator(chunk_size=2000):
        yield _milestone_row(m, m.commitment.number, m.commitment.slug)


def journal_rows() -> Iterator[list]:
    qs = (
        JournalEntry.objects.filter(commitment__plan__is_current=True)
        .order_by("-created_at", "-id")
        .values_list(
            "id",
            "created_at",
            "commitment__number",
            "commitment__slug",
            "milestone_id",
            "field",
            "field_label",
            "old_value",
            "new_value",
            "justification",
            "actor__display_name",
        )
    )
    tz = timezone.get_current_timezone()
    for row in qs.iterator(chunk_size=5000):
        row = list(row)
        row[1] = row[1].astimezone(tz).isoformat()
        row[4] = row[4] or ""
        row[10] = row[10] or ""
        yield row


def commitments_json_response() -> JsonResponse:
    """The plan's commitments with their milestones and public evidence nested."""
    names = [name for name, _ in COMMITMENT_COLUMNS]
    milestone_names = [name for name, _ in MILESTONE_COLUMNS]
    commitments = _commitments().prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("order", "id"))
    )
    evidence: dict[int, list[dict]] = {}
    for pk, commitment_id, title, dated_on, document, url, milestone_id in (
        Evidence.objects.filter(commitment__plan__is_current=True, is_public=True)
        .order_by("-dated_on", "-id")
        .values_list("pk", "commitment_id", "title", "dated_on", "document", "url", "milestone_id")
    ):
        evidence.setdefault(commitment_id, []).append(
            {
                "titre": title,
                "date": _date(dated_on),
                "type": "document" if document else "lien",
                "url": absolute_url(f"/depot/{pk}/document/") if document else url,
                "jalon_id": milestone_id or "",
            }
        )
    data = []
    for c in commitments:
        item = dict(zip(names, _commitment_row(c), strict=True))
        item["jalons"] = [
            dict(zip(milestone_names, _milestone_row(m, c.number, c.slug), strict=True))
            for m in c.milestones.all()
        ]
        item["justificatifs"] = evidence.get(c.pk, [])
        data.append(item)
    response = JsonResponse(
        {"licence": LICENCE, "licence_url": LICENCE_URL, "engagements": data},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = 'inline; filename="engagements.json"'
    return response


class JournalFeed(Feed):
    """The 50 latest changes of the current plan, as an Atom feed."""

    feed_type = PlainTextAtom1Feed
    title = "Forum ouvert — historique des engagements"
    subtitle = (
        "Les derniers changements des engagements du plan d'action national "
        "pour un gouvernement ouvert."
    )
    author_name = "Forum ouvert"
    feed_copyright = LICENCE

    # Absolute from SITE_URL, like every link that leaves the site (not the request's host).
    def link(self) -> str:
        return absolute_url("/engagements/")

    def feed_url(self) -> str:
        return absolute_url("/donnees/journal.atom")

    def items(self):
        return (
            JournalEntry.objects.filter(commitment__plan__is_current=True)
            .select_related("commitment")
            .order_by("-created_at", "-id")[:50]
        )

    def item_title(self, item: JournalEntry) -> str:
        change = f"{item.old_value} → {item.new_value}" if item.old_value else item.new_value
        return f"Engagement n° {item.commitment.number} — {item.field_label} : {change}"

    def item_description(self, item: JournalEntry) -> str:
        return item.justification

    def item_link(self, item: JournalEntry) -> str:
        return f"{absolute_url(item.commitment)}#entree-{item.pk}"

    def item_guid(self, item: JournalEntry) -> str:
        return absolute_url(f"/donnees/journal.atom#{item.pk}")

    def item_pubdate(self, item: JournalEntry):
        return item.created_at

    def item_updateddate(self, item: JournalEntry):
        return item.created_at
