"""E-mails to the people who follow a commitment."""

from __future__ import annotations

from forum_ouvert.core import notifications
from forum_ouvert.core.links import absolute_url
from forum_ouvert.core.mail import mail_send, speaking_to

from .models import Follow, JournalEntry


def send_follower_notices(*, entry_ids: list[int]) -> int:
    """Send one e-mail per follower for these entries (one batch of one commitment).

    Idempotent: each e-mail is sent once per (first entry, follower) through
    ``core.mail.mail_send(once=…)``; a second run finds the ``MailDelivery`` row and sends
    nothing.
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
    sent = 0
    for follow in followers:
        if not notifications.wants_email(follow.user, notifications.Kind.FOLLOWED):
            continue  # the digest or the site only, by the person's choice
        if _send(follow, commitment, entries):
            sent += 1
    return sent


def _send(follow: Follow, commitment, entries: list[JournalEntry]) -> bool:
    """One follower's e-mail, in their language (its links too)."""
    first = entries[0]
    with speaking_to(follow.user):
        url = f"{absolute_url(commitment)}#entree-{first.pk}"
        unfollow = notifications.unsubscribe_url(follow.user, follow=commitment)
        return mail_send(
            template="engagements/emails/follower_notice",
            context={
                "commitment": commitment,
                "entries": entries,
                "url": url,
                "user": follow.user,
                "unsubscribe_url": unfollow,
            },
            headers=notifications.unsubscribe_headers(unfollow),
            to=[follow.user.email],
            once=follower_notice_key(entry_id=first.pk, user_id=follow.user_id),
            recipient=follow.user,
        )


def unfollow(user, commitment_id: int) -> None:
    """The e-mail's one-click link: stop following the commitment (``core.notifications``)."""
    Follow.objects.filter(user=user, commitment_id=commitment_id).delete()


def follower_notice_key(*, entry_id: int, user_id: int) -> str:
    """The ``MailDelivery`` key of the e-mail about the batch opened by ``entry_id``."""
    return f"engagements.follower_notice:{entry_id}:{user_id}"
