"""Background work of the workshops: thin tasks that take ids and call a service (queued
by name, retried by the one policy of ``core.tasks``)."""

from __future__ import annotations

from forum_ouvert.core.tasks import task

from . import services


@task("workshops.send_notice")
def send_notice(notice_id: int) -> bool:
    """Send one registration e-mail; idempotent (the service records it sent under a lock)."""
    return services.notice_send(notice_id=notice_id)


@task("workshops.send_reminders")
def send_reminders() -> int:
    """Periodic (Celery beat): queue the reminders of workshops starting within two days."""
    return len(services.reminders_queue())


@task("workshops.finish_past")
def finish_past() -> int:
    """Periodic (Celery beat): mark ended workshops « terminé »."""
    return services.workshops_finish_past()
