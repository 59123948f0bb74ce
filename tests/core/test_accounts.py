"""Accounts: sign-up with e-mail verification, log in, log out, reset, profile, deletion."""

import re

import pytest
from django.core import mail

from forum_ouvert.core.models import AuditLog, User

PASSWORD = "un-mot-de-passe-tres-long"


def _link(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0).replace("http://testserver", "")


@pytest.mark.django_db
def test_full_account_journey(client):
    """Sign up → verification e-mail → confirm → log in → log out → reset password."""
    response = client.post(
        "/compte/signup/",
        {
            "email": "Alice@Exemple.fr",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Alice",
            "departement": "2A",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.subject.startswith("[Forum ouvert]")
    assert "alice@exemple.fr" in confirmation.to
    user = User.objects.get(email="alice@exemple.fr")
    assert user.display_name == "Alice" and user.departement_id == "2A" and user.role == "citoyen"

    # Not verified yet: logging in sends to the verification page instead.
    client.post("/compte/login/", {"login": "alice@exemple.fr", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    confirm_url = _link(confirmation)
    assert client.get(confirm_url).status_code == 200
    assert client.post(confirm_url).status_code == 302

    response = client.post("/compte/login/", {"login": "alice@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/mon-espace/").status_code == 200

    assert client.post("/compte/logout/").status_code == 302
    assert "_auth_user_id" not in client.session

    mail.outbox.clear()
    response = client.post("/compte/password/reset/", {"email": "alice@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_url = _link(mail.outbox[0])
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    new_password = "un-tout-nouveau-mot-de-passe"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert client.login(email="alice@exemple.fr", password=new_password)


@pytest.mark.django_db
def test_signup_errors_are_french_and_keep_input(client):
    """A too-short password is refused in French and the e-mail typed stays in the form."""
    response = client.post(
        "/compte/signup/",
        {
            "email": "bob@exemple.fr",
            "password1": "court",
            "password2": "court",
            "display_name": "Bob",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "trop court" in body
    assert 'value="bob@exemple.fr"' in body
    assert 'value="Bob"' in body
    assert not User.objects.filter(email="bob@exemple.fr").exists()


@pytest.mark.django_db
def test_pages_are_in_french(client):
    """allauth's pages speak French."""
    body = client.get("/compte/login/").content.decode()
    assert "Se connecter" in body and 'lang="fr"' in body
    assert "Mot de passe oublié" in body


@pytest.mark.django_db
def test_profile_update_and_account_deletion(client, make_user):
    """A person edits their profile, then deletes the account: personal data is erased."""
    user = make_user(display_name="Chloé", email="chloe@exemple.fr")
    client.force_login(user)
    response = client.post(
        "/mon-espace/compte/",
        {"display_name": "Chloé R.", "departement": "971", "public_display_consent": "on"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Chloé R." and user.departement_id == "971"

    response = client.post("/mon-espace/compte/supprimer/", {})
    assert response.status_code == 200  # the confirmation box must be ticked
    response = client.post("/mon-espace/compte/supprimer/", {"confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and user.anonymised_at
    assert "chloe" not in user.email and user.display_name == "" and user.departement is None
    assert user.public_name == "Participant·e"
    assert not user.has_usable_password()
    assert AuditLog.objects.filter(action="core.user.anonymise", target_id=str(user.pk)).exists()
    assert "_auth_user_id" not in client.session
    assert not client.login(email="chloe@exemple.fr", password="whatever")
