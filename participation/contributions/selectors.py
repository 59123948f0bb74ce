"""Reads of this app: querysets with their joins and an explicit ordering."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.models import Commitment
from forum_ouvert.core import pagecache
from forum_ouvert.core import search as site_search
from forum_ouvert.core.extensions import Section, VerifiedParticipation
from forum_ouvert.core.models import AuditLog, Departement, MailDelivery
from forum_ouvert.core.opendata import Dataset
from forum_ouvert.core.text import shorten

from .models import (
    CONTRIBUTION_DECISIONS,
    LISTED,
    RESPONSE_MAIL,
    Attestation,
    Comment,
    Consultation,
    Contribution,
    PublicationStatus,
    Report,
    ReportStatus,
    Response,
    ResponseStatus,
    Statement,
    Support,
)

#: Values of the « état » filter besides the response statuses.
NO_RESPONSE = "sans_reponse"
WITHDRAWN = "retiree"

SORTS = {
    "recent": ("-created_at", "-id"),
    "soutiens": ("-support_count", "-id"),
    # Only answered contributions, most recently answered first (a partial index).
    "reponse": ("-responded_at", "-id"),
}


# --- Consultations -------------------------------------------------------------------


def published_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(is_published=True).order_by("-opens_on", "slug")


OPEN_CONSULTATIONS_CACHE = "contributions:open-consultations:{today}"


def open_consultations_cached() -> list[Consultation]:
    """``open_consultations`` kept one minute in the cache (its counts scan every row)."""
    today = timezone.localdate()
    return pagecache.cached_value(
        OPEN_CONSULTATIONS_CACHE.format(today=today),
        lambda: list(open_consultations(today=today)),
        60,
    )


def open_consultations(*, today: datetime.date | None = None) -> QuerySet[Consultation]:
    """Published consultations open today, closing soonest first."""
    today = today or timezone.localdate()
    return (
        published_consultations()
        .filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("commitment")
        .prefetch_related("themes")
        .annotate(listed_count=Count("contributions", filter=Q(contributions__status__in=LISTED)))
        .order_by("closes_on", "slug")
    )


# --- Contribution lists --------------------------------------------------------------


FILTER_CHOICES_CACHE = "contributions:filter-choices"


def filter_choices() -> dict[str, list[tuple]]:
    """Choices of the filter bar (consultations, commitments, départements), cached five
    minutes."""

    def load():
        commitments = Commitment.objects.filter(plan__is_current=True).order_by("number")
        return {
            "consultations": list(
                published_consultations().values_list("pk", "title").order_by("-opens_on", "slug")
            ),
            "commitments": [
                (c.pk, f"{c.number}. {shorten(c.display_title, 90)}")
                for c in commitments.only("number", "title")
            ],
            "departements": [
                (code, f"{name} ({code})")
                for code, name in Departement.objects.order_by("code").values_list("code", "name")
            ],
        }

    return pagecache.cached_value(FILTER_CHOICES_CACHE, load, 300)


def listed_contributions() -> QuerySet[Contribution]:
    """Contributions the public sees in lists: published, or withdrawn after an answer."""
    return Contribution.objects.filter(status__in=LISTED, consultation__is_published=True)


EXCERPT = 220


def with_list_joins(qs: QuerySet[Contribution], *, excerpt: bool = False) -> QuerySet[Contribution]:
    """What a list item shows. Two joins and four small lookups: a seven-table join costs
    more to plan than to run. With ``excerpt``, only the start of the text is read (as
    ``contribution.excerpt``), not texts of up to 10 000 characters."""
    qs = (
        qs.select_related("author", "response")
        .prefetch_related("consultation", "theme", "departement", "commitment")
        .defer("search_vector")
    )
    if excerpt:
        qs = qs.defer("body").annotate(excerpt=Substr("body", 1, EXCERPT + 1))
    return qs


def search(qs: QuerySet[Contribution], text: str) -> QuerySet[Contribution]:
    """French full-text search, stemmed and blind to case and accents, in the site's
    configuration (``core.search``), as the stored vector is (see migration 0006):
    « participer » finds « participation », « région » finds « region »."""
    query = site_search.query(text)
    if query is None:
        return qs
    return qs.filter(search_vector=query)


def contribution_list(
    *, filters: dict, consultation: Consultation | None = None
) -> QuerySet[Contribution]:
    """Listed contributions filtered (cleaned data of the filter form), sorted, with joins."""
    qs = listed_contributions()
    if consultation is not None:
        qs = qs.filter(consultation=consultation)
    elif filters.get("consultation"):
        qs = qs.filter(consultation_id=filters["consultation"])
    for name in ("theme", "commitment", "departement"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}_id": filters[name]})
    status = filters.get("status")
    if status == NO_RESPONSE:
        qs = qs.filter(responded_at__isnull=True)
    elif status == WITHDRAWN:
        qs = qs.filter(status=PublicationStatus.WITHDRAWN)
    elif status in CONTRIBUTION_DECISIONS:
        qs = qs.filter(response__status=status)
    if filters.get("q"):
        qs = search(qs, filters["q"])
    sort = filters.get("sort") or "recent"
    if sort == "reponse":
        qs = qs.filter(responded_at__isnull=False)
    return with_list_joins(qs, excerpt=True).order_by(*SORTS.get(sort, SORTS["recent"]))


def public_contributions_of(*, user) -> QuerySet[Contribution]:
    """``user``'s contributions as their public page lists them (issue 19, item 4): only
    published ones of published consultations (never pending, hidden or withdrawn), newest
    first, with their consultation (one query a page)."""
    return (
        Contribution.objects.filter(
            author=user, status=PublicationStatus.PUBLISHED, consultation__is_published=True
        )
        .select_related("consultation")
        .defer("search_vector", "body")
        .order_by("-created_at", "-id")
    )


def public_comments_of(*, user) -> QuerySet[Comment]:
    """``user``'s comments as their public page lists them: published comments on a
    contribution the public sees, newest first, with the contribution and its consultation
    (one query a page)."""
    return (
        Comment.objects.filter(
            author=user,
            status=PublicationStatus.PUBLISHED,
            contribution__status__in=LISTED,
            contribution__consultation__is_published=True,
        )
        .select_related("contribution__consultation")
        .defer("contribution__body", "contribution__search_vector")
        .order_by("-created_at", "-id")
    )


def supported_ids(*, user, contribution_ids) -> set[int]:
    """Which of these contributions ``user`` supports (one query, for the buttons)."""
    if not getattr(user, "is_authenticated", False) or not contribution_ids:
        return set()
    return set(
        Support.objects.filter(user=user, contribution_id__in=list(contribution_ids))
        .values_list("contribution_id", flat=True)
        .order_by()
    )


def contributions_for_departement(*, code: str, limit: int = 5) -> list:
    """Published contributions from a département, newest first (territory page)."""
    qs = listed_contributions().filter(departement_id=code)
    return list(with_list_joins(qs).order_by("-created_at", "-id")[:limit])


def commitment_section(*, commitment) -> Section | None:
    """The « Contributions » block of a commitment's page (two queries)."""
    qs = listed_contributions().filter(commitment=commitment)
    latest = list(
        qs.select_related("consultation", "response")
        .defer("search_vector", "body")
        .order_by("-support_count", "-id")[:5]
    )
    if not latest:
        return None
    return Section(
        template="contributions/includes/_commitment_section.html",
        context={"contributions": latest, "count": qs.count(), "commitment": commitment},
        order=60,
    )


# --- One contribution ----------------------------------------------------------------


def contribution_detail(*, pk: int, slug: str | None = None) -> Contribution | None:
    """A contribution of a published consultation (``slug``'s, when given), with what its
    page shows; None when there is none."""
    found = (
        Contribution.objects.select_related(
            "consultation",
            "theme",
            "departement",
            "commitment",
            "author",
            "response",
            "response__author",
        )
        .defer("search_vector")
        .filter(pk=pk, consultation__is_published=True)
    )
    if slug is not None:
        found = found.filter(consultation__slug=slug)
    return found.first()


@dataclass
class ThreadItem:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def comment_thread(*, contribution: Contribution, user) -> list[ThreadItem]:
    """Comments in order with their replies (one query). Pending ones are shown only to
    their author and to moderators; hidden ones appear masked, with the reason."""
    qs = Comment.objects.filter(contribution=contribution).select_related("author")
    if not getattr(user, "is_ditp", False):
        visible = ~Q(status=PublicationStatus.PENDING)
        if getattr(user, "is_authenticated", False):
            visible |= Q(author=user)
        qs = qs.filter(visible)
    items: dict[int, ThreadItem] = {}
    replies: list[Comment] = []
    for comment in qs.order_by("created_at", "id"):
        if comment.parent_id is None:
            items[comment.pk] = ThreadItem(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in items:
            items[reply.parent_id].replies.append(reply)
    return list(items.values())


# --- Moderation ----------------------------------------------------------------------


def moderation_history(*, contribution: Contribution, limit: int = 30) -> list[AuditLog]:
    """The journal of a contribution (edits, moderation, responses), newest first."""
    return list(
        AuditLog.objects.filter(
            target_type=ContentType.objects.get_for_model(Contribution),
            target_id=str(contribution.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


QUEUE_CAP = 1000


def _open_reports() -> Prefetch:
    return Prefetch(
        "reports",
        queryset=Report.objects.filter(status=ReportStatus.OPEN).order_by("created_at", "id"),
        to_attr="open_reports",
    )


def _waiting() -> tuple[QuerySet[Contribution], QuerySet[Comment]]:
    """Pending items, or items with an open report. The reported ids are read first (open
    reports are few, on an index) so that each filter is an index lookup, not a scan."""
    open_reports = Report.objects.filter(status=ReportStatus.OPEN).order_by()
    reported_contributions = list(
        open_reports.filter(contribution__isnull=False)
        .values_list("contribution_id", flat=True)
        .distinct()[:QUEUE_CAP]
    )
    reported_comments = list(
        open_reports.filter(comment__isnull=False)
        .values_list("comment_id", flat=True)
        .distinct()[:QUEUE_CAP]
    )
    return (
        Contribution.objects.filter(
            Q(status=PublicationStatus.PENDING) | Q(pk__in=reported_contributions)
        ),
        Comment.objects.filter(Q(status=PublicationStatus.PENDING) | Q(pk__in=reported_comments)),
    )


def moderation_counts(waiting=None) -> dict:
    """How many contributions and comments wait for a moderator (counted up to 1 000)."""
    contributions, comments = waiting or _waiting()
    return {
        "contribution_count": contributions.values("pk")[:QUEUE_CAP].count(),
        "comment_count": comments.values("pk")[:QUEUE_CAP].count(),
        "cap": QUEUE_CAP,
    }


def statements_with_targets() -> QuerySet[Statement]:
    """Statements of reasons with what they are about (newest first)."""
    return Statement.objects.select_related(
        "author",
        "contribution__consultation",
        "comment__contribution__consultation",
    ).order_by("-created_at", "-id")


def open_contests(*, limit: int = 50) -> list[Statement]:
    """Contested statements waiting for an answer, oldest contest first."""
    return list(
        statements_with_targets()
        .filter(contested_at__isnull=False, answered_at__isnull=True)
        .order_by("contested_at", "id")[:limit]
    )


def moderation_queue(*, limit: int = 50) -> dict:
    """What waits for a moderator, oldest first: pending items and items with open
    reports (6 queries: a capped count and a page for each kind, and their reports)."""
    waiting = _waiting()
    waiting_contributions, waiting_comments = waiting
    contributions = (
        waiting_contributions.select_related("consultation", "author", "theme")
        .defer("search_vector")
        .prefetch_related(_open_reports())
        .order_by("created_at", "id")[:limit]
    )
    comments = (
        waiting_comments.select_related("author", "contribution", "contribution__consultation")
        .prefetch_related(_open_reports())
        .order_by("created_at", "id")[:limit]
    )
    return {
        "contributions": list(contributions),
        "comments": list(comments),
        "limit": limit,
        "contests": open_contests(limit=limit),
        **moderation_counts(waiting),
    }


# --- Synthesis and open data ---------------------------------------------------------


SYNTHESIS_CACHE = "contributions:synthesis:{pk}"
SYNTHESIS_TTL = 60


def synthesis(*, consultation: Consultation) -> dict:
    """Counts by response status, theme and département (three scans of the consultation,
    kept a minute in the cache); the answered contributions as a queryset to paginate."""
    listed = listed_contributions().filter(consultation=consultation)
    data = pagecache.cached_value(
        SYNTHESIS_CACHE.format(pk=consultation.pk),
        lambda: _synthesis_counts(listed),
        SYNTHESIS_TTL,
    )
    data["responses"] = with_list_joins(
        listed.filter(responded_at__isnull=False), excerpt=True
    ).order_by("-responded_at", "-id")
    return data


def _synthesis_counts(listed: QuerySet[Contribution]) -> dict:
    counts = listed.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(responded_at__isnull=False)),
        **{
            status.value: Count("id", filter=Q(response__status=status.value))
            for status in CONTRIBUTION_DECISIONS
        },
    )
    status_rows = [(_("Sans réponse pour l'instant"), counts["total"] - counts["answered"])] + [
        (status.label, counts[status.value]) for status in CONTRIBUTION_DECISIONS
    ]
    theme_rows = list(
        listed.values_list("theme__title").annotate(n=Count("id")).order_by("-n", "theme__title")
    )
    departement_rows = list(
        listed.filter(departement__isnull=False)
        .values_list("departement__name", "departement__code")
        .annotate(n=Count("id"))
        .order_by("-n", "departement__code")
    )
    return {
        "total": counts["total"],
        "answered": counts["answered"],
        "status_rows": [(str(label), n) for label, n in status_rows],
        "theme_rows": [(title or str(_("Sans thème")), n) for title, n in theme_rows],
        "departement_rows": departement_rows,
    }


def _public_name(display_name: str, consent: bool, anonymised_at) -> str:
    """``User.public_name`` computed from plain columns (the export reads no model rows)."""
    if anonymised_at or not consent or not display_name:
        return str(_("Participant·e"))
    return display_name


def open_data_rows():
    """Every listed contribution as a plain dict, streamed in chunks: no personal data
    (the author's name only if they agreed to show it, else « Participant·e »)."""
    columns = [
        "id",
        "consultation__slug",
        "consultation__title",
        "theme__title",
        "title",
        "body",
        "author__display_name",
        "author__public_display_consent",
        "author__anonymised_at",
        "departement_id",
        "commitment__slug",
        "status",
        "support_count",
        "comment_count",
        "created_at",
        "response__status",
        "response__text",
        "response__updated_at",
    ]
    # Codes, each with its label beside it (etat / etat_libelle), as the commitments' files.
    status_labels = {code: str(label) for code, label in PublicationStatus.choices}
    response_labels = {code: str(label) for code, label in ResponseStatus.choices}
    rows = listed_contributions().order_by("id").values_list(*columns)
    for row in rows.iterator(chunk_size=2000):
        (pk, slug, consultation, theme, title, body, name, consent, anonymised, dep) = row[:10]
        (commitment, status, supports, comments, created, r_status, r_text, r_date) = row[10:]
        yield {
            "id": pk,
            "consultation": slug,
            "consultation_titre": consultation,
            "theme": theme or "",
            "titre": title,
            "texte": body,
            "auteur": _public_name(name, consent, anonymised),
            "departement": dep or "",
            "engagement": commitment or "",
            "etat": status,
            "etat_libelle": status_labels.get(status, status),
            "soutiens": supports,
            "commentaires": comments,
            "date": created.isoformat(),
            "retour_statut": r_status or "",
            "retour_libelle": response_labels.get(r_status, "") if r_status else "",
            "retour_texte": r_text or "",
            "retour_date": r_date.isoformat() if r_date else "",
        }


#: The columns of contributions.csv / .json, documented on /donnees/ (a public contract:
#: add at the end, never rename).
OPEN_DATA_COLUMNS = [
    ("id", "Identifiant stable de la contribution"),
    ("consultation", "Identifiant de la consultation (adresse de sa page)"),
    ("consultation_titre", "Titre de la consultation"),
    ("theme", "Thème choisi par l'auteur, vide s'il n'y en a pas"),
    ("titre", "Titre de la contribution"),
    ("texte", "Texte de la contribution"),
    ("auteur", "Nom public de l'auteur, ou « Participant·e » s'il ne l'a pas rendu public"),
    ("departement", "Code du département indiqué par l'auteur, vide sinon"),
    ("engagement", "Identifiant de l'engagement concerné, vide sinon"),
    ("etat", "Code de l'état de publication"),
    ("etat_libelle", "Libellé de l'état de publication"),
    ("soutiens", "Nombre de soutiens"),
    ("commentaires", "Nombre de commentaires publiés"),
    ("date", "Date et heure de dépôt (ISO 8601)"),
    ("retour_statut", "Code du retour argumenté de l'administration, vide sans retour"),
    ("retour_libelle", "Libellé du retour argumenté"),
    ("retour_texte", "Texte du retour argumenté"),
    ("retour_date", "Date et heure du retour argumenté (ISO 8601)"),
]
OPEN_DATA_FIELDS = [name for name, _ in OPEN_DATA_COLUMNS]
OPEN_DATA = [
    Dataset(
        "/donnees/contributions.csv",
        "Contributions citoyennes (CSV)",
        "Chaque contribution publiée aux consultations, avec ses soutiens et le retour "
        "argumenté de l'administration ; aucune donnée personnelle.",
        OPEN_DATA_COLUMNS,
    ),
    Dataset(
        "/donnees/contributions.json",
        "Contributions citoyennes (JSON)",
        "Les mêmes colonnes que le CSV, un objet par contribution.",
        [],
    ),
]


# --- The participant's record --------------------------------------------------------


def my_space_context(*, user) -> dict:
    """What « Mon espace » shows of this app for ``user`` (bounded number of queries)."""
    mine = (
        Contribution.objects.filter(author=user)
        .select_related("consultation", "response")
        .defer("search_vector", "body")
        .order_by("-created_at", "-id")
    )
    contributions = list(mine[:10])
    counts = Contribution.objects.filter(author=user).aggregate(
        total=Count("id"), answered=Count("id", filter=Q(responded_at__isnull=False))
    )
    responses = list(mine.filter(responded_at__isnull=False).order_by("-responded_at", "-id")[:10])
    comments = list(
        Comment.objects.filter(author=user)
        .select_related("contribution", "contribution__consultation")
        .order_by("-created_at", "-id")[:10]
    )
    comment_total = Comment.objects.filter(author=user).count()
    supports = list(
        Support.objects.filter(user=user)
        .select_related("contribution", "contribution__consultation")
        .defer("contribution__body", "contribution__search_vector")
        .order_by("-created_at", "-id")[:10]
    )
    support_total = Support.objects.filter(user=user).count()
    if not (counts["total"] or comment_total or support_total):
        return {}
    return {
        "contributions": contributions,
        "contribution_total": counts["total"],
        "answered_total": counts["answered"],
        "responses": responses,
        "comments": comments,
        "comment_total": comment_total,
        "supports": supports,
        "support_total": support_total,
    }


def verified_participations(*, user) -> list[VerifiedParticipation]:
    """Contributions of ``user`` that DITP staff answered with a reasoned response."""
    answered = (
        Contribution.objects.filter(author=user, status__in=LISTED, responded_at__isnull=False)
        .select_related("consultation")
        .only("title", "created_at", "consultation__title")
        .order_by("created_at", "id")
    )
    return [
        VerifiedParticipation(
            kind=_("Contribution à une consultation (retour argumenté reçu)"),
            title=f"{c.consultation.title} — {c.title}",
            date=timezone.localdate(c.created_at),
        )
        for c in answered
    ]


def latest_attestations(*, user, limit: int = 5) -> list[Attestation]:
    return list(Attestation.objects.filter(user=user).order_by("-issued_at", "-id")[:limit])


def export_user_data(*, user) -> dict:
    """Everything this app holds about ``user``, for « télécharger mes données » (RGPD)."""

    def when(value):
        return value.isoformat() if value else None

    contributions = (
        Contribution.objects.filter(author=user)
        .select_related("consultation", "theme", "response")
        .order_by("created_at", "id")
    )
    return {
        "contributions": [
            {
                "id": c.pk,
                "consultation": c.consultation.title,
                "theme": c.theme.title if c.theme else None,
                "titre": c.title,
                "texte": c.body,
                "etat": c.get_status_display(),
                "departement": c.departement_id,
                "engagement_id": c.commitment_id,
                "date": when(c.created_at),
                "soutiens": c.support_count,
                "retour": {
                    "decision": c.response.get_status_display(),
                    "texte": c.response.text,
                    "date": when(c.response.updated_at),
                }
                if hasattr(c, "response")
                else None,
            }
            for c in contributions
        ],
        "commentaires": [
            {
                "contribution_id": c.contribution_id,
                "texte": c.body,
                "etat": c.get_status_display(),
                "date": when(c.created_at),
            }
            for c in Comment.objects.filter(author=user).order_by("created_at", "id")
        ],
        "soutiens": [
            {"contribution_id": cid, "date": when(created)}
            for cid, created in Support.objects.filter(user=user)
            .order_by("created_at", "id")
            .values_list("contribution_id", "created_at")
        ],
        "signalements": [
            {
                "contribution_id": r.contribution_id,
                "commentaire_id": r.comment_id,
                "motif": r.get_reason_display(),
                "precisions": r.details,
                "date": when(r.created_at),
            }
            for r in Report.objects.filter(reporter=user).order_by("created_at", "id")
        ],
        "attestations": [
            {
                "code": a.code,
                "nom": a.holder_name,
                "participations": a.participations,
                "date": when(a.issued_at),
                "identite_verifiee_par_franceconnect": a.verified_name or None,
                "identite_verifiee_le": when(a.verified_on),
            }
            for a in Attestation.objects.filter(user=user).order_by("issued_at", "id")
        ],
        "emails_de_retour_recus": _response_mails(user, when),
        "decisions_de_moderation": [
            {
                "contribution_id": st.contribution_id,
                "commentaire_id": st.comment_id,
                "decision": st.get_decision_display(),
                "regle": st.get_rule_display(),
                "motif": st.reason,
                "date": when(st.created_at),
                "contestation": st.contest_text,
                "contestee_le": when(st.contested_at),
                "suite": st.get_outcome_display() if st.outcome else None,
                "reponse": st.answer,
                "close_le": when(st.answered_at),
            }
            for st in Statement.objects.filter(author=user).order_by("created_at", "id")
        ],
    }


def _response_mails(user, when) -> list[dict]:
    """The response e-mails sent to ``user``, read back from their ``MailDelivery`` keys."""
    sent = [
        (key.removeprefix(RESPONSE_MAIL).split(":"), sent_at)
        for key, sent_at in MailDelivery.objects.filter(
            recipient=user, key__startswith=RESPONSE_MAIL
        )
        .order_by("sent_at", "id")
        .values_list("key", "sent_at")
    ]
    contribution_of = dict(
        Response.objects.filter(pk__in={int(parts[0]) for parts, _ in sent}).values_list(
            "pk", "contribution_id"
        )
    )
    return [
        {
            "contribution_id": contribution_of.get(int(parts[0])),
            "version": int(parts[1]),
            "date": when(sent_at),
        }
        for parts, sent_at in sent
    ]


def dashboard_figures() -> dict:
    """For the staff dashboard: the moderation queue and contributions awaiting a response."""
    # The same selection as the public list the dashboard links to (« Sans réponse »).
    awaiting = listed_contributions().filter(responded_at__isnull=True)
    return {
        "moderation": moderation_counts(),
        "awaiting_response": awaiting.count(),
        "awaiting_filter": NO_RESPONSE,
        "oldest_awaiting_since": awaiting.order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
    }


def snapshot_figures() -> dict[str, int]:
    """Today's contribution figures for the daily snapshot and the reports."""
    published = Contribution.objects.filter(status=PublicationStatus.PUBLISHED)
    return {
        "contributions": published.count(),
        "supports": Support.objects.count(),
        "responses": Response.objects.count(),
    }
