"""Background work of the engagements app."""

from __future__ import annotations

from celery import shared_task

from . import notifications


@shared_task(
    name="engagements.notify_followers",
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=30,
    max_retries=5,
)
def notify_followers(entry_ids: list[int]) -> int:
    """E-mail the followers of a commitment about one batch of changes (sent once)."""
    return notifications.send_follower_notices(entry_ids=entry_ids)
