"""One base task and one retry policy for every task, queued by name through the outbox."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from celery.exceptions import Retry

from forum_ouvert.celery import app as celery_app
from forum_ouvert.core.models import OutboxTask
from forum_ouvert.core.outbox import enqueue, flush_pending
from forum_ouvert.core.tasks import TRANSIENT_ERRORS, RetryingTask, TransientError, task

pytestmark = pytest.mark.django_db

APPS = ("core", "contributions", "engagements", "forum", "reports", "workshops")


def _our_tasks():
    celery_app.loader.import_default_modules()
    return {name: t for name, t in celery_app.tasks.items() if name.split(".")[0] in APPS}


def test_every_task_has_a_stable_name_and_the_one_retry_policy():
    """Every task of the platform is named « app.what » and retries passing failures alike."""
    tasks = _our_tasks()
    assert {"forum.send_acknowledgement", "workshops.send_notice", "reports.render"} <= set(tasks)
    for name, registered in tasks.items():
        assert isinstance(registered, RetryingTask), name
        assert registered.name == name
        assert registered.autoretry_for == TRANSIENT_ERRORS, name
        assert registered.max_retries == RetryingTask.max_retries, name


def test_an_unknown_task_name_fails_in_the_service():
    """A typo in a task's name is refused when it is queued, not lost in the outbox."""
    with pytest.raises(KeyError):
        enqueue("forum.send_acknowledgment", 1)
    assert not OutboxTask.objects.exists()


@task("core.test_flaky")
def flaky(calls: list) -> str:
    """A task for these tests only: each test gives it its own body."""
    return "ok"


@pytest.mark.parametrize(
    "error",
    [smtplib.SMTPServerDisconnected("coupure"), ConnectionRefusedError(), TransientError("s3")],
)
def test_a_passing_failure_asks_for_a_retry(monkeypatch, error):
    """A mail server, network or storage that fails makes the task retry, not fail."""

    def fail(calls):
        raise error

    monkeypatch.setattr(flaky, "_orig_run", fail)
    with pytest.raises(Retry):
        flaky.apply(args=[[]])


def test_a_retry_in_process_leaves_the_row_for_the_next_flush(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Run in the process (development), a task that must retry does not fail the request
    that queued it: the row stays pending and the next flush runs it again."""
    outcomes = [smtplib.SMTPServerDisconnected("coupure")]

    def once_down(calls):
        if outcomes:
            raise outcomes.pop()
        return "ok"

    monkeypatch.setattr(flaky, "_orig_run", once_down)
    with django_capture_on_commit_callbacks(execute=True):
        row = enqueue("core.test_flaky", [])
    row.refresh_from_db()
    assert row.queued_at is None
    assert row.last_error.startswith("Retry : ") and "coupure" in row.last_error, row.last_error
    assert flush_pending(older_than=dt.timedelta(0)) == 1
    row.refresh_from_db()
    assert row.queued_at is not None
