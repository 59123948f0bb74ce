"""E-mails in the person's language (issue 18, item 6): a preferred language on the
account, taken from the language they use and changeable in « Mon compte »; every e-mail
(``core.mail``) is written in it, subject, body and links (``/en/`` in English)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from engagements import services as engagement_services
from engagements.models import CommitmentStatus, Follow
from forum_ouvert.core import notifications
from forum_ouvert.core.mail import language_of, mail_build
from forum_ouvert.core.models import Notification, User
from forum_ouvert.portal.services import account_delete
from participation.contributions import services as contribution_services
from tests.contributions.factories import ContributionFactory
from tests.engagements.factories import CommitmentFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")


def _to(address):
    return next(message for message in mail.outbox if message.to == [address])


def test_followers_get_the_notice_in_their_own_language(
    make_user, django_capture_on_commit_callbacks
):
    """An English-preferring follower gets « News of commitment » with /en/ links; a French
    one « Du nouveau », unprefixed — whatever language the lead's request was in."""
    english, french, lead = make_user(preferred_language="en"), make_user(), make_user("pilote")
    commitment = CommitmentFactory()
    for user in (english, french):
        Follow.objects.create(user=user, commitment=commitment)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        engagement_services.commitment_update(
            actor=lead,
            commitment=commitment,
            changes={"status": CommitmentStatus.LIMITED, "progress": 10},
            justification="Comité de suivi du 3 décembre.",
        )
    to_english, to_french = _to(english.email), _to(french.email)
    assert to_english.subject == f"[Forum ouvert] News of commitment no. {commitment.number}"
    assert to_english.body.startswith("Hello,")
    assert "Justification: Comité de suivi" in to_english.body
    assert f"{SITE}/en{commitment.get_absolute_url()}#entree-" in to_english.body
    unsubscribe = to_english.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{SITE}/en/") and unsubscribe in to_english.body

    assert to_french.subject == f"[Forum ouvert] Du nouveau sur l'engagement n° {commitment.number}"
    assert to_french.body.startswith("Bonjour,")
    assert f"{SITE}{commitment.get_absolute_url()}#entree-" in to_french.body
    assert "/en/" not in to_french.body


def test_a_notification_links_to_the_english_page(make_user, django_capture_on_commit_callbacks):
    """A notification stored with its French path is e-mailed with the /en/ address of the
    page to whoever reads English, and the unsubscribe page in English too."""
    author = make_user(preferred_language="en")
    contribution = ContributionFactory(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        contribution_services.comment_post(
            author=make_user(), contribution=contribution, body="Oui."
        )
    notification = Notification.objects.get(recipient=author)
    message = _to(author.email)
    assert f"{SITE}/en{notification.url}" in message.body
    assert "See: " in message.body and "Your notification settings" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/en/")
    # Sent once, whatever the language.
    notifications.notification_mail_send(notification_id=notification.pk)
    assert len([m for m in mail.outbox if m.to == [author.email]]) == 1


def test_an_email_never_takes_the_active_language():
    """Built while an English page is being served, an e-mail for no one in particular is
    French (the reference), and one for an English reader English."""
    entries = [{"field_label": "État", "old_value": "", "new_value": "Limité", "justification": ""}]
    context = {"commitment": CommitmentFactory(), "entries": entries, "url": "", "user": None}
    context["unsubscribe_url"] = ""
    with translation.override("en"):
        french = mail_build(
            template="engagements/emails/follower_notice", context=context, to=["a@b.fr"]
        )
        english = mail_build(
            template="engagements/emails/follower_notice",
            context=context,
            to=["a@b.fr"],
            language="en",
        )
    assert french.body.startswith("Bonjour,") and english.body.startswith("Hello,")
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_the_account_deleted_email_is_in_the_persons_language(
    make_user, django_capture_on_commit_callbacks
):
    """The last e-mail, sent after the account is anonymised, keeps its owner's language."""
    user = make_user(preferred_language="en")
    address = user.email
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=user)
    message = _to(address)
    assert message.subject == "[Forum ouvert] Your account has been deleted"
    assert "The Forum ouvert team" in message.body


def test_language_of_falls_back_to_french(make_user):
    """No one, or a code the site does not speak: French."""
    assert language_of(None) == "fr"
    assert language_of(User(preferred_language="de")) == "fr"
    assert language_of(make_user(preferred_language="en")) == "en"


# --- Setting it: « Mon compte », the selector, sign-up and login ------------------------


def test_my_account_changes_the_language_of_my_emails(client, make_user):
    """« Mon compte » offers French and English; choosing English is saved."""
    user = make_user(display_name="Alice")
    client.force_login(user)
    page = client.get(reverse("portal:account")).content.decode()
    assert "Langue des e-mails" in page and 'value="en"' in page
    response = client.post(
        reverse("portal:account"),
        {"display_name": "Alice", "departement": "", "preferred_language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_my_account_refuses_an_unknown_language_and_keeps_the_input(client, make_user):
    """Another code is refused in French, nothing is saved, and what was typed stays."""
    user = make_user(display_name="Alice")
    client.force_login(user)
    response = client.post(
        reverse("portal:account"),
        {"display_name": "Alice Martin", "departement": "", "preferred_language": "de"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sélectionnez un choix valide" in page
    assert 'value="Alice Martin"' in page
    user.refresh_from_db()
    assert user.display_name == "Alice" and user.preferred_language == "fr"


def test_switching_language_while_logged_in_sets_it_once(client, make_user):
    """The header's selector sets the e-mails' language of someone logged in; switching to
    the language they already have writes nothing to their account."""
    user = make_user()
    client.force_login(user)
    client.get("/langue/en/", {"suivant": "/engagements/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"
    with CaptureQueriesContext(connection) as queries:
        client.get("/langue/en/", {"suivant": "/engagements/"})
    assert not [q for q in queries.captured_queries if 'UPDATE "core_user"' in q["sql"]]
    client.get("/langue/fr/", {"suivant": "/en/engagements/"})
    user.refresh_from_db()
    assert user.preferred_language == "fr"


def test_an_ordinary_page_writes_no_language(client, make_user):
    """Reading pages in English never writes the account (only the selector does)."""
    user = make_user()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/engagements/")
    assert not [q for q in queries.captured_queries if 'UPDATE "core_user"' in q["sql"]]


def test_signing_up_after_choosing_english_sets_english(client):
    """Someone who chose English in the selector, then signed up, gets English e-mails —
    the address confirmation included."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/compte/signup/",
        {
            "email": "ada@exemple.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Ada",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="ada@exemple.org").preferred_language == "en"


def test_signing_up_in_french_sets_french(client):
    """Without a choice, the account's e-mails are in French."""
    client.post(
        "/compte/signup/",
        {
            "email": "bea@exemple.fr",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Béa",
            "accept_terms": "on",
        },
    )
    assert User.objects.get(email="bea@exemple.fr").preferred_language == "fr"


def test_logging_in_after_choosing_english_sets_english(client, make_user):
    """A choice made in the selector before logging in becomes the e-mails' language; a
    browser that made no choice leaves the account's as it is."""
    english = make_user(preferred_language="en")
    client.post("/compte/login/", {"login": english.email, "password": PASSWORD})
    english.refresh_from_db()
    assert english.preferred_language == "en"  # no cookie: unchanged
    client.logout()
    french = make_user()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/compte/login/", {"login": french.email, "password": PASSWORD})
    assert response.status_code == 302
    french.refresh_from_db()
    assert french.preferred_language == "en"


def test_my_data_lists_the_language_of_my_emails(client, make_user):
    """« Mes données » says which language the e-mails are written in."""
    client.force_login(make_user(preferred_language="en"))
    data = client.get(reverse("portal:data_export")).json()
    assert data["compte"]["langue_des_emails"] == "en"
