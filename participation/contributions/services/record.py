"""The participant's personal data: attestations issued to them, and erasure (RGPD)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.extensions import VerifiedParticipation
from forum_ouvert.core.models import MailDelivery, User
from forum_ouvert.core.oidc.services import franceconnect_verification

from ..models import (
    RESPONSE_MAIL,
    Attestation,
    Comment,
    Contribution,
    PublicationStatus,
    Report,
    Support,
    new_attestation_code,
)
from .contributions import refresh_comment_count


def _as_row(item: VerifiedParticipation) -> dict:
    return {
        "kind": str(item.kind),
        "title": str(item.title),
        "date": item.date.isoformat() if item.date else "",
        "hours": float(item.hours) if item.hours is not None else None,
        "place": str(item.place or ""),
    }


@transaction.atomic
def attestation_issue(
    *, user: User, holder_name: str, participations: list[VerifiedParticipation]
) -> Attestation:
    """Freeze the participant's verified participations into an attestation with a code.

    Asking again with nothing new gives back the latest attestation instead of a new one.
    """
    holder_name = " ".join((holder_name or "").split())
    if not holder_name:
        raise ValidationError({"holder_name": _("Indiquez le nom à faire figurer.")})
    if not participations:
        raise ValidationError(_("Aucune participation vérifiée à attester pour l'instant."))
    rows = [_as_row(p) for p in sorted(participations, key=lambda p: (p.date, p.title))]
    hours = [row["hours"] for row in rows if row["hours"] is not None]
    total = Decimal(str(round(sum(hours), 1))) if hours else None
    verified = franceconnect_verification(user=user)
    verified_name = verified.name if verified else ""
    verified_on = verified.verified_on if verified else None
    latest = Attestation.objects.filter(user=user).first()
    if (
        latest
        and latest.holder_name == holder_name
        and latest.participations == rows
        and (latest.verified_name, latest.verified_on) == (verified_name, verified_on)
    ):
        return latest
    for _attempt in range(5):
        attestation = Attestation(
            user=user,
            holder_name=holder_name,
            participations=rows,
            total_hours=total,
            verified_name=verified_name,
            verified_on=verified_on,
            code=new_attestation_code(),
        )
        attestation.full_clean()
        try:
            with transaction.atomic():
                attestation.save()
            break
        except IntegrityError:  # a code collision: draw another one
            continue
    else:  # pragma: no cover (100 bits of randomness)
        raise ValidationError(_("Impossible de générer un code unique, réessayez."))
    audit_log(
        actor=user,
        action="contributions.attestation.issue",
        target=attestation,
        changes={"participations": [0, len(rows)]},
    )
    return attestation


@transaction.atomic
def forget_user(*, user: User) -> None:
    """Account deletion (RGPD): remove or anonymise this app's personal rows of ``user``.

    Called by ``forum_ouvert.portal.services.account_delete`` inside its transaction.
    Published contributions and comments stay, signed « Participant·e » once the account
    is anonymised; supports, reports, attestations and e-mail records are removed, and so
    is whatever was never published (pending or withdrawn-and-unanswered).
    """
    supported = list(Support.objects.filter(user=user).values_list("contribution_id", flat=True))
    Support.objects.filter(user=user).delete()
    Contribution.objects.filter(pk__in=supported, support_count__gt=0).update(
        support_count=F("support_count") - 1
    )
    Report.objects.filter(reporter=user).delete()
    MailDelivery.objects.filter(recipient=user, key__startswith=RESPONSE_MAIL).delete()
    Attestation.objects.filter(user=user).delete()
    pending_comments = Comment.objects.filter(author=user, status=PublicationStatus.PENDING)
    threads = set(pending_comments.values_list("contribution_id", flat=True))
    pending_comments.delete()
    for contribution_id in threads:
        refresh_comment_count(contribution_id)
    # Never published, never answered: nothing public depends on these.
    Contribution.objects.filter(
        author=user, status=PublicationStatus.PENDING, responded_at__isnull=True
    ).exclude(comments__isnull=False).delete()
