"""Background work of this app: thin, idempotent tasks that take ids and call a service
(queued by name, retried by the one policy of ``core.tasks``)."""

from __future__ import annotations

from forum_ouvert.core.tasks import task

from . import services


@task("contributions.notify_response")
def notify_response(response_id: int, revision: int) -> int:
    """E-mail the author and supporters about a reasoned response (each person once)."""
    return services.response_notify(response_id=response_id, revision=revision)


@task("contributions.notify_statement")
def notify_statement(statement_id: int, event: str) -> bool:
    """E-mail an author about their statement of reasons (issued, answered), once."""
    return services.statement_mail(statement_id=statement_id, event=event)
