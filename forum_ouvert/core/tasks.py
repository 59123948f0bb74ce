"""The one base for every Celery task, its retry policy, and the ground-floor tasks.

When to use it: declare every task with ``@task("app.what")`` (never ``shared_task``
directly). The name is stable and required: the outbox stores tasks by name, and services
queue them by name (``core.outbox.enqueue("app.what", id)``), so that a service never
imports its app's ``tasks`` module (which imports the services: no import cycle).

The policy, written once: a task that meets a passing failure (``TRANSIENT_ERRORS``: the
mail server, the network, the database) retries with an exponential countdown (30 s, 60 s,
… up to an hour), ``MAX_RETRIES`` times. A service that knows of another passing failure
raises ``TransientError`` from it. Anything else is a bug: it fails the task, loudly. A
task takes ids, loads the objects, calls a service, and is safe to run twice.
"""

from __future__ import annotations

import smtplib

from celery import Task, shared_task
from django.db import OperationalError, connection


class TransientError(Exception):
    """A passing failure that the generic tuple does not name (storage, a remote service):
    raise it ``from`` the cause, and the task retries."""


#: Errors worth another try later: the mail server or the network hiccuped, the database
#: was briefly unavailable (or a lock timed out).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    OperationalError,
    TransientError,
)
#: How many times a task retries before it fails for good.
MAX_RETRIES = 6


class RetryingTask(Task):
    """Retries ``TRANSIENT_ERRORS`` with an exponential countdown (30 s doubling, at most an
    hour, with jitter so that the retries of one outage do not all fall at once)."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 30
    retry_backoff_max = 3600
    retry_jitter = True
    max_retries = MAX_RETRIES


def task(name: str, **options):
    """Declare a task under its stable ``name`` (``"app.what"``), with the one retry policy."""
    return shared_task(name=name, base=RetryingTask, **options)


@task("core.ping")
def ping(value: str) -> dict:
    """Round trip through the broker: echoes ``value`` and says whether the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        db_ok = cursor.fetchone()[0] == 1
    return {"echo": value, "database": "ok" if db_ok else "error"}


@task("core.flush_outbox")
def flush_outbox() -> int:
    """Every minute (beat): publish the tasks whose publication failed (broker down)."""
    from .outbox import flush_pending

    return flush_pending()


@task("core.send_account_deleted")
def send_account_deleted(address: str, language: str | None = None) -> bool:
    """The confirmation that an account was deleted, to the address it had, in the
    language its owner chose. The address is the only copy left (the account is
    anonymised): it lives in this task's outbox row until the flush deletes published rows."""
    from .mail import mail_send

    return mail_send(
        template="core/emails/account_deleted", context={}, to=[address], language=language
    )


@task("core.sweep_pending_uploads")
def sweep_pending_uploads() -> int:
    """Hourly (beat): delete the files kept for refused forms that nobody sent again."""
    from .uploads import sweep_pending_uploads as sweep

    return sweep()


@task("core.send_notification")
def send_notification(notification_id: int) -> bool:
    """E-mail one notification to its recipient, once (their setting says « immédiatement »)."""
    from .notifications import notification_mail_send

    return notification_mail_send(notification_id=notification_id)


@task("core.send_digests")
def send_digests() -> int:
    """Daily (beat): queue yesterday's digest for each person who has one (each sent once)."""
    from .notifications import digests_queue

    return digests_queue()


@task("core.send_digest")
def send_digest(user_id: int, day: str) -> bool:
    """One person's daily digest of ``day`` (ISO date), sent once even if run twice."""
    import datetime as dt

    from .notifications import digest_send

    return digest_send(user_id=user_id, day=dt.date.fromisoformat(day))
