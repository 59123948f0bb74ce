"""Logging in with ProConnect and FranceConnect against the real provider of the tests."""

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
