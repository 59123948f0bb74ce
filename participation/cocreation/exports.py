"""Open data of the co-creations: proposals and every version, in CSV and JSON, and an Atom
feed of the versions (``forum_ouvert.core.opendata``).

Only what is public: submitted proposals of co-creations whose calendar is published;
drafts never. Authors are named as on the pages (``User.public_name``, read from plain
columns so that an export of 50,000 versions reads no model rows). Column names are a
public contract: add at the end, never rename or remove.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext as _

from engagements.models import OgpValue
from forum_ouvert.core.feeds import PlainTextAtom1Feed
from forum_ouvert.core.links import absolute_url, absolute_url_maker
from forum_ouvert.core.opendata import LICENCE, Dataset
from forum_ouvert.core.text import shorten
from participation.contributions.models import ResponseRevision, ResponseStatus

from .models import (
    AMENDABLE_SECTIONS,
    Amendment,
    AmendmentStatus,
    Opinion,
    Proposal,
    ProposalFate,
    ProposalStatus,
    ProposalVersion,
    Verdict,
)

TEXT_COLUMNS = [
    ("titre", "Titre de la proposition"),
    ("probleme", "Quel est le problème à résoudre ?"),
    ("engagement", "Quel est l'engagement proposé ?"),
    ("effets", "Comment contribuera-t-il à résoudre le problème ?"),
    (
        "valeurs_ogp",
        "Valeurs du gouvernement ouvert servies (codes séparés par « ; ») : "
        "transparence, participation, redevabilite, technologie",
    ),
    ("institution_pilote", "Institution qui pourrait piloter l'engagement"),
    ("partenaires", "Partenaires envisagés"),
    (
        "jalons",
        "Jalons proposés : « livrable (début → échéance) », séparés par « ; » ; "
        "en JSON, une liste d'objets livrable, debut, echeance (AAAA-MM-JJ)",
    ),
]
PROPOSAL_COLUMNS = [
    ("id", "Identifiant stable de la proposition (son numéro)"),
    ("plan", "Identifiant du plan en co-construction (ex. pan-2027-2029)"),
    ("demonstration", "« oui » si la co-construction est une démonstration fictive"),
    *TEXT_COLUMNS,
    ("auteur", "Nom public de l'auteur, ou « Participant·e » s'il ne l'a pas rendu public"),
    ("organisation", "Organisation au nom de laquelle la proposition est faite, vide sinon"),
    ("versions", "Nombre de versions déposées"),
    ("soutiens", "Nombre de personnes qui soutiennent la proposition"),
    ("deposee_le", "Date et heure du dépôt de la première version (ISO 8601)"),
    ("derniere_version_le", "Date et heure de la dernière version (ISO 8601)"),
    ("url", "Adresse de la page de la proposition"),
    (
        "suite",
        "Code de la suite donnée : en_attente, retenue, retenue_avec_modifications, "
        "fusionnee, non_retenue, promue (devenue un engagement du plan)",
    ),
    ("suite_libelle", "Libellé de la suite donnée"),
    (
        "reponse_decision",
        "Code de la décision du retour argumenté du gouvernement : retenue, "
        "retenue_avec_modifications, fusionnee, non_retenue ; vide avant la réponse",
    ),
    ("reponse", "Texte actuel du retour argumenté (ses versions : reponses.csv)"),
    ("reponse_le", "Date et heure de la dernière version du retour argumenté (ISO 8601)"),
    ("reponse_version", "Numéro de la version actuelle du retour argumenté"),
    ("fusionnee_avec", "Identifiant de la proposition avec laquelle elle a été fusionnée"),
    ("engagement_id", "Identifiant (slug) de l'engagement du plan qui en est issu, vide sinon"),
    ("engagement_url", "Adresse de la page de cet engagement"),
]
RESPONSE_COLUMNS = [
    ("proposition_id", "Identifiant de la proposition (colonne id de propositions.csv)"),
    ("plan", "Identifiant du plan en co-construction"),
    ("version", "Numéro de la version du retour argumenté (1 pour le premier ; ajout seul)"),
    (
        "decision",
        "Code de la décision : retenue, retenue_avec_modifications, fusionnee, non_retenue",
    ),
    ("decision_libelle", "Libellé de la décision"),
    ("texte", "Texte du retour argumenté, tel que publié dans cette version"),
    ("date", "Date et heure de la publication de cette version (ISO 8601)"),
    ("actuelle", "« oui » pour la version en vigueur, « non » pour une version corrigée"),
]
VERSION_COLUMNS = [
    ("proposition_id", "Identifiant de la proposition (colonne id de propositions.csv)"),
    ("plan", "Identifiant du plan en co-construction"),
    ("version", "Numéro de la version (1 pour la première ; jamais modifiée ensuite)"),
    ("date", "Date et heure de la version (ISO 8601)"),
    ("auteur", "Nom public de la personne qui a déposé cette version"),
    *TEXT_COLUMNS,
    ("url", "Adresse de la version"),
]

AMENDMENT_COLUMNS = [
    ("id", "Identifiant stable de l'amendement (son numéro)"),
    ("proposition_id", "Identifiant de la proposition amendée"),
    ("plan", "Identifiant du plan en co-construction"),
    ("section", "Code de la section amendée : title, problem, description, how_it_helps, partners"),
    ("section_libelle", "Libellé de la section amendée"),
    ("version_amendee", "Numéro de la version sur laquelle l'amendement a été écrit"),
    ("texte", "Texte proposé pour la section"),
    ("motif", "Motif de l'amendement"),
    ("auteur", "Nom public de l'auteur de l'amendement, ou « Participant·e »"),
    ("date", "Date et heure de l'amendement (ISO 8601)"),
    ("etat", "Code de l'état : propose, accepte, refuse"),
    ("etat_libelle", "Libellé de l'état : Proposé, Accepté, Refusé"),
    ("decision_le", "Date et heure de la décision des auteurs (ISO 8601), vide sinon"),
    ("motif_decision", "Motif public de la décision (obligatoire pour un refus)"),
    ("version_obtenue", "Numéro de la version qui intègre l'amendement accepté, vide sinon"),
    ("url", "Adresse de l'amendement"),
]

OPINION_COLUMNS = [
    ("proposition_id", "Identifiant de la proposition"),
    ("plan", "Identifiant du plan en co-construction"),
    ("college", "Collège du Forum ouvert de l'organisation membre"),
    ("organisation", "Organisation membre du Forum ouvert qui donne l'avis"),
    ("avis", "Code de l'avis : favorable, reserve, defavorable"),
    ("avis_libelle", "Libellé de l'avis : Favorable, Réservé, Défavorable"),
    ("argument", "Argument de l'avis"),
    ("date", "Date et heure du premier avis (ISO 8601)"),
    ("mis_a_jour_le", "Date et heure de sa dernière révision (ISO 8601)"),
]

DATASETS = [
    Dataset(
        "/donnees/co-construction/propositions.csv",
        "Propositions d'engagements de la co-construction (CSV)",
        "Chaque proposition déposée, dans son texte actuel, selon le modèle d'engagement "
        "du Partenariat pour un gouvernement ouvert ; les brouillons ne sont jamais publiés.",
        PROPOSAL_COLUMNS,
    ),
    Dataset(
        "/donnees/co-construction/propositions.json",
        "Propositions d'engagements (JSON)",
        "Les mêmes colonnes que le CSV, un objet par proposition.",
        [],
    ),
    Dataset(
        "/donnees/co-construction/versions.csv",
        "Versions des propositions (CSV)",
        "Chaque version déposée de chaque proposition, telle qu'elle a été déposée. Les "
        "versions sont en ajout seul : une ligne publiée n'est jamais modifiée.",
        VERSION_COLUMNS,
    ),
    Dataset(
        "/donnees/co-construction/versions.json",
        "Versions des propositions (JSON)",
        "Les mêmes colonnes que le CSV, un objet par version.",
        [],
    ),
    Dataset(
        "/donnees/co-construction/amendements.csv",
        "Amendements des propositions (CSV)",
        "Chaque amendement proposé à une proposition déposée, avec son motif et la "
        "décision motivée de ses auteurs.",
        AMENDMENT_COLUMNS,
    ),
    Dataset(
        "/donnees/co-construction/reponses.csv",
        "Retours argumentés du gouvernement sur les propositions (CSV)",
        "Chaque version publiée de la réponse motivée du gouvernement à chaque proposition "
        "(retenue, retenue avec modifications, fusionnée, non retenue). Les versions sont "
        "en ajout seul : une correction ajoute une ligne, l'ancienne reste.",
        RESPONSE_COLUMNS,
    ),
    Dataset(
        "/donnees/co-construction/reponses.json",
        "Retours argumentés du gouvernement (JSON)",
        "Les mêmes colonnes que le CSV, un objet par version.",
        [],
    ),
    Dataset(
        "/donnees/co-construction/avis.csv",
        "Avis du Forum ouvert sur les propositions (CSV)",
        "L'avis argumenté de chaque organisation membre du Forum ouvert sur chaque "
        "proposition, rendu pendant la délibération, avec son collège.",
        OPINION_COLUMNS,
    ),
    Dataset(
        "/donnees/co-construction.atom",
        "Co-construction (flux Atom)",
        "Les 50 dernières versions déposées, pour un lecteur de flux.",
        [],
    ),
]

_TEXT_FIELDS = (
    "title",
    "problem",
    "description",
    "how_it_helps",
    "ogp_values",
    "lead_institution",
    "partners",
    "milestones",
)
_AUTHOR_FIELDS = ("display_name", "public_display_consent", "anonymised_at")
_OGP_ORDER = {value: i for i, value in enumerate(OgpValue.values)}


def _public_name(display_name: str, consent: bool, anonymised_at) -> str:
    """``User.public_name`` from plain columns."""
    if anonymised_at or not consent or not display_name:
        return str(_("Participant·e"))
    return display_name


def _date(value) -> str:
    return value.isoformat() if value else ""


def _text(values: tuple, *, csv: bool) -> dict:
    title, problem, description, how, ogp, lead, partners, milestones = values
    steps = [
        {
            "livrable": item.get("deliverable", ""),
            "debut": item.get("starts_on") or "",
            "echeance": item.get("ends_on") or "",
        }
        for item in milestones or []
    ]
    if csv:
        steps = " ; ".join(
            f"{s['livrable']} ({s['debut'] or '…'} → {s['echeance'] or '…'})" for s in steps
        )
    return {
        "titre": title,
        "probleme": problem,
        "engagement": description,
        "effets": how,
        "valeurs_ogp": " ; ".join(sorted(ogp or [], key=lambda v: _OGP_ORDER.get(v, 99))),
        "institution_pilote": lead,
        "partenaires": partners,
        "jalons": steps,
    }


def _public(queryset, prefix: str = "", process=None):
    """What is public; only that of one co-creation when ``process`` is given (the record
    of a co-creation annexes its own)."""
    queryset = queryset.filter(
        **{
            f"{prefix}status": ProposalStatus.SUBMITTED,
            f"{prefix}process__calendar_published_at__isnull": False,
        }
    )
    return queryset.filter(**{f"{prefix}process": process}) if process is not None else queryset


def proposal_rows(*, csv: bool = False, process=None) -> Iterator[dict]:
    """Every public proposal, in its current text and with the government's response,
    oldest first (one query, streamed)."""
    fields = (
        "id",
        "process__plan__slug",
        "process__is_demo",
        *_TEXT_FIELDS,
        *(f"author__{name}" for name in _AUTHOR_FIELDS),
        "organisation",
        "version_count",
        "support_count",
        "submitted_at",
        "last_version_at",
        "fate",
        "response__status",
        "response__text",
        "response__updated_at",
        "response__revision",
        "merged_into_id",
        "commitment__slug",
    )
    fates = {code: str(label) for code, label in ProposalFate.choices}
    rows = _public(Proposal.objects, process=process).order_by("id").values_list(*fields)
    url = absolute_url_maker("cocreation:proposal_detail", slug="plan-temoin", pk=987654321)
    commitment_url = absolute_url_maker("engagements:commitment_detail", slug="engagement-temoin")
    for row in rows.iterator(chunk_size=1000):
        pk, slug, demo = row[:3]
        name, consent, anonymised, organisation, versions, supports, submitted, last = row[11:19]
        fate, decision, text, answered, revision, merged, commitment = row[19:]
        yield {
            "id": pk,
            "plan": slug,
            "demonstration": "oui" if demo else "non",
            **_text(row[3:11], csv=csv),
            "auteur": _public_name(name, consent, anonymised),
            "organisation": organisation,
            "versions": versions,
            "soutiens": supports,
            "deposee_le": _date(submitted),
            "derniere_version_le": _date(last),
            "url": url(slug=slug, pk=pk),
            "suite": fate,
            "suite_libelle": fates.get(fate, fate),
            "reponse_decision": decision or "",
            "reponse": text or "",
            "reponse_le": _date(answered),
            "reponse_version": revision or "",
            "fusionnee_avec": merged or "",
            "engagement_id": commitment or "",
            "engagement_url": commitment_url(slug=commitment) if commitment else "",
        }


def response_rows(*, process=None) -> Iterator[dict]:
    """Every revision of the government's response to every public proposal, by proposal
    then version (one query, streamed)."""
    fields = (
        "response__proposal_id",
        "response__proposal__process__plan__slug",
        "revision",
        "status",
        "text",
        "created_at",
        "response__revision",
    )
    labels = {code: str(label) for code, label in ResponseStatus.choices}
    rows = (
        _public(ResponseRevision.objects, "response__proposal__", process)
        .order_by("response__proposal_id", "revision")
        .values_list(*fields)
    )
    for pk, slug, number, status, text, created, current in rows.iterator(chunk_size=1000):
        yield {
            "proposition_id": pk,
            "plan": slug,
            "version": number,
            "decision": status,
            "decision_libelle": labels.get(status, status),
            "texte": text,
            "date": _date(created),
            "actuelle": "oui" if number == current else "non",
        }


def _versions():
    return _public(ProposalVersion.objects, "proposal__")


def version_rows(*, csv: bool = False) -> Iterator[dict]:
    """Every version of every public proposal, in order (one query, streamed)."""
    fields = (
        "proposal_id",
        "proposal__process__plan__slug",
        "number",
        "created_at",
        *(f"author__{name}" for name in _AUTHOR_FIELDS),
        *_TEXT_FIELDS,
    )
    rows = _versions().order_by("proposal_id", "number").values_list(*fields)
    url = absolute_url_maker(
        "cocreation:proposal_version", slug="plan-temoin", pk=987654321, number=876543219
    )
    for row in rows.iterator(chunk_size=1000):
        pk, slug, number, created, name, consent, anonymised = row[:7]
        yield {
            "proposition_id": pk,
            "plan": slug,
            "version": number,
            "date": _date(created),
            "auteur": _public_name(name, consent, anonymised),
            **_text(row[7:], csv=csv),
            "url": url(slug=slug, pk=pk, number=number),
        }


def amendment_rows() -> Iterator[dict]:
    """Every amendment of every public proposal, in order (one query, streamed)."""
    fields = (
        "id",
        "proposal_id",
        "proposal__process__plan__slug",
        "section",
        "base_version",
        "text",
        "reason",
        *(f"author__{name}" for name in _AUTHOR_FIELDS),
        "created_at",
        "status",
        "decided_at",
        "decision_reason",
        "result_version",
    )
    labels = {name: str(Proposal._meta.get_field(name).verbose_name) for name in AMENDABLE_SECTIONS}
    states = {code: str(label) for code, label in AmendmentStatus.choices}
    rows = (
        _public(Amendment.objects, "proposal__").order_by("proposal_id", "id").values_list(*fields)
    )
    url = absolute_url_maker(
        "cocreation:amendment_detail", slug="plan-temoin", pk=987654321, amendment=876543219
    )
    for row in rows.iterator(chunk_size=1000):
        pk, proposal_id, slug, section, base, text, reason = row[:7]
        name, consent, anonymised, created, status, decided, decision, result = row[7:]
        yield {
            "id": pk,
            "proposition_id": proposal_id,
            "plan": slug,
            "section": section,
            "section_libelle": labels.get(section, section),
            "version_amendee": base,
            "texte": text,
            "motif": reason,
            "auteur": _public_name(name, consent, anonymised),
            "date": _date(created),
            "etat": status,
            "etat_libelle": states.get(status, status),
            "decision_le": _date(decided),
            "motif_decision": decision,
            "version_obtenue": result or "",
            "url": url(slug=slug, pk=proposal_id, amendment=pk),
        }


def opinion_rows(*, process=None) -> Iterator[dict]:
    """Every opinion on every public proposal, by proposal then college (one query)."""
    fields = (
        "proposal_id",
        "proposal__process__plan__slug",
        "member__college__name",
        "member__organisation_name",
        "verdict",
        "argument",
        "created_at",
        "updated_at",
    )
    labels = {code: str(label) for code, label in Verdict.choices}
    rows = (
        _public(Opinion.objects, "proposal__", process)
        .order_by("proposal_id", "member__college__order", "member__organisation_name", "id")
        .values_list(*fields)
    )
    for pk, slug, college, organisation, verdict, argument, created, updated in rows.iterator(
        chunk_size=1000
    ):
        yield {
            "proposition_id": pk,
            "plan": slug,
            "college": college,
            "organisation": organisation,
            "avis": verdict,
            "avis_libelle": labels.get(verdict, verdict),
            "argument": argument,
            "date": _date(created),
            "mis_a_jour_le": _date(updated),
        }


class VersionFeed(Feed):
    """The 50 latest versions of public proposals (two queries)."""

    feed_type = PlainTextAtom1Feed
    feed_copyright = LICENCE

    def title(self):
        return _("Forum ouvert — co-construction des plans d'action")

    def subtitle(self):
        return _("Les dernières versions des propositions d'engagements.")

    def link(self):
        return absolute_url(reverse("cocreation:index"))

    def feed_url(self):
        return absolute_url(reverse("cocreation:open_data_atom"))

    def items(self):
        return (
            _versions()
            .select_related("author", "proposal__process__plan")
            .only(
                "number",
                "created_at",
                "title",
                "problem",
                "proposal_id",
                "proposal__process__plan__slug",
                *(f"author__{name}" for name in _AUTHOR_FIELDS),
            )
            .order_by("-created_at", "-id")[:50]
        )

    def item_title(self, item):
        return _("Proposition n° %(n)d — %(title)s (version %(v)d)") % {
            "n": item.proposal_id,
            "title": item.title,
            "v": item.number,
        }

    def item_description(self, item):
        return shorten(item.problem, 400)

    def item_link(self, item):
        return absolute_url(
            reverse(
                "cocreation:proposal_version",
                kwargs={
                    "slug": item.proposal.process.plan.slug,
                    "pk": item.proposal_id,
                    "number": item.number,
                },
            )
        )

    def item_guid(self, item):
        return absolute_url(f"/donnees/co-construction.atom#{item.proposal_id}-{item.number}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author.public_name
