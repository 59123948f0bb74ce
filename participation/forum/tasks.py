"""Thin, idempotent tasks: they take ids, call a service, retry on transient errors."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import OperationalError

#: Errors worth another try: the mail server or the database hiccuped.
TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, OperationalError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": 30, "max_retries": 5}


@shared_task(name="forum.send_acknowledgement", **RETRY)
def send_acknowledgement(application_id: int) -> bool:
    """Acknowledge a submitted application by e-mail (once)."""
    from .services.applications import acknowledgement_send

    return acknowledgement_send(application_id=application_id)


@shared_task(name="forum.send_decision", **RETRY)
def send_decision(application_id: int) -> bool:
    """Tell the applicant the decision on their application (once per decision)."""
    from .services.reviews import decision_send

    return decision_send(application_id=application_id)


@shared_task(name="forum.send_invitation", **RETRY)
def send_invitation(invitation_id: int) -> bool:
    """Invite a member to a meeting by e-mail (once)."""
    from .services.meetings import invitation_send

    return invitation_send(invitation_id=invitation_id)


@shared_task(name="forum.sync_call_phases", **RETRY)
def sync_call_phases() -> int:
    """Open and close calls whose opening or closing time has come (celery beat)."""
    from .services.calls import calls_sync_phases

    return len(calls_sync_phases())
