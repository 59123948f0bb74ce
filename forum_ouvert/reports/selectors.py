"""Reads of the snapshots, for the progress-over-time charts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg

from .models import CommitmentSnapshot

MAX_POINTS = 24


def _thin(points: list) -> list:
    """At most MAX_POINTS points, always keeping the last one."""
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    thinned = [points[int(i * step)] for i in range(MAX_POINTS - 1)]
    return [*thinned, points[-1]]


def commitment_progress_series(*, commitment) -> list[tuple[dt.date, int]]:
    rows = list(
        CommitmentSnapshot.objects.filter(commitment=commitment)
        .order_by("date")
        .values_list("date", "progress")
    )
    return _thin(rows)


def plan_progress_series(*, plan) -> list[tuple[dt.date, float]]:
    rows = list(
        CommitmentSnapshot.objects.filter(commitment__plan=plan)
        .values("date")
        .annotate(mean=Avg("progress"))
        .order_by("date")
        .values_list("date", "mean")
    )
    return _thin([(d, round(m, 1)) for d, m in rows])
