"""Top-floor services: acts that span several apps."""

from __future__ import annotations

from django.db import transaction

from engagements.models import Follow
from forum_ouvert.core.models import User
from forum_ouvert.core.services import user_anonymise


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Delete a person's account (RGPD): each app removes or anonymises its personal rows,
    then the account itself is anonymised. What they published stays, signed « Participant·e »."""
    Follow.objects.filter(user=user).delete()
    return user_anonymise(user=user)
