"""Reads for reviewers: the queue, one application, seats per collège, the CSV export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core.audit import readable_changes
from forum_ouvert.core.models import AuditLog, User

from ..models import (
    IN_REVIEW,
    Application,
    ApplicationStatus,
    Call,
    College,
    Criterion,
    LegalForm,
    Review,
    Score,
    organisation_key,
)

SORTS = {
    "recent": ("-submitted_at", "-pk"),
    "ancien": ("submitted_at", "pk"),
    "note": (F("score_mean").desc(nulls_last=True), "-pk"),
    "nom": ("organisation_key", "pk"),
}


def reviewers() -> QuerySet[User]:
    """Accounts that may review: DITP staff and admins."""
    return User.objects.filter(is_active=True, role__in=("ditp", "admin")).order_by(
        "display_name", "email"
    )


def review_queue(
    *,
    call: Call | None = None,
    college: College | None = None,
    status: str = "",
    departement=None,
    reviewer: User | None = None,
    q: str = "",
    sort: str = "recent",
) -> QuerySet[Application]:
    """Applications submitted to a call (drafts are the applicants' own), filtered."""
    applications = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if status:
        applications = applications.filter(status=status)
    else:
        applications = applications.filter(status__in=IN_REVIEW)
    if call is not None:
        applications = applications.filter(call=call)
    if college is not None:
        applications = applications.filter(college=college)
    if departement is not None:
        applications = applications.filter(departement=departement)
    if reviewer is not None:
        applications = applications.filter(reviews__reviewer=reviewer)
    if q.strip():
        # Accent- and case-insensitive on every database: the key is the slugified name.
        needle = organisation_key(q)
        applications = applications.filter(
            Q(organisation_key__contains=needle) | Q(organisation_name__icontains=q.strip())
        )
    return (
        applications.select_related("call", "college", "departement")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer").order_by("created_at", "pk"),
            )
        )
        .order_by(*SORTS.get(sort, SORTS["recent"]))
    )


def colleges_with_seats(call: Call | None) -> list[College]:
    """A call's collèges with their seats and how many applications are retained in each."""
    if call is None:
        return []
    return list(
        College.objects.filter(call=call)
        .annotate(
            retained=Count("applications", filter=Q(applications__status="retenue")),
            received=Count("applications", filter=Q(applications__status__in=IN_REVIEW)),
        )
        .order_by("order", "name")
    )


def application_for_review(*, pk: int) -> Application:
    return (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .select_related("call", "college", "departement", "applicant", "decided_by")
        .prefetch_related("attachments")
        .get(pk=pk)
    )


def application_reviews(application: Application) -> list[Review]:
    """Every evaluation with its marks, in the order of the call's criteria."""
    return list(
        application.reviews.select_related("reviewer", "assigned_by")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("created_at", "pk")
    )


def application_journal(application: Application) -> QuerySet[AuditLog]:
    """The application's history: who did what, when and why."""
    from django.contrib.contenttypes.models import ContentType

    return (
        AuditLog.objects.filter(
            target_type=ContentType.objects.get_for_model(Application),
            target_id=str(application.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


#: What the history calls the keys of its audit rows that are not model fields.
JOURNAL_LABELS = {
    "decision_notifiee": _("Décision notifiée"),
    "decision_message": _("Message de la décision"),
    "note": _("Note totale"),  # not « Note »: Django's catalogue reads « Remarque »
    "pieces_jointes": _("Pièces jointes"),
    "conflit_d_interets": _("Conflit d'intérêts"),
    "evaluateur": _("Évaluateur·rice"),
}


def application_history(application: Application, limit: int = 50) -> list[AuditLog]:
    """The last ``limit`` rows of the history, each with ``readable``: its changes as
    people read them (labels, not codes; « 15,33 », not ``15.33``)."""
    entries = list(application_journal(application)[:limit])
    for entry in entries:
        entry.readable = readable_changes(entry, Application, JOURNAL_LABELS)
    return entries


def criterion_means(applications: QuerySet[Application]) -> dict[int, dict[int, Decimal]]:
    """``{application_id: {criterion_id: mean mark}}`` over evaluations without conflict."""
    rows = (
        Score.objects.filter(
            review__application__in=applications.values("pk"), review__has_conflict=False
        )
        .values("review__application_id", "criterion_id")
        .annotate(mean=Avg("value"))
        .order_by()
    )
    means: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        means[row["review__application_id"]][row["criterion_id"]] = row["mean"]
    return means


def _reviewer_names(applications: QuerySet[Application]) -> dict[int, list[str]]:
    """``{application_id: [reviewer, …]}`` in one query, for the export."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        Review.objects.filter(application__in=applications.values("pk"))
        .values_list("application_id", "reviewer__display_name", "reviewer__email")
        .order_by("application_id", "created_at", "pk")
    )
    for application_id, display_name, email in rows:
        names[application_id].append(display_name or email)
    return names


def export_rows(applications: QuerySet[Application], call: Call | None) -> Iterator[list[str]]:
    """The CSV export: one header, then one row per application with its scores (a fixed
    number of queries: the applications, the criteria's means, the reviewers)."""
    criteria = list(Criterion.objects.filter(call=call).order_by("order", "pk")) if call else []
    means = criterion_means(applications) if criteria else {}
    reviewers_of = _reviewer_names(applications)
    yield [
        "id",
        "appel",
        "organisation",
        "forme juridique",
        "RNA",
        "SIRET",
        "département",
        "collège",
        "état",
        "déposée le",
        "note moyenne /20",
        "écart",
        "évaluations complètes",
        *[f"{c.name} (moyenne /{c.scale_max})" for c in criteria],
        "évaluateur·rices",
        "décision motivée",
    ]
    legal_forms = dict(LegalForm.choices)
    statuses = dict(ApplicationStatus.choices)
    rows = applications.prefetch_related(None).values_list(
        "pk",
        "call__title",
        "organisation_name",
        "legal_form",
        "rna_number",
        "siret",
        "departement_id",
        "college__name",
        "status",
        "submitted_at",
        "score_mean",
        "score_spread",
        "review_count",
        "decision_message",
    )
    for (pk, title, name, legal_form, rna, siret, dept, college, status, submitted_at,
         mean, spread, count, message) in rows.iterator(chunk_size=2000):  # fmt: skip
        row_means = means.get(pk, {})
        yield [
            pk,
            title,
            name,
            legal_forms.get(legal_form, ""),
            rna,
            siret,
            dept or "",
            college or "",
            statuses.get(status, status),
            timezone.localtime(submitted_at).isoformat() if submitted_at else "",
            mean,
            spread,
            count,
            *[f"{row_means[c.pk]:.2f}" if c.pk in row_means else "" for c in criteria],
            ", ".join(reviewers_of.get(pk, [])),
            message,
        ]
