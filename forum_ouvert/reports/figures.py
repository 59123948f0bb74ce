"""Figures of the plan and of participation, as of now: what snapshots and reports record."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils import timezone

from engagements.models import Commitment, Evidence, JournalEntry, Milestone, MilestoneStatus

PARTICIPATION_LABELS = {
    "contributions": "Contributions publiées",
    "supports": "Soutiens",
    "responses": "Retours argumentés donnés",
    "workshops_held": "Ateliers tenus",
    "registrations": "Inscriptions aux ateliers",
    "attendance": "Présences aux ateliers",
    "forum_members": "Membres du Forum ouvert",
    "forum_meetings": "Séances du Forum ouvert",
}


def plan_figures(*, plan) -> dict:
    """Counts of the plan's commitments, milestones, evidence and journal, today."""
    today = timezone.localdate()
    commitments = Commitment.objects.filter(plan=plan)
    by_status = dict(commitments.values_list("status").annotate(n=Count("id")).order_by())
    milestones = Milestone.objects.filter(commitment__plan=plan).aggregate(
        total=Count("id"),
        reached=Count("id", filter=Q(status=MilestoneStatus.REACHED)),
        late=Count(
            "id",
            filter=Q(ends_on__lt=today)
            & ~Q(status__in=[MilestoneStatus.REACHED, MilestoneStatus.CANCELLED]),
        ),
    )
    return {
        "commitments": commitments.count(),
        "by_status": by_status,
        "mean_progress": round(commitments.aggregate(p=Avg("progress"))["p"] or 0, 1),
        "milestones": milestones,
        "evidence": Evidence.objects.filter(commitment__plan=plan, is_public=True).count(),
        "journal": JournalEntry.objects.filter(commitment__plan=plan).count(),
    }


def participation_figures() -> dict[str, int]:
    """Participation counts, each participation app giving its own."""
    from participation.contributions import selectors as contributions
    from participation.forum import selectors as forum
    from participation.workshops import selectors as workshops

    figures: dict[str, int] = {}
    for app in (contributions, workshops, forum):
        figures.update(app.snapshot_figures())
    return figures
