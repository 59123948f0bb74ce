"""Background work of the engagements app (queued by name: see ``core.tasks``)."""

from __future__ import annotations

from forum_ouvert.core.tasks import task

from . import notifications


@task("engagements.notify_followers")
def notify_followers(entry_ids: list[int]) -> int:
    """E-mail the followers of a commitment about one batch of changes (sent once)."""
    return notifications.send_follower_notices(entry_ids=entry_ids)
