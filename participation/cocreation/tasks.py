"""Thin, idempotent tasks: they take ids and call a service (queued by name, retried by
the one policy of ``core.tasks``)."""

from __future__ import annotations

from forum_ouvert.core.tasks import task

from .services.amendments import decision_send
from .services.coauthors import invitation_send
from .services.responses import response_notify


@task("cocreation.send_coauthor_invitation")
def send_coauthor_invitation(invitation_id: int) -> bool:
    """Invite someone by e-mail to co-write a proposal (once)."""
    return invitation_send(invitation_id=invitation_id)


@task("cocreation.send_amendment_decision")
def send_amendment_decision(amendment_id: int) -> bool:
    """Tell the amender whether the authors accepted their amendment (once)."""
    return decision_send(amendment_id=amendment_id)


@task("cocreation.notify_response")
def notify_response(response_id: int, revision: int) -> int:
    """E-mail the authors, co-authors and amenders about the response to a proposal
    (each person once per revision)."""
    return response_notify(response_id=response_id, revision=revision)
