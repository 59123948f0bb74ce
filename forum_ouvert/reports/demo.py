"""Fictitious history for the demonstration: monthly snapshots and one published report."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from engagements.models import ActionPlan, Commitment, CommitmentStatus

from . import services
from .models import CommitmentSnapshot, Report, ReportKind, ReportState, SiteSnapshot

S = CommitmentStatus


def _status_for(progress: int, final: str) -> str:
    if progress >= 100:
        return S.COMPLETE
    if progress == 0:
        return S.NOT_STARTED
    return S.SUBSTANTIAL if progress >= 50 and final in (S.SUBSTANTIAL, S.COMPLETE) else S.LIMITED


def seed(*, users: dict) -> None:
    """Monthly snapshots since the plan's launch rising to today's (fictitious) figures, and
    a published accountability report. Idempotent."""
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
        rows = []
        for i, month in enumerate(months):
            share = (i + 1) / (len(months) + 1)
            for c in commitments:
                progress = round(c.progress * share)
                rows.append(
                    CommitmentSnapshot(
                        date=month,
                        commitment=c,
                        status=_status_for(progress, c.status),
                        progress=progress,
                    )
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
