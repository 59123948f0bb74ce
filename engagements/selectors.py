"""Reads of the plan and its commitments: querysets with their joins and an explicit order."""

from __future__ import annotations

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

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
    commitments = commitments_with_badges(Commitment.objects.filter(plan=plan))
    axes = plan.axes.prefetch_related(
        Prefetch("commitments", queryset=commitments, to_attr="listed_commitments")
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
        to_complete=Count("id", filter=Q(title="") | Q(title_confirmed=False)),
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
        "unassigned": [c for c in commitments if c.axis_id is None],
        "status_counts": status_counts,
        "overall_progress": round(aggregates["progress"] or 0),
        "commitment_count": aggregates["total"],
        "to_complete_count": aggregates["to_complete"],
        "late_count": late,
        "latest_journal": list(latest),
    }


def axis_choices(*, plan: ActionPlan) -> QuerySet[Axis]:
    return Axis.objects.filter(plan=plan).order_by("number")
