"""Background work of the workshops: thin tasks that take ids and call a service."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import OperationalError

#: Errors worth trying again later (mail server or database briefly unavailable).
TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, OperationalError)


@shared_task(name="workshops.send_notice", bind=True, max_retries=8)
def send_notice(self, notice_id: int) -> bool:
    """Send one registration e-mail; idempotent (the service records it sent under a lock)."""
    from . import services

    try:
        return services.notice_send(notice_id=notice_id)
    except TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=60 * (2**self.request.retries)) from exc


@shared_task(name="workshops.send_reminders", bind=True, max_retries=3)
def send_reminders(self) -> int:
    """Periodic (Celery beat): queue the reminders of workshops starting within two days."""
    from . import services

    try:
        return len(services.reminders_queue())
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=120) from exc


@shared_task(name="workshops.finish_past", bind=True, max_retries=3)
def finish_past(self) -> int:
    """Periodic (Celery beat): mark ended workshops « terminé »."""
    from . import services

    try:
        return services.workshops_finish_past()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=120) from exc
