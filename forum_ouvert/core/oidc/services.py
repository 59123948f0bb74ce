"""The identities (ProConnect, FranceConnect) linked to an account: read and removed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_log
from ..models import User


def identity_list(*, user: User) -> QuerySet[SocialAccount]:
    """The person's linked identities, oldest first."""
    return SocialAccount.objects.filter(user=user).order_by("date_joined", "pk")


@dataclass(frozen=True)
class VerifiedIdentity:
    """« Identité vérifiée par FranceConnect »: the name FranceConnect gave and the day of
    the person's last FranceConnect login. Nothing more is kept for it (no birth date)."""

    name: str
    verified_on: dt.date


def franceconnect_verification(*, user: User) -> VerifiedIdentity | None:
    """The identity FranceConnect verified for ``user``, or None (no FranceConnect login,
    or one that gave no name)."""
    identity = (
        SocialAccount.objects.filter(user=user, provider="franceconnect")
        .order_by("-last_login", "-pk")
        .first()
    )
    if identity is None:
        return None
    data = identity.extra_data or {}
    name = " ".join(
        " ".join(p.split()) for p in (data.get("given_name"), data.get("family_name")) if p
    )
    if not name:
        return None
    when = identity.last_login or identity.date_joined
    return VerifiedIdentity(name=name[:120], verified_on=timezone.localdate(when))


def provider_name(provider_id: str) -> str:
    """« ProConnect », « FranceConnect »: read from the provider's class, so that an
    identity still shows its name when its provider is no longer configured."""
    from allauth.socialaccount.providers import registry

    cls = registry.get_class(provider_id)
    return cls.name if cls else provider_id


@transaction.atomic
def identity_remove(*, user: User, identity: SocialAccount) -> None:
    """Unlink ``identity`` from ``user``; refused when it is their last way to log in
    (no password and no other identity). Audited."""
    identity = SocialAccount.objects.select_for_update().get(pk=identity.pk, user=user)
    others = SocialAccount.objects.filter(user=user).exclude(pk=identity.pk).exists()
    if not user.has_usable_password() and not others:
        raise ValidationError(
            _(
                "C'est votre seul moyen de vous connecter : choisissez d'abord un mot de "
                "passe, puis retirez cette identité."
            ),
            code="last_login_method",
        )
    audit_log(
        actor=user,
        action="core.sso.unlink",
        target=user,
        changes={"fournisseur": identity.provider},
    )
    identity.delete()
