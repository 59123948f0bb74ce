"""A worker killed in the middle of a render: the report is retried and finished, once."""

import datetime as dt
import time

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from forum_ouvert.celery import app
from forum_ouvert.reports import services
from forum_ouvert.reports.models import Report, ReportState
from tests.engagements.factories import CommitmentFactory, PlanFactory

pytestmark = pytest.mark.celery_worker


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.3)
    pytest.fail(f"Délai dépassé : {what}")


@pytest.fixture
def queued_report(make_user, transactional_db):
    plan = PlanFactory()
    for _ in range(3):
        CommitmentFactory(plan=plan)
    staff = make_user("ditp")
    app.conf.task_always_eager = False
    try:
        yield lambda: services.report_request(
            author=staff,
            kind="redevabilite",
            plan=plan,
            period_start=dt.date(2024, 1, 1),
            period_end=timezone.localdate(),
        )
    finally:
        app.conf.task_always_eager = True


@pytest.mark.parametrize("recovery", ["redelivery", "sweeper"])
def test_report_survives_a_killed_worker(start_celery_worker, queued_report, settings, recovery):
    """SIGKILL mid-render; the broker redelivers (or the sweeper re-queues); one set of files."""
    first = start_celery_worker(REPORTS_STEP_DELAY=1.5)
    report = queued_report()
    _wait(
        lambda: Report.objects.filter(
            pk=report.pk, state=ReportState.RENDERING, progress__gte=10
        ).exists(),
        30,
        "le premier worker commence le rendu",
    )
    first.kill()
    assert Report.objects.get(pk=report.pk).state == ReportState.RENDERING

    stale_after = 2
    if recovery == "redelivery":
        # The unacknowledged message comes back after the broker's visibility timeout.
        start_celery_worker(
            CELERY_VISIBILITY_TIMEOUT=3,
            CELERY_UNACKED_RESTORE_INTERVAL=1,
            CELERY_UNACKED_RESTORE_THROTTLE=1,
            REPORTS_STALE_AFTER=stale_after,
        )
    else:
        second = start_celery_worker(REPORTS_STALE_AFTER=stale_after)
        settings.REPORTS_STALE_AFTER = stale_after
        time.sleep(stale_after + 0.5)
        assert services.sweep_stale_reports() == [report.pk]
        assert second.proc.poll() is None
    done = _wait(
        lambda: Report.objects.filter(pk=report.pk, state=ReportState.READY).first(),
        60,
        "le rapport est terminé par le second worker",
    )
    assert done.attempts >= 2
    _, files = default_storage.listdir(f"reports/{report.pk}")
    assert sorted(files) == [
        f"annexe-{report.pk}.csv",
        f"annexe-{report.pk}.json",
        f"rapport-{report.pk}.pdf",
    ]
