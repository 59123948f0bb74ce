"""Fictitious history for the demonstration: monthly snapshots and one published report."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from engagements.models import ActionPlan, Commitment, CommitmentStatus, JournalEntry

from . import services
from .models import CommitmentSnapshot, Report, ReportKind, ReportState, SiteSnapshot

S = CommitmentStatus


def _timeline(commitment) -> list[tuple[dt.date, str, int]]:
    """The commitment's (day, status, progress) after each of its journal's points d'étape."""
    labels = {str(label): code for code, label in S.choices}
    status, progress, points = S.NOT_STARTED, 0, []
    entries = JournalEntry.objects.filter(
        commitment=commitment, field__in=("status", "progress")
    ).order_by("created_at", "id")
    for entry in entries:
        if entry.field == "status":
            status = labels.get(entry.new_value, status)
        else:
            progress = int(entry.new_value.removesuffix("%").strip() or 0)
        points.append((timezone.localtime(entry.created_at).date(), status, progress))
    return points


def _value_at(points: list[tuple[dt.date, str, int]], day: dt.date) -> tuple[str, int]:
    value = (S.NOT_STARTED, 0)
    for when, status, progress in points:
        if when > day:
            break
        value = (status, progress)
    return value


def seed(*, users: dict) -> None:
    """Monthly snapshots since the plan's launch, read from the (fictitious) journal — so
    that the charts, the journal and a period report's start and end values agree — and a
    published accountability report. Idempotent."""
    plan = ActionPlan.objects.filter(is_current=True).first()
    if plan is None:
        return
    today = timezone.localdate()
    if not CommitmentSnapshot.objects.filter(date__lt=today).exists():
        commitments = list(Commitment.objects.filter(plan=plan))
        months = []
        day = dt.date(2024, 4, 1)
        while day < today:
            months.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        timelines = {c.pk: _timeline(c) for c in commitments}
        rows = []
        for month in months:
            for c in commitments:
                status, progress = _value_at(timelines[c.pk], month)
                rows.append(
                    CommitmentSnapshot(date=month, commitment=c, status=status, progress=progress)
                )
        CommitmentSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
        for month in months:
            SiteSnapshot.objects.get_or_create(date=month, defaults={"figures": {}})
    services.snapshot_take()
    if not Report.objects.filter(plan=plan, kind=ReportKind.ACCOUNTABILITY).exists():
        report = services.report_request(
            author=users["staff"],
            kind=ReportKind.ACCOUNTABILITY,
            plan=plan,
            period_start=plan.starts_on or dt.date(2024, 1, 1),
            period_end=today,
        )
        services.report_render(report_id=report.pk)
        report.refresh_from_db()
        if report.state == ReportState.READY:
            services.report_publish(actor=users["staff"], report=report)
