"""A ProConnect login that used a second factor satisfies the staff two-factor rule."""

import pytest
from django.urls import reverse

from forum_ouvert.core.models import AuditLog
from tests.factories import totp_code
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


@pytest.mark.parametrize("amr", ["mfa", "totp", "pop"])
def test_a_proconnect_second_factor_replaces_the_local_code(client, make_user, proconnect, amr):
    """An agent with a local TOTP whose ProConnect login used a second factor is logged in
    at once (no « enter your code » page after ProConnect's own), reaches « Pilotage », and
    the pass is in the audit log."""
    staff = make_user("ditp")  # with a local TOTP
    response = full_login(client, proconnect, email=staff.email, amr=amr)
    assert response.status_code == 302
    assert response.url != reverse("mfa_authenticate")
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert client.get("/pilotage/").status_code == 200
    row = AuditLog.objects.get(action="core.sso.second_factor")
    assert row.actor == staff and row.target_id == str(staff.pk)
    assert row.changes == {"fournisseur": "proconnect", "amr": f"pwd {amr}"}
    # As « Journal d'activité » reads it.
    from forum_ouvert.core import activity
    from forum_ouvert.core.audit import readable_changes
    from forum_ouvert.core.models import User

    assert activity.verb_of(row.action).startswith("s'est connecté(e) avec le second facteur")
    assert ("Méthodes d'authentification (amr)", "—", f"pwd {amr}") in readable_changes(
        row, User, activity.KEYS
    )
    assert client.session["oidc_logout"]["provider"] == "proconnect"


@pytest.mark.parametrize("amr", ["pwd", "mail"])
def test_a_one_factor_proconnect_login_keeps_the_local_code(client, make_user, proconnect, amr):
    """With a password (or an e-mail link) alone at ProConnect, the agent is asked for their
    local TOTP code before being logged in; once given, they are in, and logging out still
    ends ProConnect's session."""
    staff = make_user("ditp")
    response = full_login(client, proconnect, email=staff.email, amr=amr)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert not AuditLog.objects.filter(action="core.sso.second_factor").exists()
    page = client.get(response.url)
    assert page.status_code == 200
    done = client.post(response.url, {"code": totp_code()})
    assert done.status_code == 302, done.content.decode()
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert client.session["fo_second_factor"] is True
    assert client.session["fo_second_factor_by_provider"] is False
    assert client.session["oidc_logout"]["provider"] == "proconnect"
    assert client.get("/pilotage/").status_code == 200


def test_a_wrong_local_code_after_proconnect_logs_nobody_in(client, make_user, proconnect):
    """After a one-factor ProConnect login, a wrong local code is refused: nobody is in."""
    staff = make_user("ditp")
    response = full_login(client, proconnect, email=staff.email, amr="pwd")
    refused = client.post(response.url, {"code": "000000"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_our_totp_stage_replaces_allauths(settings):
    """allauth's own TOTP stage is not run besides ours (it would ask for the code anyway)."""
    from allauth.account.adapter import get_adapter

    stages = get_adapter().get_login_stages()
    assert "forum_ouvert.core.oidc.stages.AuthenticateStage" in stages
    assert "allauth.mfa.stages.AuthenticateStage" not in stages


def test_franceconnect_keeps_the_local_code(client, make_user, franceconnect):
    """An account with a local TOTP logging in with FranceConnect is asked for its code."""
    from allauth.socialaccount.models import SocialAccount

    full_login(client, franceconnect, email="agent.totp@example.org")
    identity = SocialAccount.objects.get()
    identity.user = make_user("ditp")  # with a local TOTP
    identity.save()
    client.logout()
    response = full_login(client, franceconnect, email="agent.totp@example.org")
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
