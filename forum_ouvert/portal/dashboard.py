"""The staff dashboard (/pilotage/): what needs attention now, each figure linking to its list.

A commitment lead sees the same, limited to their commitments.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from engagements.models import Commitment, Milestone, MilestoneStatus
from forum_ouvert.reports.models import Report
from participation.contributions import selectors as contributions_selectors
from participation.forum import selectors as forum_selectors
from participation.workshops import selectors as workshops_selectors

OPEN = ~Q(status__in=[MilestoneStatus.REACHED, MilestoneStatus.CANCELLED])
STALE_AFTER_DAYS = 90
DUE_WITHIN_DAYS = 30
LIST_LIMIT = 8


def _scope(user):
    commitments = Commitment.objects.filter(plan__is_current=True)
    return commitments if user.is_ditp else commitments.filter(leads=user)


def dashboard_context(*, user) -> dict:
    today = timezone.localdate()
    commitments = _scope(user)
    milestones = Milestone.objects.filter(commitment__in=commitments).filter(OPEN)
    overdue = milestones.filter(ends_on__lt=today).select_related("commitment").order_by("ends_on")
    due_soon = (
        milestones.filter(
            ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=DUE_WITHIN_DAYS)
        )
        .select_related("commitment")
        .order_by("ends_on")
    )
    stale_before = timezone.now() - dt.timedelta(days=STALE_AFTER_DAYS)
    stale = commitments.filter(Q(last_update_at__isnull=True) | Q(last_update_at__lt=stale_before))
    context = {
        "today": today,
        "overdue": list(overdue[:LIST_LIMIT]),
        "overdue_count": overdue.count(),
        "due_soon": list(due_soon[:LIST_LIMIT]),
        "due_soon_count": due_soon.count(),
        "stale": list(stale.order_by("last_update_at", "number")[:LIST_LIMIT]),
        "stale_count": stale.count(),
        "stale_days": STALE_AFTER_DAYS,
        "due_days": DUE_WITHIN_DAYS,
        "commitment_count": commitments.count(),
    }
    if user.is_ditp:
        context["reports"] = list(Report.objects.select_related("plan").order_by("-created_at")[:5])
        context["contributions"] = contributions_selectors.dashboard_figures()
        context["forum"] = forum_selectors.dashboard_figures()
        context["workshops"] = workshops_selectors.dashboard_figures()
    return context
