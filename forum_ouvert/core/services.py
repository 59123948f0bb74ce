"""Ground-floor services: accounts and roles."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import terms
from .access import require_may_write
from .audit import audit_log
from .choices import Role
from .models import Notification, NotificationSetting, Subscription, User, UserBlock


@transaction.atomic
def user_set_role(*, actor: User | None, user: User, role: str, reason: str) -> User:
    """Give ``user`` a role; only admins get the Django admin (``is_staff`` and
    ``is_superuser`` follow the role). Audited with who, the old and new values, and why."""
    if role not in Role.values:
        raise ValueError(f"Rôle inconnu : {role}")
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif du changement de rôle.")})
    old = {"role": user.role, "is_staff": user.is_staff, "is_superuser": user.is_superuser}
    user.role = role
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.full_clean()
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    new = {"role": user.role, "is_staff": user.is_staff, "is_superuser": user.is_superuser}
    audit_log(
        actor=actor,
        action="core.user.set_role",
        target=user,
        changes={field: [old[field], new[field]] for field in old if old[field] != new[field]},
        reason=reason.strip(),
    )
    return user


@transaction.atomic
def user_block(*, actor: User, user: User, reason: str, until=None) -> UserBlock:
    """Block ``user`` (read only) until ``until`` or indefinitely. Audited with the reason.
    Apps that hold the person's content put it back under review in the same transaction
    (``contributions.services.person_block`` composes both)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du blocage.")})
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": _("La fin du blocage doit être dans le futur.")})
    if user.pk == actor.pk:
        raise ValidationError(_("Vous ne pouvez pas vous bloquer vous-même."))
    current = UserBlock.objects.select_for_update().filter(user=user, lifted_at__isnull=True)
    for stale in current:  # an expired block is closed before a new one
        if stale.is_active_on(timezone.now()):
            raise ValidationError(_("Cette personne est déjà bloquée."))
        stale.lifted_at = stale.until
        stale.save(update_fields=["lifted_at"])
    block = UserBlock(user=user, reason=reason, until=until, blocked_by=actor)
    block.full_clean()
    block.save()
    audit_log(
        actor=actor,
        action="core.user.block",
        target=user,
        changes={"blocked": [False, True], "until": until.isoformat() if until else None},
        reason=reason,
    )
    return block


@transaction.atomic
def user_unblock(*, actor: User, user: User, reason: str) -> UserBlock:
    """Lift the block of ``user``. Audited with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du déblocage.")})
    block = UserBlock.objects.select_for_update().filter(user=user, lifted_at__isnull=True).first()
    if block is None:
        raise ValidationError(_("Cette personne n'est pas bloquée."))
    block.lifted_at = timezone.now()
    block.lifted_by = actor
    block.lift_reason = reason
    block.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_log(
        actor=actor,
        action="core.user.unblock",
        target=user,
        changes={"blocked": [True, False]},
        reason=reason,
    )
    return block


@transaction.atomic
def user_set_public_profile(*, user: User, public: bool) -> User:
    """Open or close ``user``'s public page (issue 19, item 4), at their own request.

    The page shows their name: it opens only if their name is shown publicly. Audited
    (old and new value); ``public_profile_at`` keeps when the consent was given. Saying
    the same thing twice writes nothing. A blocked person may close their page, not open it."""
    if public == user.public_profile:
        return user
    if public:
        require_may_write(user)
    if public and not (user.public_display_consent and user.display_name):
        raise ValidationError(
            {
                "public_profile": _(
                    "Votre page publique montre votre nom : indiquez d'abord un nom affiché "
                    "et cochez « afficher mon nom publiquement » dans « Mon profil »."
                )
            }
        )
    user.public_profile = public
    user.public_profile_at = timezone.now() if public else None
    user.save(update_fields=["public_profile", "public_profile_at"])
    audit_log(
        actor=user,
        action="core.user.public_profile",
        target=user,
        changes={"public_profile": [not public, public]},
    )
    return user


@transaction.atomic
def user_anonymise(*, user: User) -> User:
    """Erase a person's personal data and close the account; the row stays as a tombstone.

    What they published stays, signed « Participant·e ». Other apps remove their own
    personal rows first (see ``forum_ouvert.portal.services.account_delete``).
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    EmailAddress.objects.filter(user=user).delete()
    # ProConnect / FranceConnect identities: the pseudonymous sub and the kept claims.
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # What they followed, their notifications and how they wanted them.
    Notification.objects.filter(recipient=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
    Subscription.objects.filter(user=user).delete()
    user.email = f"supprime-{user.pk}-{secrets.token_hex(6)}@anonyme.invalid"
    user.display_name = ""
    user.public_display_consent = False
    user.public_profile = False
    user.public_profile_at = None
    user.departement = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.anonymised_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # End every open session of this account.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    audit_log(actor=user, action="core.user.anonymise", target=user, reason="Suppression du compte")
    return user


@transaction.atomic
def terms_accept(*, user: User, version: str) -> User:
    """``user`` accepts the terms of use ``version``, which must be the one in force
    (``core.terms``): stored with the date on the account, audited with the old and new
    versions. A blocked person may accept too (they may read, and reading asks for it)."""
    if version != terms.current().id:
        raise ValidationError(
            _(
                "Cette version des conditions générales d'utilisation n'est plus en vigueur : "
                "lisez la version actuelle et acceptez-la."
            ),
            code="terms_outdated",
        )
    old = user.terms_version
    user.terms_version = version
    user.terms_accepted_at = timezone.now()
    user.save(update_fields=["terms_version", "terms_accepted_at"])
    audit_log(
        actor=user,
        action="core.user.accept_terms",
        target=user,
        changes={"terms_version": [old, version]},
    )
    return user


def user_set_language(*, user: User, language: str) -> User:
    """``user``'s e-mails will be written in ``language`` (a code of ``settings.LANGUAGES``;
    issue 18, item 6): chosen in « Mon compte », or taken from the language they use on the
    site. Saying the same thing again writes nothing (the selector calls this on every
    switch). Like the rest of the profile, not audited: it grants nothing and shows nothing."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"preferred_language": _("Choisissez le français ou l'anglais.")}, code="invalid"
        )
    if language == user.preferred_language:
        return user
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user
