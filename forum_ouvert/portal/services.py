"""Top-floor services: acts that span several apps."""

from __future__ import annotations

from django.db import transaction

from engagements.models import Follow
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue
from forum_ouvert.core.services import user_anonymise
from participation.contributions import services as contributions_services
from participation.forum import services as forum_services
from participation.workshops import services as workshops_services


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Delete a person's account (RGPD): each app removes or anonymises its personal rows,
    then the account itself is anonymised. What they published stays, signed « Participant·e »."""
    address, language = user.email, user.preferred_language
    Follow.objects.filter(user=user).delete()
    for app_services in (forum_services, workshops_services, contributions_services):
        app_services.forget_user(user=user)
    user = user_anonymise(user=user)
    enqueue("core.send_account_deleted", address, language)  # after the commit, retried
    return user
