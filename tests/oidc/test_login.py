"""Logging in with ProConnect and FranceConnect against the real provider of the tests."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount

from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import AuditLog, User
from tests.oidc.fixtures import full_login

pytestmark = pytest.mark.django_db


def test_proconnect_first_login_creates_a_citizen_account(client, proconnect):
    """An agent's first ProConnect login creates their account, named from the claims, logged in."""
    response = full_login(
        client, proconnect, email="agent@ditp.gouv.fr", given_name="Alix", family_name="Dupont"
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(email="agent@ditp.gouv.fr")
    assert user.display_name == "Alix Dupont"
    assert user.role == Role.CITIZEN
    account = SocialAccount.objects.get(user=user, provider="proconnect")
    assert account.extra_data["siret"] == "13002526500013"
    assert account.extra_data["amr"] == ["pwd"]
    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditLog.objects.filter(action="core.sso.signup", target_id=str(user.pk)).exists()


def test_franceconnect_first_login_creates_an_account(client, franceconnect):
    """A citizen's first FranceConnect login creates their account with a pairwise identifier."""
    response = full_login(client, franceconnect, email="camille@example.org")
    assert response.status_code == 302, response.content.decode()
    account = SocialAccount.objects.get(provider="franceconnect")
    assert account.user.email == "camille@example.org"
    assert account.uid != "camille@example.org"  # pairwise, not the login
    assert account.extra_data["acr"] == "eidas1"
    assert "birthdate" not in account.extra_data


@pytest.mark.parametrize("provider", ["proconnect", "franceconnect"])
def test_logout_ends_the_provider_session(client, request, provider):
    """Logging out sends the person to the provider's /session/end with the id_token, a
    state and the home page as the way back; the provider accepts them."""
    import requests
    from django.urls import reverse

    server = request.getfixturevalue(provider)
    full_login(client, server, email=f"depart@{provider}.example.org")
    id_token = client.session["oidc_logout"]["id_token"]
    response = client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    location = response["Location"]
    assert location.startswith(f"{server.issuer}/session/end?")
    params = dict(parse_qsl(urlsplit(location).query))
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/"
    assert len(params["state"]) >= 32
    # The provider accepts the hint and the way back (another way back: refused, 400).
    confirm = requests.get(location, timeout=5)
    assert confirm.status_code == 200
    assert 'id="error"' not in confirm.text
    elsewhere = location.replace("http%3A%2F%2Ftestserver%2F", "http%3A%2F%2Failleurs.example%2F")
    assert requests.get(elsewhere, timeout=5).status_code == 400


def test_a_password_session_logs_out_locally(client):
    """Without a provider login, logging out is local, to the home page."""
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.post(reverse("account_logout"))["Location"] == "/"


def test_an_account_created_by_franceconnect_is_asked_to_accept_the_terms(client, franceconnect):
    """The person ticked no box: the first page after the login asks them to accept the
    terms of use, and accepting stores the version in force."""
    from forum_ouvert.core import terms

    response = full_login(client, franceconnect, email="dominique@example.org")
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(email="dominique@example.org")
    assert user.terms_version == "" and user.terms_accepted_at is None
    page = client.get("/mon-espace/")
    assert page.status_code == 302
    assert page.url.startswith("/mon-espace/conditions-generales/?next=")
    accepted = client.post(
        "/mon-espace/conditions-generales/",
        {"version": terms.current().id, "accept": "on", "next": "/mon-espace/"},
    )
    assert accepted.status_code == 302 and accepted.url == "/mon-espace/"
    user.refresh_from_db()
    assert user.terms_version == terms.current().id
    assert AuditLog.objects.filter(action="core.user.accept_terms", target_id=str(user.pk)).exists()
