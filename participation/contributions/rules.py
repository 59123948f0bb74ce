"""Who may do what with consultations and contributions (django-rules predicates)."""

from __future__ import annotations

import rules
from django.utils import timezone

from forum_ouvert.core.rules import is_active_user, is_staff_or_admin

from .models import (
    EDIT_WINDOW,
    Comment,
    Consultation,
    Contribution,
    PublicationStatus,
    allowed_acts,
)


@rules.predicate
def consultation_is_open(user, consultation: Consultation | None) -> bool:
    """The consultation is published and between its opening and closing dates."""
    return consultation is not None and consultation.is_open


@rules.predicate
def is_author(user, obj: Contribution | Comment | None) -> bool:
    """The person wrote this contribution or comment."""
    return obj is not None and user.is_authenticated and obj.author_id == user.pk


@rules.predicate
def is_not_author(user, obj: Contribution | None) -> bool:
    return obj is not None and user.is_authenticated and obj.author_id != user.pk


@rules.predicate
def still_editable(user, contribution: Contribution | None) -> bool:
    """Within 30 minutes of posting, nobody has supported it yet, and it is not withdrawn
    or hidden."""
    return (
        contribution is not None
        and contribution.status in (PublicationStatus.PENDING, PublicationStatus.PUBLISHED)
        and contribution.support_count == 0
        and timezone.now() < contribution.created_at + EDIT_WINDOW
    )


@rules.predicate
def can_be_withdrawn(user, contribution: Contribution | None) -> bool:
    """Pending or published (a hidden contribution stays as the moderators left it)."""
    return contribution is not None and "withdraw" in allowed_acts(contribution.status)


@rules.predicate
def is_published(user, obj: Contribution | None) -> bool:
    return obj is not None and obj.status == PublicationStatus.PUBLISHED


@rules.predicate
def is_visible_to(user, contribution: Contribution | None) -> bool:
    """Public unless awaiting moderation; then only its author and the moderators see it."""
    if contribution is None:
        return False
    if contribution.status != PublicationStatus.PENDING:
        return True
    return is_author(user, contribution) or is_staff_or_admin(user)


rules.add_perm("contributions.view_contribution", is_visible_to)
rules.add_perm("contributions.add_contribution", is_active_user & consultation_is_open)
rules.add_perm("contributions.change_contribution", is_active_user & is_author & still_editable)
rules.add_perm("contributions.withdraw_contribution", is_active_user & is_author & can_be_withdrawn)
rules.add_perm("contributions.support_contribution", is_active_user & is_not_author & is_published)
rules.add_perm("contributions.comment_contribution", is_active_user & is_published)
rules.add_perm("contributions.report", is_active_user)
rules.add_perm("contributions.follow_contribution", is_active_user & is_visible_to)
rules.add_perm("contributions.follow_consultation", is_active_user)
rules.add_perm("contributions.moderate", is_staff_or_admin)
rules.add_perm("contributions.respond", is_staff_or_admin)
rules.add_perm("contributions.manage_consultations", is_staff_or_admin)


@rules.predicate
def owns_attestation(user, attestation) -> bool:
    """The attestation was issued to this person."""
    return attestation is not None and user.is_authenticated and attestation.user_id == user.pk


rules.add_perm("contributions.view_attestation", is_active_user & owns_attestation)


@rules.predicate
def owns_statement(user, statement) -> bool:
    """The statement of reasons is about this person's content."""
    return statement is not None and user.is_authenticated and statement.author_id == user.pk


rules.add_perm("contributions.view_statement", is_active_user & owns_statement)
