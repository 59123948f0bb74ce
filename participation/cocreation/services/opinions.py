"""Opinions of the Forum ouvert: during the deliberation phase, each member organisation
gives its opinion on a submitted proposal (favorable, réservé, défavorable) with an
argument, and may revise it until the phase ends.

A revision changes the opinion in place (one per proposal and member: the public page
shows where each member stands now); its audit row keeps the old and the new verdict and
argument, so that what a member said before is not lost.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum_ouvert.core import access
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import User
from participation.forum.models import Member

from ..models import SECTION_MAX, Opinion, Proposal, Verdict


def _member_for(actor: User, member: Member | None) -> Member:
    """The member organisation ``actor`` speaks for: the one given, or their only one."""
    members = list(
        Member.objects.filter(application__applicant=actor, left_on__isnull=True).select_related(
            "college"
        )
    )
    if member is None:
        if len(members) == 1:
            return members[0]
        raise ValidationError(
            {"member": _("Choisissez l'organisation au nom de laquelle vous donnez l'avis.")}
        )
    found = next((m for m in members if m.pk == member.pk), None)
    if found is None:
        # Not a member this person represents (any more): the act is not theirs to do.
        raise PermissionDenied
    return found


@transaction.atomic
def opinion_give(
    *,
    actor: User,
    proposal: Proposal,
    verdict: str,
    argument: str,
    member: Member | None = None,
) -> Opinion:
    """Give the opinion of ``member`` (the actor's own member organisation when they
    represent only one) on ``proposal``, or revise the one it gave."""
    access.require_may_write(actor)
    current = (
        Proposal.objects.select_for_update()
        .select_related("process__plan", "author")
        .get(pk=proposal.pk)
    )
    access.require(actor, "cocreation.give_opinion", current)
    member = _member_for(actor, member)
    argument = (argument or "").strip()
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choisissez un avis : favorable, réservé ou défavorable.")
    if not argument:
        errors["argument"] = _("Argumentez l'avis : l'argument est public, avec l'avis.")
    elif len(argument) > SECTION_MAX:
        errors["argument"] = _("Au plus %(n)d caractères.") % {"n": SECTION_MAX}
    if errors:
        raise ValidationError(errors)
    opinion = Opinion.objects.select_for_update().filter(proposal=current, member=member).first()
    if opinion is None:
        opinion = Opinion(proposal=current, member=member, author=actor)
        old = None
    else:
        if opinion.verdict == verdict and opinion.argument == argument:
            raise ValidationError(
                _("Cet avis est déjà celui de %(member)s : rien n'a changé.")
                % {"member": member.organisation_name}
            )
        old = (opinion.verdict, opinion.argument)
        opinion.author = actor
    opinion.verdict, opinion.argument = verdict, argument
    opinion.full_clean()
    opinion.save()
    if old is None:
        audit_log(
            actor=actor,
            action="cocreation.opinion.give",
            target=current,
            changes={"opinion": opinion.pk, "member": member.pk, "verdict": [None, verdict]},
        )
    else:
        audit_log(
            actor=actor,
            action="cocreation.opinion.revise",
            target=current,
            changes={
                "opinion": opinion.pk,
                "member": member.pk,
                "verdict": [old[0], verdict],
                "argument": [old[1], argument],
            },
        )
    return opinion
