"""Thin, idempotent tasks: they take ids and call a service (queued by name, retried by
the one policy of ``core.tasks``)."""

from __future__ import annotations

from forum_ouvert.core.tasks import task

from .services.applications import acknowledgement_send
from .services.calls import calls_sync_phases
from .services.meetings import invitation_send
from .services.reviews import decision_send


@task("forum.send_acknowledgement")
def send_acknowledgement(application_id: int) -> bool:
    """Acknowledge a submitted application by e-mail (once)."""
    return acknowledgement_send(application_id=application_id)


@task("forum.send_decision")
def send_decision(application_id: int) -> bool:
    """Tell the applicant the decision on their application (once per decision)."""
    return decision_send(application_id=application_id)


@task("forum.send_invitation")
def send_invitation(invitation_id: int) -> bool:
    """Invite a member to a meeting by e-mail (once)."""
    return invitation_send(invitation_id=invitation_id)


@task("forum.sync_call_phases")
def sync_call_phases() -> int:
    """Open and close calls whose opening or closing time has come (celery beat)."""
    return len(calls_sync_phases())
