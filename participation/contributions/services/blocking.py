"""Blocking a person (issue 19, item 9), composed here: the block itself is the ground
floor's (``core.services.user_block``); this app puts the person's published content back
under review in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from forum_ouvert.core.models import User, UserBlock
from forum_ouvert.core.services import user_block, user_unblock

from ..models import PUBLICATION_STATES, Comment, Contribution, PublicationStatus
from .contributions import refresh_comment_count


@transaction.atomic
def person_block(*, actor: User, user: User, reason: str, until=None) -> tuple[UserBlock, int]:
    """Block ``user`` and send their published contributions and comments back to the
    moderation queue (each move audited). Returns the block and how many items moved."""
    block = user_block(actor=actor, user=user, reason=reason, until=until)
    moved = 0
    why = _("Auteur bloqué : %(reason)s") % {"reason": block.reason}
    for model, kind in ((Contribution, "contribution"), (Comment, "comment")):
        items = model.objects.select_for_update().filter(
            author=user, status=PublicationStatus.PUBLISHED
        )
        for item in items.order_by("pk"):
            PUBLICATION_STATES.move(
                item,
                PublicationStatus.PENDING,
                actor=actor,
                action=f"contributions.{kind}.review",
                reason=why,
            )
            if kind == "comment":
                refresh_comment_count(item.contribution_id)
            moved += 1
    return block, moved


def person_unblock(*, actor: User, user: User, reason: str) -> UserBlock:
    """Lift the block; the content sent to review stays there for staff to publish."""
    return user_unblock(actor=actor, user=user, reason=reason)
