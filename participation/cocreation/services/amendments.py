"""Amendments: a participant proposes a rewrite of one section of someone else's proposal,
with a reason; the proposal's authors accept it (a new version, credited to the amender)
or decline it with a reason shown publicly. The amender is told the decision by e-mail.

Accepting takes the amendment's text for its section as it stands, even when the section
changed since the amendment was written (the decision page shows the current text beside
it): the authors decide knowingly, nothing is merged silently.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum_ouvert.core import access
from forum_ouvert.core.accounts import verified_email
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.mail import mail_send, speaking_to
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue

from ..models import (
    AMENDABLE_SECTIONS,
    AMENDMENT_STATES,
    SECTION_MAX,
    TITLE_MAX,
    Amendment,
    AmendmentStatus,
    Proposal,
)
from .proposals import write_version


@transaction.atomic
def amendment_propose(
    *, actor: User, proposal: Proposal, section: str, text: str, reason: str
) -> Amendment:
    """Propose ``text`` for ``section`` of ``proposal``, with ``reason``."""
    access.require_may_write(actor)
    current = (
        Proposal.objects.select_for_update()
        .select_related("process__plan", "author")
        .get(pk=proposal.pk)
    )
    access.require(actor, "cocreation.amend_proposal", current)
    text, reason = (text or "").strip(), (reason or "").strip()
    errors = {}
    if section not in AMENDABLE_SECTIONS:
        errors["section"] = _("Choisissez la section à amender.")
    limit = TITLE_MAX if section == "title" else SECTION_MAX
    if not text:
        errors["text"] = _("Écrivez le texte que vous proposez pour cette section.")
    elif len(text) > limit:
        errors["text"] = _("Au plus %(n)d caractères.") % {"n": limit}
    elif section == "title" and ("\n" in text or "\r" in text):
        errors["text"] = _("Le titre tient sur une ligne.")
    elif section in AMENDABLE_SECTIONS and text == (getattr(current, section) or "").strip():
        errors["text"] = _("Ce texte est déjà celui de la proposition.")
    if not reason:
        errors["reason"] = _("Dites pourquoi vous proposez ce changement.")
    elif len(reason) > SECTION_MAX:
        errors["reason"] = _("Au plus %(n)d caractères.") % {"n": SECTION_MAX}
    if errors:
        raise ValidationError(errors)
    amendment = Amendment.objects.create(
        proposal=current,
        section=section,
        base_version=current.version_count,
        text=text,
        reason=reason,
        author=actor,
    )
    audit_log(
        actor=actor,
        action="cocreation.amendment.propose",
        target=current,
        changes={"amendment": amendment.pk, "section": section},
    )
    return amendment


def _locked(amendment: Amendment) -> Amendment:
    return (
        Amendment.objects.select_for_update()
        .select_related("proposal__process__plan", "proposal__author", "author")
        .get(pk=amendment.pk)
    )


@transaction.atomic
def amendment_accept(*, actor: User, amendment: Amendment, reason: str = "") -> Amendment:
    """Take the amendment in: the proposal's next version, credited to the amender."""
    current = _locked(amendment)
    AMENDMENT_STATES.check(current.status, AmendmentStatus.ACCEPTED)
    access.require(actor, "cocreation.decide_amendment", current)
    proposal = Proposal.objects.select_for_update().get(pk=current.proposal_id)
    setattr(proposal, current.section, current.text)
    proposal.full_clean()
    now = timezone.now()
    version = write_version(proposal, current.author, now, amendment=current)
    proposal.revision += 1
    proposal.save()
    current.decided_by, current.decided_at = actor, now
    current.decision_reason = (reason or "").strip()
    current.result_version = version.number
    AMENDMENT_STATES.move(
        current,
        AmendmentStatus.ACCEPTED,
        actor=actor,
        reason=current.decision_reason,
        changes={"version": version.number},
        update_fields=["decided_by", "decided_at", "decision_reason", "result_version"],
    )
    enqueue("cocreation.send_amendment_decision", current.pk)
    return current


@transaction.atomic
def amendment_decline(*, actor: User, amendment: Amendment, reason: str) -> Amendment:
    """Decline the amendment with a reason, shown publicly under it."""
    current = _locked(amendment)
    AMENDMENT_STATES.check(current.status, AmendmentStatus.DECLINED)
    access.require(actor, "cocreation.decide_amendment", current)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "decision_reason": _(
                    "Dites pourquoi l'amendement n'est pas retenu : ce motif est public."
                )
            }
        )
    if len(reason) > SECTION_MAX:
        raise ValidationError(
            {"decision_reason": _("Au plus %(n)d caractères.") % {"n": SECTION_MAX}}
        )
    current.decided_by, current.decided_at, current.decision_reason = actor, timezone.now(), reason
    AMENDMENT_STATES.move(
        current,
        AmendmentStatus.DECLINED,
        actor=actor,
        reason=reason,
        update_fields=["decided_by", "decided_at", "decision_reason"],
    )
    enqueue("cocreation.send_amendment_decision", current.pk)
    return current


def decision_send(*, amendment_id: int) -> bool:
    """Tell the amender the decision (once per amendment), at their confirmed address."""
    amendment = (
        Amendment.objects.select_related("proposal__process__plan", "author", "decided_by")
        .filter(pk=amendment_id)
        .exclude(status=AmendmentStatus.PROPOSED)
        .first()
    )
    if amendment is None:
        return False
    address = verified_email(amendment.author)
    if address is None:
        return False
    with speaking_to(amendment.author):
        return mail_send(
            template="cocreation/emails/amendment_decision",
            context={"amendment": amendment, "proposal": amendment.proposal},
            to=[address],
            once=f"cocreation.amendment_decision:{amendment.pk}",
            recipient=amendment.author,
        )
