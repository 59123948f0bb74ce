"""A transactional outbox for Celery tasks: the one way a service queues a task.

When to use it: whenever a service's change calls for background work (an e-mail to send,
a report to render). ``enqueue("app.task_name", *ids)`` is called inside the transaction
of that change, **by the task's name**: the service never imports its ``tasks`` module
(which imports the services), so there is no import cycle. It writes an ``OutboxTask`` row
in that same transaction, and publishes the task once the transaction has committed. If
the broker is down at that moment, the request still succeeds — the row stays pending and
``flush_pending`` (Celery beat ``core.flush_outbox``, or ``manage.py flush_outbox``)
publishes it later. A rolled-back change leaves neither a row nor a task.

When tasks run in the process (development, tests: ``task_always_eager``), a task that
asks to be retried (a passing failure, see ``core.tasks``) is treated like a broker that
is down: the row stays pending for the next flush, and the request that queued it
succeeds. Any other error of an eager task is a bug and is raised.

A task may be delivered twice (the publication succeeded but marking the row failed, a
worker died after the work): every task queued here must be idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from celery import current_app
from celery.exceptions import Retry
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxTask

logger = logging.getLogger(__name__)

#: Rows younger than this are being published by the request that wrote them.
FLUSH_AFTER = dt.timedelta(seconds=30)
#: Published rows are kept this long for inspection, then deleted by the flush.
KEEP_PUBLISHED = dt.timedelta(days=7)


def enqueue(name: str, *args) -> OutboxTask:
    """Queue the task ``name`` (``"app.task_name"``) with ``args`` (ids, JSON values) in the
    current transaction: written now, sent on commit."""
    return enqueue_many(name, [args])[0]


def enqueue_many(name: str, args_list: Iterable[Sequence]) -> list[OutboxTask]:
    """Queue the task ``name`` once per argument tuple (one row each, one publication
    round). An unknown name fails here, in the service, not later in the flush."""
    name = getattr(name, "name", name)  # a task object is accepted for its name
    _task(name)
    rows = OutboxTask.objects.bulk_create(
        OutboxTask(task=name, args=list(args)) for args in args_list
    )
    if rows:
        transaction.on_commit(lambda: publish(rows))
    return rows


def publish(rows: Sequence[OutboxTask]) -> int:
    """Publish these rows and mark them queued; stop at the first broker failure.

    Returns how many were published. A failure is logged and recorded on the row, which
    stays pending for the next flush.
    """
    published = 0
    for row in rows:
        task = _task(row.task)
        try:
            # ``retry=True``: the settings' ``CELERY_TASK_PUBLISH_RETRY_POLICY`` (a web
            # request never waits long for a broker that is down).
            task.apply_async(args=row.args, task_id=row.celery_id, retry=True)
        except Exception as exc:
            # Eagerly run tasks (development, tests) raise their own errors: let the bugs
            # through; a retry asked for is the row waiting for the next flush.
            if task.app.conf.task_always_eager and not isinstance(exc, Retry):
                raise
            # Anything else is the publication failing (broker down, timeout, refused):
            # the row stays pending and is published again by the next flush.
            OutboxTask.objects.filter(pk=row.pk).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__} : {exc}"[:2000]
            )
            logger.warning(
                "Outbox: could not publish %s (%s); it will be retried.",
                row.celery_id,
                row.task,
                exc_info=True,
            )
            return published
        OutboxTask.objects.filter(pk=row.pk).update(
            queued_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        published += 1
    return published


def flush_pending(*, older_than: dt.timedelta = FLUSH_AFTER, limit: int = 500) -> int:
    """Publish the pending rows older than ``older_than``; returns how many were published.

    The rows are locked (``SKIP LOCKED``) until the end: two flushes running at the same
    time (two beats, an operator and the beat) never publish the same row twice.
    """
    now = timezone.now()
    OutboxTask.objects.filter(queued_at__lt=now - KEEP_PUBLISHED).delete()
    with transaction.atomic():
        rows = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(queued_at__isnull=True, created_at__lte=now - older_than)
            .order_by("id")[:limit]
        )
        return publish(rows)


def pending() -> int:
    """How many tasks are waiting for publication (for monitoring)."""
    return OutboxTask.objects.filter(queued_at__isnull=True).count()


def _task(name: str):
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()  # the task modules are imported lazily
    return app.tasks[name]
