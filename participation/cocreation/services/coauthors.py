"""Co-authors of a proposal: the author invites by e-mail, the invited person accepts.

The author types an address; the service records the invitation and queues the e-mail
(``cocreation.send_coauthor_invitation``), which carries a signed link. Whoever holds the
link and is logged in accepts it and becomes a co-author: they edit the proposal (each of
their versions credited to them) and are named on its page. The link proves access to
the mailbox, as a password-reset link does; it expires after ``INVITATION_VALIDITY`` and
serves once. Nothing secret is stored: the link is signed with the site's key.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum_ouvert.core import access
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.links import absolute_url
from forum_ouvert.core.mail import language_of, mail_send, speaking_to
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue

from ..models import COAUTHORS_MAX, INVITATION_VALIDITY, CoAuthorInvitation, Proposal

_SALT = "cocreation.coauthor-invitation"


def invitation_token(invitation: CoAuthorInvitation) -> str:
    """The signed part of the invitation's link (its id and address, signed)."""
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=_SALT, compress=True)


def invitation_link(invitation: CoAuthorInvitation) -> str:
    return absolute_url(
        reverse("cocreation:coauthor_accept", kwargs={"token": invitation_token(invitation)})
    )


def invitation_from_token(token: str) -> CoAuthorInvitation | None:
    """The invitation a link names, if its signature holds and it has not expired; None
    otherwise (a forged, altered or old link looks like a missing one)."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=INVITATION_VALIDITY)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    return (
        CoAuthorInvitation.objects.select_related("proposal__process__plan", "proposal__author")
        .filter(pk=data["i"], email=data.get("e"))
        .first()
    )


@transaction.atomic
def coauthor_invite(*, actor: User, proposal: Proposal, email: str) -> CoAuthorInvitation:
    """Invite ``email`` to co-write ``proposal`` (its author only, while it may change)."""
    access.require_may_write(actor)
    current = (
        Proposal.objects.select_for_update().select_related("process", "author").get(pk=proposal.pk)
    )
    access.require(actor, "cocreation.invite_coauthor", current)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Saisissez une adresse électronique valide.")}) from exc
    if email == (current.author.email or "").lower():
        raise ValidationError({"email": _("C'est votre propre adresse.")})
    if current.coauthor_invitations.count() >= COAUTHORS_MAX:
        raise ValidationError(
            {"email": _("Une proposition compte au plus %(n)d invitations.") % {"n": COAUTHORS_MAX}}
        )
    try:
        with transaction.atomic():
            invitation = CoAuthorInvitation.objects.create(
                proposal=current, email=email, invited_by=actor
            )
    except IntegrityError as exc:
        raise ValidationError({"email": _("Cette adresse a déjà été invitée.")}) from exc
    audit_log(
        actor=actor,
        action="cocreation.coauthor.invite",
        target=current,
        changes={"invitation": invitation.pk},
    )
    enqueue("cocreation.send_coauthor_invitation", invitation.pk)
    return invitation


def invitation_send(*, invitation_id: int) -> bool:
    """The invitation e-mail, once (the task's body)."""
    invitation = (
        CoAuthorInvitation.objects.select_related("proposal__process__plan", "invited_by")
        .filter(pk=invitation_id, accepted_by__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    # In the language of the account that holds the address, if one does (else French).
    invitee = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    with speaking_to(invitee):
        return mail_send(
            template="cocreation/emails/coauthor_invitation",
            context={
                "invitation": invitation,
                "proposal": invitation.proposal,
                "inviter": invitation.invited_by.public_name,
                "link": invitation_link(invitation),
                "expires": timezone.localtime(invitation.expires_at()).date(),
            },
            to=[invitation.email],
            once=f"cocreation.coauthor_invitation:{invitation.pk}",
            language=language_of(invitee),
        )


@transaction.atomic
def coauthor_accept(*, actor: User, invitation: CoAuthorInvitation) -> Proposal:
    """``actor`` accepts the invitation: they co-write the proposal from now on."""
    access.require_may_write(actor)
    current = (
        CoAuthorInvitation.objects.select_for_update()
        .select_related("proposal__process__plan", "proposal__author")
        .get(pk=invitation.pk)
    )
    if not actor.is_authenticated or not actor.is_active:
        raise ValidationError(_("Connectez-vous pour accepter l'invitation."), code="login")
    if current.is_accepted:
        if current.accepted_by_id == actor.pk:
            return current.proposal
        raise ValidationError(_("Cette invitation a déjà été acceptée."), code="used")
    proposal = current.proposal
    if actor.pk == proposal.author_id:
        raise ValidationError(_("Vous êtes l'auteur de cette proposition."), code="author")
    if actor.pk in proposal.coauthor_ids:
        raise ValidationError(_("Vous co-écrivez déjà cette proposition."), code="already")
    current.accepted_by = actor
    current.accepted_at = timezone.now()
    current.save(update_fields=["accepted_by", "accepted_at"])
    audit_log(
        actor=actor,
        action="cocreation.coauthor.accept",
        target=proposal,
        changes={"invitation": current.pk},
    )
    return proposal
