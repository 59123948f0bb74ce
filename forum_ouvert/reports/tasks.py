"""Background work of the reports: thin tasks that call a service with an id."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="reports.render",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(services.TransientReportError,),
    retry_backoff=20,
    max_retries=5,
)
def render_report(report_id: int) -> str | None:
    """Render one report; safe to run twice (a READY report is left alone)."""
    report = services.report_render(report_id=report_id)
    return report.state if report else None


@shared_task(name="reports.notify", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_report(report_id: int) -> int:
    return services.report_notify(report_id=report_id)


@shared_task(name="reports.snapshot")
def take_snapshot() -> int:
    """Daily (beat): today's status and progress of every commitment, and participation."""
    return services.snapshot_take()


@shared_task(name="reports.monthly")
def monthly_report() -> int | None:
    """Monthly (beat): last month's progress report, waiting for staff to publish it."""
    report = services.monthly_progress_report()
    return report.pk if report else None


@shared_task(name="reports.sweep")
def sweep_reports() -> list[int]:
    """Every few minutes (beat): re-queue reports left behind by a dead worker."""
    return services.sweep_stale_reports()
