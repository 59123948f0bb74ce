"""Every lie of the provider, and every tampering on the way, is refused: a French page
that says what to do, nobody logged in, nothing created, an audit row naming the check."""

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from django.urls import reverse

from forum_ouvert.core.models import AuditLog, User
from forum_ouvert.core.oidc import verify
from tests.oidc.fixtures import come_back, full_login, provider_login, start_login

pytestmark = pytest.mark.django_db

EMAIL = "refuse@example.org"


def assert_refused(client, response, code: str) -> None:
    assert response.status_code == 401  # allauth's status for a failed third-party login
    page = response.content.decode()
    assert "La connexion n&#x27;a pas abouti" in page or "La connexion n'a pas abouti" in page
    assert "Revenir à la page de connexion" in page
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email=EMAIL).exists()
    assert not SocialAccount.objects.exists()
    entry = AuditLog.objects.get(action="core.sso.refuse")
    assert entry.changes["motif"] == code


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("id_token_expired", "expired"),
        ("id_token_future_iat", "issued_in_future"),
        ("id_token_other_key", "bad_signature"),
        ("id_token_alg_none", "unexpected_alg"),
        ("id_token_hs256", "unexpected_alg"),
        ("id_token_wrong_aud", "wrong_audience"),
        ("id_token_wrong_iss", "wrong_issuer"),
        ("id_token_wrong_nonce", "wrong_nonce"),
        ("userinfo_other_sub", "userinfo_sub_mismatch"),
        ("userinfo_other_key", "bad_signature"),
        ("userinfo_alg_none", "unexpected_alg"),
    ],
)
@pytest.mark.parametrize("provider", ["proconnect", "franceconnect"])
def test_a_forged_answer_is_refused(client, request, provider, fault, code):
    """A token the provider did not sign as expected opens no session and creates no account."""
    server = request.getfixturevalue(provider)
    server.fault(fault)
    assert_refused(client, full_login(client, server, email=EMAIL), code)


def test_franceconnect_without_the_eidas_level_is_refused(client, franceconnect):
    """A FranceConnect id_token that does not state the eidas1 level (or higher) is refused."""
    franceconnect.fault("id_token_acr_missing")
    assert_refused(client, full_login(client, franceconnect, email=EMAIL), "acr_insufficient")


def test_a_tampered_state_is_refused(client, proconnect):
    """A callback whose state was changed on the way is refused."""
    back = provider_login(start_login(client, "proconnect"), email=EMAIL)
    assert "state=" in back
    tampered = back.replace("state=", "state=x", 1)
    assert_refused(client, come_back(client, tampered), "state_invalid")


def test_a_replayed_state_is_refused(client, franceconnect):
    """The same callback used twice: the second one is refused (the state is single use)."""
    back = provider_login(start_login(client, "franceconnect"), email="rejoue@example.org")
    assert come_back(client, back).status_code == 302
    client.logout()
    response = come_back(client, back)
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.get(action="core.sso.refuse").changes["motif"] == "state_invalid"


def test_a_callback_without_state_is_refused(client, proconnect):
    """A callback that was never asked for (no state in this session) is refused."""
    response = client.get(reverse("proconnect_callback"), {"code": "abc", "state": "a" * 43})
    assert_refused(client, response, "state_invalid")


def test_rotated_keys_are_fetched_again(client, proconnect):
    """A token signed with a key published after our copy of the key set still logs in."""
    config = verify.discovery(proconnect.issuer)
    keys = requests.get(config["jwks_uri"], timeout=5).json()["keys"]
    cache.set(f"oidc:jwks:{config['jwks_uri']}", [k for k in keys if k["kid"] == "cle-1"], 600)
    proconnect.fault("id_token_rotated")
    assert full_login(client, proconnect, email="tourne@ditp.gouv.fr").status_code == 302
    assert User.objects.filter(email="tourne@ditp.gouv.fr").exists()
    assert {k["kid"] for k in cache.get(f"oidc:jwks:{config['jwks_uri']}")} == {"cle-1", "cle-2"}


def test_provider_down_at_the_button(client, proconnect, settings):
    """The provider does not answer when the button is pressed: a clear page, no 500."""
    settings.SOCIALACCOUNT_PROVIDERS["proconnect"]["APPS"][0]["settings"] = {
        "issuer": "http://127.0.0.1:9/api/v2"
    }
    response = client.post(reverse("proconnect_login"))
    assert response.status_code == 401
    assert "ne répond pas pour le moment" in response.content.decode()
    assert AuditLog.objects.get(action="core.sso.refuse").changes["motif"] == (
        "provider_unavailable"
    )


def test_provider_down_on_the_way_back(client, proconnect):
    """The provider stops answering between its login page and the token exchange."""
    authorize = start_login(client, "proconnect")
    back = provider_login(authorize, email=EMAIL)
    key = f"oidc:discovery:{proconnect.issuer}"
    cache.set(key, {**cache.get(key), "token_endpoint": "http://127.0.0.1:9/token"}, 600)
    response = come_back(client, back)
    assert "ne répond pas pour le moment" in response.content.decode()
    assert_refused(client, response, "provider_unavailable")


def test_proconnect_refuses_unknown_authorize_parameters(client, proconnect):
    """The provider of the tests is as strict as ProConnect: our request passes, an extra
    parameter is refused with Y000400."""
    authorize = start_login(client, "proconnect")
    assert requests.get(authorize, timeout=5, allow_redirects=False).status_code == 303
    refused = requests.get(f"{authorize}&code_challenge=x", timeout=5)
    assert refused.status_code == 400
    assert "Y000400" in refused.text
