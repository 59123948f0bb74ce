"""allauth adapters: French e-mails, new accounts are citizens, the State's logins audited."""

import logging
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from .audit import audit_log
from .choices import Role
from .i18n import chosen_language, used_language
from .services import user_set_language

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Where a login without ``?next=`` lands: the role's own start page when the site
        names one (``LOGIN_REDIRECT_BY_ROLE``: a lead goes straight to « Mes engagements »),
        else ``LOGIN_REDIRECT_URL``."""
        target = settings.LOGIN_REDIRECT_BY_ROLE.get(getattr(request.user, "role", None))
        return resolve_url(target) if target else super().get_login_redirect_url(request)

    def get_logout_redirect_url(self, request):
        """After a ProConnect or FranceConnect login, logging out also ends the provider's
        session (RP-initiated logout), which then sends the person to the home page."""
        from .oidc.base import end_session_url

        return end_session_url(request) or super().get_logout_redirect_url(request)

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with its TOTP stage replaced by ours: a ProConnect login that
        used a second factor is not asked for the local code again (oidc/stages.py)."""
        return [
            "forum_ouvert.core.oidc.stages.AuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def post_login(self, request, user, **kwargs):
        """After a ProConnect or FranceConnect login (at once or after a login stage), the
        session remembers its second factor and the id_token that ends the provider's
        session at logout."""
        response = super().post_login(request, user, **kwargs)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None:
            from .oidc.base import remember_provider_login

            remember_provider_login(request, sociallogin)
        return response

    def new_user(self, request):
        """A new account is a citizen's, its e-mails in the language the person uses."""
        user = super().new_user(request)
        user.role = Role.CITIZEN
        user.preferred_language = used_language(request)
        return user

    def login(self, request, user):
        """Someone who chose a language in the selector before logging in gets their
        e-mails in it (nothing is written when it is already theirs, or not chosen: a new
        browser does not undo a choice made in « Mon compte »)."""
        super().login(request, user)
        chosen = chosen_language(request)
        if chosen and chosen != user.preferred_language:
            user_set_language(user=user, language=chosen)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """ProConnect and FranceConnect (core/oidc). Roles never come from claims: an account
    created here is a citizen's, whatever the provider says (an admin grants the rest)."""

    def generate_state_param(self, state: dict) -> str:
        # ProConnect asks for at least 32 random characters (allauth's default has 16).
        return secrets.token_urlsafe(32)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """The refused login is recorded (who could not log in is unknown: no actor) and
        the error page is told what to say."""
        from .oidc.base import error_message

        code = getattr(exception, "code", None) or str(error or "unknown")
        logger.warning("Connexion %s refusée : %s", getattr(provider, "id", "?"), code)
        with transaction.atomic():
            audit_log(
                actor=None,
                action="core.sso.refuse",
                changes={"fournisseur": getattr(provider, "id", ""), "motif": code},
            )
        if extra_context is not None:
            extra_context["oidc_message"] = error_message(code)
            extra_context["oidc_provider_name"] = getattr(provider, "name", "")

    def get_connect_redirect_url(self, request, socialaccount) -> str:
        return resolve_url("portal:account")

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The display name starts as the provider's (editable in « Mon compte »).
        user.display_name = (data.get("name") or "")[:150]
        user.role = Role.CITIZEN
        user.preferred_language = used_language(request)
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        audit_log(
            actor=user,
            action="core.sso.signup",
            target=user,
            changes={"fournisseur": sociallogin.account.provider},
        )
        return user

    def pre_social_login(self, request, sociallogin) -> None:
        """A new identity joins an existing account: by the matching e-mail the provider
        vouches for (the person is told), or from « Mon compte » (process ``connect``)."""
        if sociallogin.account.pk:  # an identity already linked: a plain login
            return
        provider = sociallogin.account.provider
        name = sociallogin.provider.name
        if sociallogin.state.get("process") == "connect" and request.user.is_authenticated:
            audit_log(
                actor=request.user,
                action="core.sso.link",
                target=request.user,
                changes={"fournisseur": provider, "par": "mon_compte"},
            )
        elif sociallogin.user is not None and sociallogin.user.pk:
            audit_log(
                actor=sociallogin.user,
                action="core.sso.link",
                target=sociallogin.user,
                changes={"fournisseur": provider, "par": "adresse_email"},
            )
            messages.info(
                request,
                _(
                    "Votre identité %(provider)s a été reliée à votre compte existant, "
                    "qui porte la même adresse e-mail. Vous la retrouvez dans « Mon compte »."
                )
                % {"provider": name},
            )
