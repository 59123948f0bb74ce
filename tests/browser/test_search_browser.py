"""Issue 19, item 3: searching the whole site from the header, with and without accents,
in Chromium with axe (no violation of any impact), and without JavaScript on a phone."""

import pytest
from playwright.sync_api import expect

from tests.contributions.factories import ContributionFactory
from tests.engagements.factories import CommitmentFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def content():
    CommitmentFactory(title="Garantir l'égalité d'accès aux services publics")
    ContributionFactory(title="Des ateliers pour l'égalité réelle", body="Dans chaque quartier.")
    WorkshopFactory(title="Atelier sur le numérique", description="Ouvert à toutes et tous.")
    WorkshopFactory(title="Atelier brouillon sur l'égalité", draft=True)


def _violations(axe, page) -> list[str]:
    return [v["id"] for v in axe(page).response["violations"]]


def test_search_from_the_header_with_and_without_accents(page, live_server, axe, content):
    """« egalite » typed in the header finds what « Égalité » finds, highlighted, by kind."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    header = page.locator("header")
    header.get_by_role("searchbox", name="Rechercher sur le site").fill("egalite")
    header.get_by_role("button", name="Rechercher").last.click()
    expect(page).to_have_url(f"{live_server.url}/recherche/?q=egalite")
    results = page.locator("#resultats")
    expect(results.get_by_role("status")).to_have_text("2 résultats")
    expect(results.locator("mark").first).to_have_text("égalité")
    assert _violations(axe, page) == []
    titles = results.get_by_role("heading", level=2).all_inner_texts()
    assert "Atelier brouillon sur l'égalité" not in titles

    form = page.get_by_role("search", name="Recherche dans le contenu du site")
    form.get_by_role("searchbox").fill("ÉGALITÉ")
    form.get_by_role("button", name="Rechercher").click()
    expect(results.get_by_role("status")).to_have_text("2 résultats")
    assert results.get_by_role("heading", level=2).all_inner_texts() == titles

    page.get_by_role("navigation", name="Type de contenu").get_by_role(
        "link", name="Contributions (1)"
    ).click()
    expect(results.get_by_role("status")).to_have_text("1 résultat")
    expect(results.get_by_role("link", name="Des ateliers pour l'égalité réelle")).to_be_visible()
    assert _violations(axe, page) == []


def test_search_without_javascript_on_a_phone(browser, live_server, content):
    """Below 992 px without JavaScript, the header's search form is in the page and works."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        header = page.locator("header")
        box = header.get_by_role("searchbox", name="Rechercher sur le site")
        expect(box).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        box.fill("numerique")
        box.press("Enter")
        results = page.locator("#resultats")
        expect(results.get_by_role("link", name="Atelier sur le numérique")).to_be_visible()
    finally:
        context.close()
