"""E-mails to the people who follow a commitment."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from forum_ouvert.core.links import absolute_url
from forum_ouvert.core.mail import mail_send

from .models import Follow, FollowerNotice, JournalEntry


def send_follower_notices(*, entry_ids: list[int]) -> int:
    """Send one e-mail per follower for these entries (one batch of one commitment).

    Idempotent: a ``FollowerNotice`` row per (follower, first entry) is written in the
    same transaction as the sending; a second run finds it and sends nothing.
    """
    entries = list(
        JournalEntry.objects.filter(pk__in=entry_ids)
        .select_related("commitment", "milestone")
        .order_by("id")
    )
    if not entries:
        return 0
    first = entries[0]
    commitment = first.commitment
    followers = (
        Follow.objects.filter(commitment=commitment, user__is_active=True)
        .exclude(user_id=first.actor_id)
        .select_related("user")
        .order_by("id")
    )
    url = f"{absolute_url(commitment)}#entree-{first.pk}"
    sent = 0
    for follow in followers:
        try:
            with transaction.atomic():
                FollowerNotice.objects.create(user=follow.user, entry=first)
                mail_send(
                    template="engagements/emails/follower_notice",
                    context={
                        "commitment": commitment,
                        "entries": entries,
                        "url": url,
                        "user": follow.user,
                    },
                    to=[follow.user.email],
                )
                sent += 1
        except IntegrityError:
            continue  # already told
    return sent
