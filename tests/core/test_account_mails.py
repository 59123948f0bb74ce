"""What a person is told about their own account (issue 22, item 20): the deletion is
confirmed by e-mail, a change of address is announced to the old one and the page says
which address is which, and confirming the sign-up e-mail logs the person in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_deleting_my_account_sends_a_confirmation_to_my_address(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user(email="camille@exemple.fr")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mon-espace/compte/supprimer/", {"confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.anonymised_at is not None
    [message] = mail.outbox
    assert message.to == ["camille@exemple.fr"]
    assert message.subject == "[Forum ouvert] Votre compte a été supprimé"
    assert "signé « Participant·e »" in message.body


@pytest.mark.django_db
def test_changing_my_address_tells_the_old_one(client, make_user):
    user = make_user(email="ancienne@exemple.fr")
    client.force_login(user)
    page = client.get("/compte/email/").content.decode()
    assert "Changer pour" not in page and "Nouvelle adresse e-mail" in page
    client.post("/compte/email/", {"action_add": "", "email": "nouvelle@exemple.fr"})
    page = client.get("/compte/email/").content.decode()
    assert "Nouvelle adresse, en attente de confirmation" in page
    assert page.count("Nouvelle adresse e-mail") == 1
    confirm = next(m for m in mail.outbox if "nouvelle@exemple.fr" in m.to)
    path = "/" + re.search(r"https?://[^/]+/(compte/confirm-email/\S+/)", confirm.body).group(1)
    client.post(path)
    assert EmailAddress.objects.get(user=user, primary=True).email == "nouvelle@exemple.fr"
    notices = [m for m in mail.outbox if m.to == ["ancienne@exemple.fr"]]
    assert notices, [(m.to, m.subject) for m in mail.outbox]


@pytest.mark.django_db
def test_confirming_the_sign_up_e_mail_logs_me_in(client):
    client.post(
        "/compte/signup/",
        {
            "email": "nouveau@exemple.fr",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
        },
    )
    [confirm] = mail.outbox
    path = "/" + re.search(r"https?://[^/]+/(compte/confirm-email/\S+/)", confirm.body).group(1)
    response = client.post(path)
    assert response.status_code == 302
    assert client.get("/mon-espace/").status_code == 200
