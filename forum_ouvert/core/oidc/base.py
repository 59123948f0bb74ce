"""One allauth provider for the State's OpenID Connect logins; ProConnect and FranceConnect
only say what differs (scopes, algorithms, the claims they send).

The flow: the login view (a POST from the button) stashes a single-use ``state`` and a
``nonce`` (43 random characters each) in the session and sends the person to the provider;
the callback pops the state (a replayed or forged one finds nothing), exchanges the code,
and believes nothing that verify.py has not checked. Any failure renders the French error
page, writes an audit row and creates nothing.
"""

from __future__ import annotations

import secrets

from allauth.account.internal.decorators import login_not_required
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login, render_authentication_error
from allauth.socialaccount.internal import statekit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.base.views import BaseLoginView
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from allauth.utils import build_absolute_uri
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import verify
from .verify import OIDCError

#: Where the id_token that ends the provider's session at logout waits (never in the base).
LOGOUT_SESSION_KEY = "oidc_logout"
#: The social login's state key for what the callback checked (second factor, id_token).
LOGIN_STATE_KEY = "oidc"


class StateProviderAccount(ProviderAccount):
    def to_str(self) -> str:
        data = self.account.extra_data or {}
        return data.get("email") or super().to_str()


class StateProvider(OAuth2Provider):
    """An OpenID provider of the State, configured by ``SOCIALACCOUNT_PROVIDERS[id]``
    (client id, secret, ``settings.issuer``: see settings/base.py)."""

    account_class = StateProviderAccount
    supports_token_authentication = False
    #: Signing algorithms accepted for the id_token and userinfo (asymmetric only).
    algorithms: tuple[str, ...] = ("RS256", "ES256")
    scope: tuple[str, ...] = ("openid", "email")
    #: The claims kept on the linked identity (shown in « Mon compte » and to the admin).
    kept_claims: tuple[str, ...] = ("email",)
    #: Whether the provider vouches for the e-mail address it sends (then a matching
    #: account may be linked); else only an ``email_verified: true`` claim does.
    vouches_for_email = False
    #: The authentication levels accepted in the id_token's ``acr`` (empty: any).
    acr_values: tuple[str, ...] = ()
    #: The button (templates/socialaccount/snippets/_provider_button.html): the page that
    #: says what the service is (« Qu'est-ce que … ? »), and the class that gives the DSFR's
    #: fr-connect button this provider's logo (none: the DSFR's, FranceConnect's).
    about_url = ""
    button_class = ""

    @property
    def issuer(self) -> str:
        return self.app.settings["issuer"]

    def get_default_scope(self):
        return list(self.scope)

    def get_login_url(self, request: HttpRequest, **kwargs) -> str:
        url = reverse(f"{self.id}_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def callback_url(self, request: HttpRequest) -> str:
        return build_absolute_uri(request, reverse(f"{self.id}_callback"))

    def authorize_params(self) -> dict:
        """What this provider's authorize request adds to the standard parameters."""
        return {}

    def second_factor(self, id_token: dict) -> bool:
        """Whether the provider says this login used a second factor (staff two-factor rule)."""
        return False

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        try:
            config = verify.discovery(self.issuer)
        except OIDCError as exc:
            return render_authentication_error(request, self, exception=exc)
        nonce = secrets.token_urlsafe(32)
        state_id = self.stash_redirect_state(request, process, next_url, data, nonce=nonce)
        params = {
            "response_type": "code",
            "client_id": self.app.client_id,
            "redirect_uri": self.callback_url(request),
            "scope": " ".join(self.get_scope()),
            "state": state_id,
            "nonce": nonce,
            **self.authorize_params(),
        }
        return HttpResponseRedirect(f"{config['authorization_endpoint']}?{urlencode(params)}")

    # What allauth reads from the checked claims ({"id_token": …, "userinfo": …}).
    def extract_uid(self, data) -> str:
        return str(data["id_token"]["sub"])

    def extract_extra_data(self, data) -> dict:
        userinfo, id_token = data["userinfo"], data["id_token"]
        kept = {name: userinfo[name] for name in self.kept_claims if userinfo.get(name)}
        kept.update({name: id_token[name] for name in ("acr", "amr") if id_token.get(name)})
        return kept

    def display_name(self, userinfo: dict) -> str:
        return " ".join(p for p in (userinfo.get("given_name"), userinfo.get("family_name")) if p)

    def extract_common_fields(self, data) -> dict:
        userinfo = data["userinfo"]
        return {
            "email": userinfo.get("email"),
            "first_name": userinfo.get("given_name"),
            "last_name": userinfo.get("family_name") or userinfo.get("usual_name"),
            "name": self.display_name(userinfo),
        }

    def extract_email_addresses(self, data) -> list[EmailAddress]:
        userinfo = data["userinfo"]
        email = (userinfo.get("email") or "").strip()
        if not email:
            return []
        verified = self.vouches_for_email or userinfo.get("email_verified") is True
        return [EmailAddress(email=email, verified=verified, primary=True)]


class LoginView(BaseLoginView):
    """The button's POST (a GET shows allauth's confirmation page, never redirects)."""

    provider_id = ""

    def get_provider(self):
        try:
            return get_adapter(self.request).get_provider(self.request, self.provider_id)
        except SocialApp.DoesNotExist:
            raise Http404 from None


def _fail(request, provider, code: str, state=None):
    return render_authentication_error(
        request, provider, exception=OIDCError(code), extra_context={"state": state}
    )


def callback(request: HttpRequest, provider_id: str):
    """The provider sends the person back here with ``code`` and ``state``."""
    try:
        provider = get_adapter(request).get_provider(request, provider_id)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    state_id = request.GET.get("state", "")
    state = (
        statekit.unstash_state(request, provider_id=provider.sub_id, state_id=state_id)
        if state_id
        else None
    )
    if state is None:
        return _fail(request, provider, "state_invalid")
    if request.GET.get("error") == "access_denied":
        return render_authentication_error(
            request, provider, error=AuthError.CANCELLED, extra_context={"state": state}
        )
    if "error" in request.GET or not request.GET.get("code"):
        return _fail(request, provider, "provider_error", state)
    try:
        config = verify.discovery(provider.issuer)
        # RFC 9207: when the provider names itself in the callback, it must be ours.
        if "iss" in request.GET and request.GET["iss"] != config["issuer"]:
            raise OIDCError("wrong_issuer")
        algorithms = list(provider.algorithms)
        tokens = verify.exchange_code(
            config=config,
            client_id=provider.app.client_id,
            secret=provider.app.secret,
            code=request.GET["code"],
            redirect_uri=provider.callback_url(request),
        )
        id_claims = verify.verify_id_token(
            tokens["id_token"],
            config=config,
            algorithms=algorithms,
            client_id=provider.app.client_id,
            nonce=state.get("nonce", ""),
        )
        if provider.acr_values and id_claims.get("acr") not in provider.acr_values:
            raise OIDCError("acr_insufficient")
        userinfo = verify.fetch_userinfo(
            tokens["access_token"],
            config=config,
            algorithms=algorithms,
            client_id=provider.app.client_id,
            sub=id_claims["sub"],
        )
    except OIDCError as exc:
        return render_authentication_error(
            request, provider, exception=exc, extra_context={"state": state}
        )
    login = provider.sociallogin_from_response(
        request, {"id_token": id_claims, "userinfo": userinfo}
    )
    # What the rest of the login needs from this answer travels with the social login
    # (kept in the session while a login stage waits, e.g. the local TOTP).
    login.state = {
        **state,
        LOGIN_STATE_KEY: {
            "second_factor": provider.second_factor(id_claims),
            "id_token": tokens["id_token"],
        },
    }
    # The account, its identity and their audit rows are written together, or not at all.
    with transaction.atomic():
        response = complete_social_login(request, login)
    if state.get("process") == "connect" and request.user.is_authenticated:
        # Linked from « Mon compte »: the provider's session ends with ours, but this was
        # no login, so it says nothing of the session's second factor.
        request.session[LOGOUT_SESSION_KEY] = {
            "provider": provider.id,
            "id_token": tokens["id_token"],
        }
    return response


def provider_second_factor(sociallogin) -> bool:
    """Whether the provider said that this login used a second factor (ProConnect's
    ``amr``: ``mfa``, ``totp`` or ``pop``), as checked by the callback."""
    return bool((sociallogin.state.get(LOGIN_STATE_KEY) or {}).get("second_factor"))


def remember_provider_login(request: HttpRequest, sociallogin) -> None:
    """Once a provider's login has logged the person in (at once, or after a login stage
    such as the local TOTP): the session knows whether it used a second factor (staff
    rule, see middleware) and keeps the id_token that ends the provider's session."""
    from ..middleware import PROVIDER_MFA_SESSION_KEY, remember_second_factor

    answer = sociallogin.state.get(LOGIN_STATE_KEY)
    if not answer:
        return
    request.session[PROVIDER_MFA_SESSION_KEY] = bool(answer.get("second_factor"))
    remember_second_factor(request, request.user)
    request.session[LOGOUT_SESSION_KEY] = {
        "provider": sociallogin.account.provider,
        "id_token": answer["id_token"],
    }


def views_for(provider_id: str):
    """The login and callback views that allauth's URL builder looks up by name: open to
    anyone (logged in, the button links a new identity to the account)."""
    from .. import access

    def callback_view(request):
        return callback(request, provider_id=provider_id)

    login = access.public(login_not_required(LoginView.as_view(provider_id=provider_id)))
    return login, access.public(login_not_required(callback_view))


def end_session_url(request: HttpRequest) -> str | None:
    """The provider's ``end_session_endpoint`` with ``id_token_hint``, ``state`` and
    ``post_logout_redirect_uri`` (the home page), when this session came from a provider
    that still answers; else None (a plain local logout)."""
    stored = request.session.get(LOGOUT_SESSION_KEY)
    if not stored:
        return None
    try:
        provider = get_adapter(request).get_provider(request, stored["provider"])
        endpoint = verify.discovery(provider.issuer).get("end_session_endpoint")
    except (SocialApp.DoesNotExist, OIDCError, KeyError):
        return None
    if not endpoint:
        return None
    params = {
        "id_token_hint": stored["id_token"],
        "state": secrets.token_urlsafe(32),
        "post_logout_redirect_uri": build_absolute_uri(request, reverse("portal:home")),
    }
    return f"{endpoint}?{urlencode(params)}"


ERROR_MESSAGES = {
    "provider_unavailable": _(
        "Le service d'identification ne répond pas pour le moment. Réessayez dans quelques "
        "minutes, ou connectez-vous avec votre adresse e-mail et votre mot de passe."
    ),
    "state_invalid": _(
        "Cette réponse de connexion a expiré ou a déjà servi. Revenez à la page de "
        "connexion et cliquez de nouveau sur le bouton."
    ),
}
DEFAULT_ERROR_MESSAGE = _(
    "La réponse du service d'identification n'a pas pu être vérifiée : par sécurité, "
    "aucune connexion n'a été ouverte et aucun compte n'a été créé. Revenez à la page de "
    "connexion et réessayez ; si cela se reproduit, écrivez-nous en citant l'heure."
)


def error_message(code: str | None):
    """What the error page tells the person, by the failed check's code."""
    return ERROR_MESSAGES.get(code or "", DEFAULT_ERROR_MESSAGE)
