"""In a real Chromium, with axe on every page: a participant opens their public page in
« Mon compte », then a visitor reaches it from the author's name on a contribution."""

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.contributions.factories import ContributionFactory

pytestmark = pytest.mark.browser


def test_consent_then_profile_from_a_contribution(
    page, live_server, make_user, axe, csp_violations
):
    """I tick « Publier ma page de participant·e »; my name on my contribution becomes a
    link; a visitor follows it to my page, which lists the contribution."""
    author = make_user("citoyen", display_name="Camille Durand", public_display_consent=True)
    contribution = ContributionFactory(author=author, title="Publier les agendas")
    ContributionFactory(author=author, hidden=True, title="Une contribution masquée")

    # Before consent, the name is plain text.
    page.goto(live_server.url + contribution.get_absolute_url())
    expect(page.get_by_text("Par Camille Durand")).to_be_visible()
    expect(page.get_by_role("link", name="Camille Durand")).to_have_count(0)

    browser_login(page, live_server, author.email)
    page.goto(live_server.url + "/mon-espace/compte/")
    axe(page)
    page.get_by_role("link", name="Régler ma page publique").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma page publique")
    axe(page)
    page.locator("#id_public_profile").check(force=True)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre page publique est ouverte.")).to_be_visible()
    expect(page.locator("#id_public_profile")).to_be_checked()
    axe(page)
    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()

    # A visitor, from the contribution.
    page.goto(live_server.url + contribution.get_absolute_url())
    link = page.get_by_role("link", name="Camille Durand")
    expect(link).to_be_visible()
    axe(page)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Durand")
    expect(page.get_by_role("link", name="Publier les agendas")).to_be_visible()
    expect(page.get_by_text("Une contribution masquée")).to_have_count(0)
    axe(page)
    page.get_by_role("link", name="Commentaires (0)").click()
    expect(page.get_by_text("Rien de publié ici pour l'instant.")).to_be_visible()
    axe(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert csp_violations == []
