"""Background work of this app: thin, idempotent tasks that take ids and call a service."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import OperationalError

from . import services

TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, OperationalError)


@shared_task(name="contributions.notify_response", bind=True, max_retries=6)
def notify_response(self, response_id: int, revision: int) -> int:
    """E-mail the author and supporters about a reasoned response (each person once)."""
    try:
        return services.response_notify(response_id=response_id, revision=revision)
    except TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=min(3600, 60 * 2**self.request.retries)) from exc
