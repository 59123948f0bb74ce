"""Keep the session's second-factor flag in step with the account (see middleware)."""

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import remember_second_factor


@receiver(user_logged_in, dispatch_uid="fo-mfa-at-login")
def _at_login(sender, request, user, **kwargs):
    if request is not None:
        remember_second_factor(request, user)


@receiver(authenticator_added, dispatch_uid="fo-mfa-added")
@receiver(authenticator_removed, dispatch_uid="fo-mfa-removed")
def _authenticator_changed(sender, request, user, **kwargs):
    if request is not None:
        remember_second_factor(request, user)
