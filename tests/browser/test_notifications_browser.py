"""In a real Chromium, with axe on every page: a participant gets a notification, reads it
in the centre and changes its setting; a follower unfollows from the e-mail's link."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from forum_ouvert.core import notifications
from participation.contributions import services
from tests.conftest import browser_login
from tests.contributions.factories import ContributionFactory

pytestmark = pytest.mark.browser


def _logout(page):
    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()


def test_notification_read_and_setting_changed(page, live_server, make_user, axe, csp_violations):
    """A comment on my contribution shows in the header and the centre; I mark it read
    (focus stays), then choose « Seulement sur le site » for comments."""
    author = make_user("citoyen", display_name="Camille D.")
    contribution = ContributionFactory(author=author, title="Publier les agendas")
    services.comment_post(author=make_user("citoyen"), contribution=contribution, body="Oui !")

    browser_login(page, live_server, author.email)
    header_link = page.locator(".fr-header__tools-links").get_by_role(
        "link", name=re.compile("Notifications")
    )
    expect(header_link).to_have_accessible_name("Notifications : 1 non lue")
    header_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    item = page.locator(".fo-notification").first
    expect(item).to_contain_text("Nouveau commentaire sur « Publier les agendas »")
    axe(page)
    item.get_by_role("button", name=re.compile("Marquer comme lue")).click()
    expect(item.get_by_role("button")).to_have_count(0)
    expect(page.locator(".fo-notification--unread")).to_have_count(0)
    # Focus is not lost to <body>: it lands on the swapped item.
    assert page.evaluate("document.activeElement.id") == item.get_attribute("id")
    expect(header_link).to_have_accessible_name("Notifications")
    axe(page)

    page.get_by_role("link", name="Choisir comment je suis prévenu·e").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réglages des notifications")
    axe(page)
    page.locator("input[name=commentaire][value=site]").check(force=True)
    page.get_by_role("button", name="Enregistrer mes réglages").click()
    expect(page.get_by_text("Vos réglages de notification sont enregistrés.")).to_be_visible()
    expect(page.locator("input[name=commentaire][value=site]")).to_be_checked()
    axe(page)
    assert notifications.delivery_for(author, notifications.Kind.COMMENT) == "site"


def test_follow_then_unfollow_by_the_email_link(page, live_server, make_user, axe, csp_violations):
    """I follow a contribution (htmx, focus kept); its next comment e-mails me; the link
    in that e-mail, without logging in, asks, then stops the following."""
    follower = make_user("citoyen")
    contribution = ContributionFactory(title="Ouvrir les données")
    browser_login(page, live_server, follower.email)
    page.goto(live_server.url + contribution.get_absolute_url())
    page.get_by_role("button", name="Suivre cette contribution").click()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "suivre-bouton"
    axe(page)
    assert notifications.is_following(follower, contribution)
    _logout(page)

    mail.outbox.clear()
    services.comment_post(author=make_user("citoyen"), contribution=contribution, body="Bien.")
    message = next(m for m in mail.outbox if m.to == [follower.email])
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    expect(page.get_by_text("Ne plus suivre « Ouvrir les données » ?")).to_be_visible()
    axe(page)
    assert notifications.is_following(follower, contribution)  # the GET changed nothing
    page.get_by_role("button", name="Ne plus suivre").click()
    expect(page.get_by_text("Vous ne suivez plus « Ouvrir les données ».")).to_be_visible()
    axe(page)
    assert not notifications.is_following(follower, contribution)
