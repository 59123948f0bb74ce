"""Who may do what on the plan (django-rules predicates, checked with the object in hand)."""

import rules

from forum_ouvert.core.access import abilities
from forum_ouvert.core.rules import is_active_user, is_lead, is_staff_or_admin


@rules.predicate
def leads_this_commitment(user, commitment) -> bool:
    """The account is one of this commitment's leads (pilotes)."""
    if commitment is None or not getattr(user, "is_authenticated", False):
        return False
    lead_ids = getattr(commitment, "_lead_ids", None)
    if lead_ids is None:
        lead_ids = commitment._lead_ids = set(commitment.leads.values_list("id", flat=True))
    return user.pk in lead_ids


#: Status, progress, milestones and evidence: the commitment's own leads, and DITP staff.
can_update = is_staff_or_admin | (is_lead & leads_this_commitment)

rules.add_perm("engagements.access_back_office", is_staff_or_admin | is_lead)
rules.add_perm("engagements.update_commitment", can_update)
rules.add_perm("engagements.view_internal_evidence", can_update)
rules.add_perm("engagements.edit_commitment_texts", is_staff_or_admin)
rules.add_perm("engagements.assign_leads", is_staff_or_admin)
rules.add_perm("engagements.manage_plans", is_staff_or_admin)
rules.add_perm("engagements.follow_commitment", is_active_user)


def commitment_abilities(user, commitment) -> dict[str, bool]:
    """What ``user`` may do on ``commitment``: read by templates and views alike."""
    return abilities(
        user,
        commitment,
        update="engagements.update_commitment",
        edit_texts="engagements.edit_commitment_texts",
        assign_leads="engagements.assign_leads",
        follow="engagements.follow_commitment",
    )


@rules.predicate
def is_public_evidence(user, evidence) -> bool:
    return evidence is not None and evidence.is_public


@rules.predicate
def may_update_evidence_commitment(user, evidence) -> bool:
    return evidence is not None and can_update.test(user, evidence.commitment)


rules.add_perm("engagements.download_evidence", is_public_evidence | may_update_evidence_commitment)
#: The evidence back-office (edit, withdraw, replace): its commitment's leads and DITP staff.
rules.add_perm("engagements.manage_evidence", may_update_evidence_commitment)
