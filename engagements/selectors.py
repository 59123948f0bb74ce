"""Reads of the plan and its commitments: querysets with their joins and an explicit order."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from forum_ouvert.core import search

from .models import (
    ActionPlan,
    Axis,
    Commitment,
    CommitmentStatus,
    JournalEntry,
    Milestone,
    MilestoneStatus,
)


def current_plan() -> ActionPlan | None:
    """The plan being implemented (at most one, by a database constraint)."""
    return ActionPlan.objects.filter(is_current=True).first()


def late_milestones(*, today=None) -> QuerySet[Milestone]:
    today = today or timezone.localdate()
    return Milestone.objects.filter(ends_on__lt=today).exclude(
        status__in=[MilestoneStatus.REACHED, MilestoneStatus.CANCELLED]
    )


def commitments_with_badges(qs: QuerySet[Commitment] | None = None) -> QuerySet[Commitment]:
    """Commitments with what a list shows: axis, lead institutions, and ``is_late``."""
    qs = Commitment.objects.all() if qs is None else qs
    return (
        qs.select_related("axis", "plan")
        .prefetch_related("lead_institutions")
        .annotate(is_late=Exists(late_milestones().filter(commitment=OuterRef("pk"))))
        .order_by("plan_id", "number")
    )


def plan_overview(*, plan: ActionPlan | None) -> dict:
    """What the home page shows of a plan: axes, counts by status, progress, latest changes."""
    if plan is None:
        return {"plan": None}
    untitled = Q(title="") | Q(title_confirmed=False)
    commitments = commitments_with_badges(Commitment.objects.filter(plan=plan))
    # The commitments whose title is published come first, under their axes; the others
    # are named once, in one sentence, rather than as a headline figure.
    axes = plan.axes.prefetch_related(
        Prefetch(
            "commitments", queryset=commitments.exclude(untitled), to_attr="listed_commitments"
        )
    ).order_by("number")
    counts = dict(
        Commitment.objects.filter(plan=plan)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    status_counts = [(status, counts.get(status.value, 0)) for status in CommitmentStatus]
    aggregates = Commitment.objects.filter(plan=plan).aggregate(
        progress=Avg("progress"),
        total=Count("id"),
        to_complete=Count("id", filter=untitled),
    )
    late = (
        Commitment.objects.filter(plan=plan)
        .filter(Exists(late_milestones().filter(commitment=OuterRef("pk"))))
        .count()
    )
    latest = (
        JournalEntry.objects.filter(commitment__plan=plan)
        .select_related("commitment", "milestone")
        .order_by("-created_at", "-id")[:8]
    )
    return {
        "plan": plan,
        "axes": list(axes),
        "unassigned": [c for c in commitments if c.axis_id is None and not c.needs_completion],
        "untitled": list(
            Commitment.objects.filter(plan=plan)
            .filter(untitled)
            .only("id", "slug", "number", "plan_id")
            .order_by("number")
        ),
        "status_counts": status_counts,
        "overall_progress": round(aggregates["progress"] or 0),
        "commitment_count": aggregates["total"],
        "to_complete_count": aggregates["to_complete"],
        "known_count": aggregates["total"] - aggregates["to_complete"],
        "late_count": late,
        "latest_journal": list(latest),
    }


def axis_choices(*, plan: ActionPlan) -> QuerySet[Axis]:
    return Axis.objects.filter(plan=plan).order_by("number")


def commitment_search(*, plan: ActionPlan | None, filters: dict) -> QuerySet[Commitment]:
    """The current plan's commitments filtered by axis, status (or late), lead, OGP value, text."""

    qs = Commitment.objects.filter(plan=plan)
    if axis := filters.get("axis"):
        qs = qs.filter(axis=axis)
    status = filters.get("status")
    if status == "en_retard":
        qs = qs.filter(Exists(late_milestones().filter(commitment=OuterRef("pk"))))
    elif status:
        qs = qs.filter(status=status)
    if lead := filters.get("lead"):
        qs = qs.filter(lead_institutions=lead)
    if value := filters.get("value"):
        qs = qs.filter(**{f"value_{OGP_VALUE_FIELDS[value]}": True})
    if (query := search.query(filters.get("q") or "")) is not None:
        # The site's configuration (core.search): case, accents and plurals ignored, as in
        # the header's search; a lead institution's name is part of the document.
        matching = Commitment.objects.annotate(
            document=search.document(
                ("title", "A"),
                ("ogp_id", "A"),
                ("description", "B"),
                ("problem", "B"),
                ("theme_hint", "C"),
                ("lead_institutions__name", "C"),
            )
        ).filter(document=query)
        qs = qs.filter(pk__in=matching.values("pk"))
    return commitments_with_badges(qs)


OGP_VALUE_FIELDS = {
    "transparence": "transparency",
    "participation": "participation",
    "redevabilite": "accountability",
    "technologie": "technology",
}


def lead_institutions(*, plan: ActionPlan | None):
    from .models import Institution

    return Institution.objects.filter(led_commitments__plan=plan).distinct().order_by("name")


def commitment_detail(*, slug: str) -> Commitment:
    """One commitment with what its page shows (raises Commitment.DoesNotExist)."""
    return (
        commitments_with_badges()
        .prefetch_related("supporting_institutions", "leads")
        .get(slug=slug)
    )


def commitment_milestones(*, commitment: Commitment) -> list[Milestone]:
    return list(commitment.milestones.order_by("order", "ends_on", "id"))


def commitment_evidence(*, commitment: Commitment, include_internal: bool = False):
    qs = commitment.evidence.select_related("milestone").order_by("-dated_on", "-id")
    return qs if include_internal else qs.filter(is_public=True)


@dataclass
class JournalAct:
    """One act of the public history: the changes one person published at once with one
    justification (a point d'étape changes state, progress and six texts: one entry, not
    eight)."""

    key: tuple
    entries: list

    @property
    def first(self):
        return self.entries[0]


def journal_acts(entries) -> list[JournalAct]:
    """``entries`` (newest first) grouped into acts: consecutive rows of the same person,
    the same justification and the same minute; within an act, in the order written."""
    acts: list[JournalAct] = []
    for entry in entries:
        minute = entry.created_at.replace(second=0, microsecond=0)
        key = (entry.actor_id, entry.justification, minute)
        if acts and acts[-1].key == key:
            acts[-1].entries.append(entry)
        else:
            acts.append(JournalAct(key, [entry]))
    for act in acts:
        act.entries.reverse()
    return acts


def commitment_journal(*, commitment: Commitment) -> QuerySet[JournalEntry]:
    return (
        JournalEntry.objects.filter(commitment=commitment)
        .select_related("milestone", "actor")
        .order_by("-created_at", "-id")
    )


def public_evidence(*, plan: ActionPlan | None, filters: dict):
    """The OGP repository: every public piece of evidence of a plan, newest first."""
    from .models import Evidence

    qs = Evidence.objects.filter(commitment__plan=plan, is_public=True)
    if commitment := filters.get("commitment"):
        qs = qs.filter(commitment=commitment)
    if start := filters.get("start"):
        qs = qs.filter(dated_on__gte=start)
    if end := filters.get("end"):
        qs = qs.filter(dated_on__lte=end)
    return qs.select_related("commitment", "milestone").order_by("-dated_on", "-id")


def repository_last_update(*, plan: ActionPlan | None):
    from django.db.models import Max

    from .models import Evidence

    return Evidence.objects.filter(commitment__plan=plan, is_public=True).aggregate(
        last=Max("created_at")
    )["last"]


def back_office_commitments(*, user) -> QuerySet[Commitment]:
    """« Mes engagements »: a lead's own commitments; every commitment for DITP staff."""
    qs = Commitment.objects.filter(plan__is_current=True)
    if not user.is_ditp:
        qs = qs.filter(leads=user)
    return commitments_with_badges(qs).prefetch_related("leads")
