"""Background work of the reports: thin tasks that call a service with an id (queued by
name, retried by the one policy of ``core.tasks``)."""

from __future__ import annotations

from forum_ouvert.core.tasks import task

from . import services


@task("reports.render", acks_late=True, reject_on_worker_lost=True)
def render_report(report_id: int) -> str | None:
    """Render one report; safe to run twice (a READY report is left alone)."""
    report = services.report_render(report_id=report_id)
    return report.state if report else None


@task("reports.notify")
def notify_report(report_id: int) -> int:
    """Tell the requester (or DITP) that a report is ready or failed (once per outcome)."""
    return services.report_notify(report_id=report_id)


@task("reports.snapshot")
def take_snapshot() -> int:
    """Daily (beat): today's status and progress of every commitment, and participation."""
    return services.snapshot_take()


@task("reports.monthly")
def monthly_report() -> int | None:
    """Monthly (beat): last month's progress report, waiting for staff to publish it."""
    report = services.monthly_progress_report()
    return report.pk if report else None


@task("reports.sweep")
def sweep_reports() -> list[int]:
    """Every few minutes (beat): re-queue reports left behind by a dead worker."""
    return services.sweep_stale_reports()
