"""The transactional outbox: what was committed is e-mailed even if Redis was down."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.celery import app as celery_app
from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import OutboxTask
from forum_ouvert.core.outbox import flush_pending
from participation.forum.models import Application
from participation.forum.services.applications import application_submit
from tests.forum.conftest import application_data
from tests.forum.factories import ApplicationFactory, CallFactory

#: Nothing listens on port 1: every connection is refused at once.
CLOSED_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker(settings):
    """``broker(url, eager=False)``: publish to this broker (tasks no longer run in-process);
    the test settings come back afterwards."""
    saved = celery_app.conf.get("broker_write_url"), celery_app.conf.task_always_eager

    def point(url: str | None, *, eager: bool = False) -> None:
        celery_app._pool = None  # the connection pools are bound to the previous URL
        celery_app.amqp._producer_pool = None
        # The write URL: the environment's CELERY_BROKER_URL wins over ``broker_url``.
        celery_app.conf.broker_write_url = url
        celery_app.conf.task_always_eager = eager

    yield point
    point(saved[0], eager=saved[1])


@pytest.fixture
def draft(db, make_user):
    """A complete draft application in an open call, and its author."""
    applicant = make_user(Role.CITIZEN)
    return ApplicationFactory(call=CallFactory(), applicant=applicant, draft=True), applicant


def _age_rows(seconds: int = 60) -> None:
    OutboxTask.objects.update(created_at=timezone.now() - dt.timedelta(seconds=seconds))


def test_the_task_row_is_written_and_rolled_back_with_the_change(
    draft, django_capture_on_commit_callbacks
):
    """A submission that fails after queuing its e-mail leaves no task and sends nothing."""
    application, applicant = draft
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        application_submit(actor=applicant, application=application)
        assert OutboxTask.objects.filter(task="forum.send_acknowledgement").count() == 1
        raise RuntimeError("the rest of the request failed")
    assert callbacks == []
    assert not OutboxTask.objects.exists()
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.submitted_at is None


def test_a_committed_task_is_published_at_once(draft, django_capture_on_commit_callbacks):
    """With the broker up, the acknowledgement leaves on commit and the row is marked."""
    application, applicant = draft
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=applicant, application=application)
    row = OutboxTask.objects.get()
    assert (row.task, row.args, row.attempts, row.last_error) == (
        "forum.send_acknowledgement",
        [application.pk],
        1,
        "",
    )
    assert row.queued_at is not None
    assert len(mail.outbox) == 1
    _age_rows()
    assert flush_pending() == 0
    assert len(mail.outbox) == 1


def test_redis_down_the_submission_succeeds_and_the_mail_follows_later(
    client, draft, broker, django_capture_on_commit_callbacks
):
    """Redis is down when a person submits: the page answers at once (no error), the
    application is submitted; once Redis is back, the flush sends the acknowledgement once."""
    application, applicant = draft
    client.force_login(applicant)
    broker(CLOSED_BROKER)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:application_edit", args=[application.pk]),
            application_data(application.call, action="deposer"),
        )
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 2, f"{elapsed:.2f} s"
    application.refresh_from_db()
    assert application.submitted_at is not None
    row = OutboxTask.objects.get()
    assert row.queued_at is None
    assert row.attempts == 1
    assert "Connection refused" in row.last_error
    assert mail.outbox == []

    assert flush_pending() == 0  # too young: its own request may still be publishing
    _age_rows()
    assert flush_pending() == 0  # still down: the row waits
    row.refresh_from_db()
    assert (row.queued_at, row.attempts) == (None, 2)

    broker(None, eager=True)
    assert flush_pending() == 1
    assert flush_pending() == 0
    assert len(mail.outbox) == 1
    assert "Candidature reçue" in mail.outbox[0].subject
    row.refresh_from_db()
    assert row.queued_at is not None
    assert row.last_error == ""


def test_a_row_locked_by_another_flush_is_not_published_twice(transactional_db, draft, broker):
    """Two flushes at once (two beats, or an operator and the beat): the row locked by one
    is skipped by the other, so the acknowledgement is sent once."""
    application, applicant = draft
    broker(CLOSED_BROKER)
    application_submit(actor=applicant, application=application)  # autocommit: on_commit now
    _age_rows()
    broker(None, eager=True)
    locked, release = threading.Event(), threading.Event()

    def other_flush():
        try:
            with transaction.atomic():
                list(OutboxTask.objects.select_for_update())
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_flush)
    thread.start()
    try:
        assert locked.wait(10)
        assert flush_pending() == 0
    finally:
        release.set()
        thread.join(10)
    assert mail.outbox == []
    assert flush_pending() == 1
    assert len(mail.outbox) == 1


def test_the_management_command_and_the_beat_flush_the_outbox(draft, broker, capsys):
    """An operator can publish what is pending at once; the beat does it every minute."""
    application, applicant = draft
    broker(CLOSED_BROKER)
    application_submit(actor=applicant, application=application)
    broker(None, eager=True)
    call_command("flush_outbox", older_than=0)
    assert capsys.readouterr().out.strip() == "1 tâche(s) publiée(s), 0 en attente."
    assert len(mail.outbox) == 1
    entry = django_settings.CELERY_BEAT_SCHEDULE["core-flush-outbox"]
    assert entry["task"] == "core.flush_outbox"
    assert entry["schedule"] <= 60


def test_published_rows_are_deleted_after_a_week(db):
    """The outbox does not grow forever: published rows older than a week are deleted."""
    old = timezone.now() - dt.timedelta(days=8)
    OutboxTask.objects.create(task="core.ping", args=["x"], created_at=old, queued_at=old)
    kept = OutboxTask.objects.create(task="core.ping", args=["y"], queued_at=timezone.now())
    flush_pending()
    assert list(OutboxTask.objects.all()) == [kept]


@pytest.mark.celery_worker
def test_a_real_worker_sends_what_was_committed_while_redis_was_down(
    start_celery_worker, draft, broker
):
    """End to end: submitted while Redis was down; Redis back, the flush publishes the task
    and a real worker process sends the acknowledgement."""
    application, applicant = draft
    broker(CLOSED_BROKER)
    application_submit(actor=applicant, application=application)
    assert OutboxTask.objects.get().queued_at is None
    start_celery_worker()
    broker(None)
    assert flush_pending(older_than=dt.timedelta(0)) == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Application.objects.get(pk=application.pk).acknowledged_at:
            break
        time.sleep(0.2)
    assert Application.objects.get(pk=application.pk).acknowledged_at is not None
