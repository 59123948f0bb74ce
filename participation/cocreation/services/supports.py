"""Supports of the public (issue 16, item 5): anyone with an account supports a submitted
proposal of someone else while the public takes part (the proposals phase and the forum's
deliberation), once, and may withdraw it; the count is public, as for contributions.

Not audited, as the contributions' supports are not: a support is a public count, not an
act on the record. Its author gets a day's grouped notification (never one e-mail per
support), and supporters are told of the proposal's reasoned response.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum_ouvert.core import supports
from forum_ouvert.core.access import require_may_write
from forum_ouvert.core.models import User

from ..models import Proposal


@transaction.atomic
def proposal_support_add(*, user: User, proposal: Proposal) -> bool:
    """Support ``proposal``; False when ``user`` already did (the unique constraint is
    the guard: two simultaneous clicks insert once)."""
    require_may_write(user)
    if proposal.is_draft:
        raise ValidationError(_("Seule une proposition déposée peut être soutenue."))
    if proposal.is_written_by(user):
        raise ValidationError(_("Vous ne pouvez pas soutenir votre propre proposition."))
    if not proposal.process.accepts_supports():
        raise ValidationError(
            _(
                "Les propositions se soutiennent pendant les phases de propositions et de "
                "délibération du Forum ouvert."
            )
        )
    return supports.give(
        user=user, target=proposal, supports=proposal.supports, author=proposal.author
    )


@transaction.atomic
def proposal_support_remove(*, user: User, proposal: Proposal) -> bool:
    """Withdraw one's support; False when there was none (the author's notification of
    that day counts one less)."""
    return supports.withdraw(
        user=user, target=proposal, supports=proposal.supports, author=proposal.author
    )
