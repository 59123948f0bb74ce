"""Who may do what in a co-creation (django-rules predicates); phases come from the model."""

from __future__ import annotations

import rules

from engagements.models import PlanStatus
from forum_ouvert.core.rules import is_active_user, is_staff_or_admin
from participation.forum.models import Member

from .models import RETAINED_FATES, Amendment, Process, Proposal


@rules.predicate
def calendar_is_public(user, process: Process | None) -> bool:
    """The calendar of the co-creation has been published."""
    return process is not None and process.is_published


@rules.predicate
def drafts_accepted(user, process: Process | None) -> bool:
    """The calendar is public and the proposals phase has not ended."""
    return process is not None and process.accepts_drafts()


@rules.predicate
def is_proposal_author(user, proposal: Proposal | None) -> bool:
    """The person wrote this proposal."""
    return proposal is not None and user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def is_proposal_writer(user, proposal: Proposal | None) -> bool:
    """The person wrote this proposal or accepted to co-write it."""
    return proposal is not None and proposal.is_written_by(user)


@rules.predicate
def is_submitted(user, proposal: Proposal | None) -> bool:
    return proposal is not None and not proposal.is_draft


@rules.predicate
def is_draft(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.is_draft


@rules.predicate
def in_proposals_phase(user, proposal: Proposal | None) -> bool:
    """Its process is in the proposals phase (submitting and new versions)."""
    return proposal is not None and proposal.process.accepts_submissions()


@rules.predicate
def process_takes_drafts(user, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.process.accepts_drafts()


rules.add_perm("cocreation.view_process", calendar_is_public | is_staff_or_admin)
rules.add_perm("cocreation.manage_process", is_staff_or_admin)
rules.add_perm("cocreation.add_proposal", is_active_user & drafts_accepted)
#: A draft is private to its author and co-authors, admins included (ownership is not a
#: privilege).
rules.add_perm("cocreation.view_proposal", is_submitted | is_proposal_writer)
can_still_be_written = (is_draft & process_takes_drafts) | (is_submitted & in_proposals_phase)
rules.add_perm(
    "cocreation.change_proposal", is_active_user & is_proposal_writer & can_still_be_written
)
#: Only the author invites co-authors (and submits), while the text may still change.
rules.add_perm(
    "cocreation.invite_coauthor", is_active_user & is_proposal_author & can_still_be_written
)
rules.add_perm(
    "cocreation.submit_proposal",
    is_active_user & is_proposal_author & is_draft & in_proposals_phase,
)


@rules.predicate
def accepts_supports(user, proposal: Proposal | None) -> bool:
    """Its process is in a phase where the public takes part (proposals, deliberation)."""
    return proposal is not None and proposal.process.accepts_supports()


#: Anyone with an account supports someone else's submitted proposal, while the public
#: takes part (``services.supports``).
rules.add_perm(
    "cocreation.support_proposal",
    is_active_user & is_submitted & accepts_supports & ~is_proposal_writer,
)


@rules.predicate
def amendment_is_open(user, amendment: Amendment | None) -> bool:
    return amendment is not None and amendment.is_open


@rules.predicate
def writes_the_amended_proposal(user, amendment: Amendment | None) -> bool:
    return amendment is not None and amendment.proposal.is_written_by(user)


@rules.predicate
def amended_in_proposals_phase(user, amendment: Amendment | None) -> bool:
    return amendment is not None and amendment.proposal.process.accepts_submissions()


#: Anyone with an account amends someone else's submitted proposal, while it may change.
rules.add_perm(
    "cocreation.amend_proposal",
    is_active_user & is_submitted & in_proposals_phase & ~is_proposal_writer,
)
#: Its authors (author and co-authors) accept or decline, while the proposal may change.
rules.add_perm(
    "cocreation.decide_amendment",
    is_active_user & writes_the_amended_proposal & amendment_is_open & amended_in_proposals_phase,
)


@rules.predicate
def in_deliberation_phase(user, proposal: Proposal | None) -> bool:
    """Its process is in the deliberation phase of the Forum ouvert."""
    return proposal is not None and proposal.process.in_deliberation()


@rules.predicate
def is_forum_member(user) -> bool:
    """The person represents a member organisation of the Forum ouvert that has not left
    it: they made the application the member comes from."""
    return (
        user.is_authenticated
        and Member.objects.filter(application__applicant=user, left_on__isnull=True).exists()
    )


#: Each member of the forum gives (and may revise) its opinion on a submitted proposal,
#: during the deliberation phase.
rules.add_perm(
    "cocreation.give_opinion",
    is_active_user & is_submitted & in_deliberation_phase & is_forum_member,
)


@rules.predicate
def proposals_closed(user, proposal: Proposal | None) -> bool:
    """The proposals phase of its process is over: its text no longer changes."""
    return proposal is not None and proposal.process.proposals_closed()


@rules.predicate
def is_retained(user, proposal: Proposal | None) -> bool:
    """The government retained it (with or without changes) and it is not yet a commitment."""
    return proposal is not None and proposal.fate in RETAINED_FATES


@rules.predicate
def plan_in_co_construction(user, proposal: Proposal | None) -> bool:
    """Its plan is still being co-constructed (commitments may be added)."""
    return proposal is not None and proposal.process.plan.status == PlanStatus.CO_CONSTRUCTION


@rules.predicate
def not_promoted(user, proposal: Proposal | None) -> bool:
    """It has not become a commitment (its response is then final)."""
    return proposal is not None and proposal.commitment_id is None


#: DITP staff give (and correct) the government's reasoned response to a submitted
#: proposal, merging included, once the proposals phase is over.
rules.add_perm(
    "cocreation.respond_proposal",
    is_active_user & is_staff_or_admin & is_submitted & proposals_closed & not_promoted,
)
#: A retained proposal becomes a draft commitment of the plan being co-constructed.
rules.add_perm(
    "cocreation.promote_proposal",
    is_active_user & is_staff_or_admin & is_retained & plan_in_co_construction,
)
