"""Reads of the snapshots, for the progress-over-time charts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg
from django.utils import timezone

from .models import CommitmentSnapshot

MAX_POINTS = 24


def _thin(points: list) -> list:
    """At most MAX_POINTS points, always keeping the last one."""
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    thinned = [points[int(i * step)] for i in range(MAX_POINTS - 1)]
    return [*thinned, points[-1]]


def ending_at(points: list[tuple], day, value) -> list[tuple]:
    """The series with its last point at ``day`` worth ``value``: a chart of progress over
    time always ends at the figure printed beside it, whatever the snapshot job did (a
    snapshot taken before today's update, or none since)."""
    kept = [(d, v) for d, v in points if d < day]
    return [*kept, (day, value)]


def commitment_progress_series(*, commitment) -> list[tuple[dt.date, int]]:
    rows = list(
        CommitmentSnapshot.objects.filter(commitment=commitment)
        .order_by("date")
        .values_list("date", "progress")
    )
    if not rows:
        return []
    return _thin(ending_at(rows, timezone.localdate(), commitment.progress))


def plan_progress_series(*, plan) -> list[tuple[dt.date, float]]:
    rows = list(
        CommitmentSnapshot.objects.filter(commitment__plan=plan)
        .values("date")
        .annotate(mean=Avg("progress"))
        .order_by("date")
        .values_list("date", "mean")
    )
    if not rows:
        return []
    current = plan.commitments.aggregate(mean=Avg("progress"))["mean"] or 0
    return _thin(
        ending_at([(d, round(m, 1)) for d, m in rows], timezone.localdate(), round(current, 1))
    )
