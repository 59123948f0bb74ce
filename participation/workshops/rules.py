"""Who may do what with workshops, registrations and the Tour de France (django-rules)."""

import rules

from forum_ouvert.core.rules import is_active_user, is_staff_or_admin

from .models import PUBLIC_STATUSES


@rules.predicate
def workshop_is_public(user, workshop) -> bool:
    """A published (or full, cancelled, finished) workshop: anyone may read it."""
    return workshop is not None and workshop.status in PUBLIC_STATUSES


@rules.predicate
def is_registrant(user, registration) -> bool:
    """The person the registration belongs to."""
    return registration is not None and registration.user_id == user.pk


@rules.predicate
def outcome_is_published(user, outcome) -> bool:
    """A compte rendu that staff published (of a public workshop)."""
    return (
        outcome is not None
        and outcome.published_at is not None
        and outcome.workshop.status in PUBLIC_STATUSES
    )


#: DITP staff and admins run the workshops and the Tour de France.
can_manage = is_staff_or_admin

rules.add_perm("workshops.view_workshop", workshop_is_public | can_manage)
rules.add_perm("workshops.register", is_active_user & workshop_is_public)
rules.add_perm("workshops.cancel_registration", is_active_user & is_registrant)
rules.add_perm("workshops.view_outcome_document", outcome_is_published | can_manage)
rules.add_perm("workshops.manage_workshops", can_manage)
rules.add_perm("workshops.manage_tour", can_manage)
