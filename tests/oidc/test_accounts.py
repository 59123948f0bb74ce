"""Accounts and the State's logins: linking by a vouched e-mail, the buttons, « Mon compte »."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import AuditLog, User
from tests.factories import UserFactory
from tests.oidc.fixtures import come_back, full_login, provider_login, start_login

pytestmark = pytest.mark.django_db


def test_buttons_hidden_when_not_configured(client):
    """Without client id, secret and issuer, the login and sign-up pages offer no State login."""
    for name in ("account_login", "account_signup"):
        page = client.get(reverse(name)).content.decode()
        assert "FranceConnect" not in page
        assert "ProConnect" not in page


def _buttons(page: str) -> dict[str, str]:
    """The State login buttons' forms on a page, by provider."""
    forms = page.split('<form class="fr-connect-group"')[1:]
    return {
        provider: form.split("</form>", 1)[0]
        for form in forms
        for provider in ("proconnect", "franceconnect")
        if f"/compte/{provider}/login/" in form.split(">", 1)[0]
    }


def test_buttons_shown_when_configured(client, proconnect, franceconnect):
    """Configured, the login and sign-up pages show FranceConnect's DSFR button and
    ProConnect's (the same component with ProConnect's logo), once each, each a POST with
    its « Qu'est-ce que … ? » link saying that it opens a new window."""
    for name in ("account_login", "account_signup"):
        page = client.get(reverse(name)).content.decode()
        assert page.count('class="fr-connect-group"') == 2
        buttons = _buttons(page)
        assert set(buttons) == {"proconnect", "franceconnect"}
        fc, pc = buttons["franceconnect"], buttons["proconnect"]
        assert 'method="post" action="/compte/franceconnect/login/?process=login"' in fc
        assert '<button class="fr-connect" type="submit">' in fc
        assert '<span class="fr-connect__brand">FranceConnect</span>' in fc
        assert 'href="https://franceconnect.gouv.fr/" target="_blank"' in fc
        assert 'title="Qu’est-ce que FranceConnect ? - nouvelle fenêtre"' in fc
        assert '<button class="fr-connect fo-connect--proconnect" type="submit">' in pc
        assert '<span class="fr-connect__login">S’identifier avec</span>' in pc
        assert '<span class="fr-connect__brand">ProConnect</span>' in pc
        assert 'href="https://www.proconnect.gouv.fr/" target="_blank"' in pc
        assert 'rel="noopener noreferrer"' in pc
        assert 'title="Qu’est-ce que ProConnect ? - nouvelle fenêtre"' in pc
        assert (
            'Qu’est-ce que ProConnect ?<span class="fr-sr-only"> - nouvelle fenêtre</span></a>'
            in pc
        )


def test_proconnect_logo_is_served_from_the_site(client):
    """ProConnect's logo comes from our static files (no request to another site), and is
    ProConnect's drawing (its blue and its yellow)."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("forum_ouvert/site.css")).read_text(encoding="utf-8")
    assert 'url("proconnect-logo.svg")' in css
    logo = Path(finders.find("forum_ouvert/proconnect-logo.svg")).read_text(encoding="utf-8")
    assert logo.startswith('<svg width="54" height="48" viewBox="0 0 54 48"')
    assert 'fill="#000091"' in logo and 'fill="#FCC63A"' in logo
    assert "http" not in logo.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_my_account_offers_the_same_buttons_to_link(client, proconnect, franceconnect):
    """« Mon compte » offers the same buttons, to link an identity (process connect)."""
    client.force_login(UserFactory())
    buttons = _buttons(client.get(reverse("portal:account")).content.decode())
    assert set(buttons) == {"proconnect", "franceconnect"}
    assert 'action="/compte/proconnect/login/?process=connect"' in buttons["proconnect"]
    assert "fo-connect--proconnect" in buttons["proconnect"]


def test_second_login_reuses_the_account(client, franceconnect):
    """The same person logging in again lands in the same account."""
    full_login(client, franceconnect, email="deux@example.org")
    client.logout()
    full_login(client, franceconnect, email="deux@example.org")
    assert User.objects.filter(email="deux@example.org").count() == 1
    assert SocialAccount.objects.count() == 1


def test_vouched_email_links_the_existing_account_and_says_so(client, proconnect):
    """ProConnect vouches for the agent's address: it joins the existing account, who is told."""
    # No local authenticator yet (a lead's TOTP would be asked after ProConnect: see
    # tests/oidc/test_second_factor.py); linking is what is tried here.
    agent = UserFactory(email="pilote@ministere.gouv.fr", role=Role.LEAD, second_factor=False)
    response = full_login(client, proconnect, email="pilote@ministere.gouv.fr")
    assert int(client.session["_auth_user_id"]) == agent.pk
    assert SocialAccount.objects.get(provider="proconnect").user == agent
    assert User.objects.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("reliée à votre compte existant" in m for m in messages)
    entry = AuditLog.objects.get(action="core.sso.link")
    assert entry.changes == {"fournisseur": "proconnect", "par": "adresse_email"}
    agent.refresh_from_db()
    assert agent.role == Role.LEAD  # unchanged: roles never come from claims


def test_unvouched_email_does_not_link(client, franceconnect):
    """FranceConnect's e-mail is not vouched for: the existing account is not taken over."""
    owner = UserFactory(email="proprietaire@example.org")
    response = full_login(client, franceconnect, email="proprietaire@example.org")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert User.objects.count() == 1


def test_staff_claims_grant_no_role(client, proconnect):
    """A ProConnect agent, even from the DITP's SIRET, starts as a citizen."""
    full_login(client, proconnect, email="agent@modernisation.gouv.fr")
    assert User.objects.get(email="agent@modernisation.gouv.fr").role == Role.CITIZEN


def test_my_account_shows_and_removes_an_identity(client, proconnect):
    """« Mon compte » lists the linked identity; with a password, it can be removed."""
    user = UserFactory(email="avec-mdp@ditp.gouv.fr")
    full_login(client, proconnect, email="avec-mdp@ditp.gouv.fr")
    page = client.get(reverse("portal:account")).content.decode()
    assert "Identités reliées" in page
    assert "SIRET de l'administration : 13002526500013" in page
    identity = SocialAccount.objects.get(user=user)
    response = client.post(reverse("portal:account_identity_remove", args=[identity.pk]))
    assert response.status_code == 302
    assert not SocialAccount.objects.filter(user=user).exists()
    assert AuditLog.objects.filter(action="core.sso.unlink", target_id=str(user.pk)).exists()


def test_the_last_way_to_log_in_cannot_be_removed(client, franceconnect):
    """An account created by FranceConnect has no password: its identity stays."""
    full_login(client, franceconnect, email="seule@example.org")
    identity = SocialAccount.objects.get()
    response = client.post(
        reverse("portal:account_identity_remove", args=[identity.pk]), follow=True
    )
    assert "C&#x27;est votre seul moyen de vous connecter" in response.content.decode()
    assert SocialAccount.objects.filter(pk=identity.pk).exists()
    assert not AuditLog.objects.filter(action="core.sso.unlink").exists()


def test_someone_elses_identity_is_404(client, franceconnect):
    """Another person's identity id answers 404 and stays linked."""
    full_login(client, franceconnect, email="autre@example.org")
    identity = SocialAccount.objects.get()
    client.logout()
    client.force_login(UserFactory())
    response = client.post(reverse("portal:account_identity_remove", args=[identity.pk]))
    assert response.status_code == 404
    assert SocialAccount.objects.filter(pk=identity.pk).exists()


def test_link_from_my_account(client, proconnect):
    """From « Mon compte », a logged-in person links their ProConnect identity."""
    user = UserFactory(email="relie@example.org")
    client.force_login(user)
    assert reverse("proconnect_login") in client.get(reverse("portal:account")).content.decode()
    authorize = start_login(client, "proconnect", process="connect")
    response = come_back(client, provider_login(authorize, email="autre.adresse@ditp.gouv.fr"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account")
    assert SocialAccount.objects.get(provider="proconnect").user == user
    assert AuditLog.objects.get(action="core.sso.link").changes["par"] == "mon_compte"


def test_deleting_the_account_removes_its_identities(client, franceconnect):
    """Deleting one's account erases the linked identities (pseudonymous sub, kept claims)."""
    from forum_ouvert.core.services import user_anonymise

    full_login(client, franceconnect, email="efface@example.org")
    user_anonymise(user=User.objects.get(email="efface@example.org"))
    assert not SocialAccount.objects.exists()


def test_my_data_export_lists_the_identities(client, proconnect):
    """« Mes données » includes the linked identity and what was kept from it."""
    full_login(client, proconnect, email="export@ditp.gouv.fr")
    data = client.get(reverse("portal:data_export")).json()
    (identity,) = data["identites_reliees"]
    assert identity["fournisseur"] == "ProConnect"
    assert identity["donnees"]["siret"] == "13002526500013"


def test_privacy_page_says_what_the_state_logins_keep(client):
    """The personal-data page says what ProConnect and FranceConnect logins keep."""
    page = client.get(reverse("core:privacy")).content.decode()
    assert "ProConnect ou FranceConnect" in page
    assert "Ni date ni lieu de naissance" in page
