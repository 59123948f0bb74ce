"""A ProConnect login that used a second factor satisfies the staff two-factor rule."""

import pytest

from tests.oidc.fixtures import full_login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("amr", "pilotage"), [("mfa", 200), ("pwd", 302)])
def test_proconnect_amr_and_the_staff_rule(client, make_user, proconnect, amr, pilotage):
    """With amr mfa, a DITP agent without local TOTP reaches « Pilotage »; with a password
    alone, they are sent to set up the local second factor, as today."""
    staff = make_user("ditp", second_factor=False)
    full_login(client, proconnect, email=staff.email, amr=amr)
    assert int(client.session["_auth_user_id"]) == staff.pk
    response = client.get("/pilotage/")
    assert response.status_code == pilotage
    if pilotage == 302:
        assert response.url == "/compte/2fa/totp/activate/"


def test_franceconnect_never_counts_as_a_second_factor(client, make_user, franceconnect):
    """FranceConnect says nothing of a second factor here: the local TOTP stays required."""
    from allauth.socialaccount.models import SocialAccount

    staff = make_user("ditp", second_factor=False)
    full_login(client, franceconnect, email="agent.fc@example.org")
    identity = SocialAccount.objects.get()
    identity.user = staff
    identity.save()
    client.logout()
    full_login(client, franceconnect, email="agent.fc@example.org")
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert client.get("/pilotage/").status_code == 302
