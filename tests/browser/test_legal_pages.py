"""The site's fixed pages (legal notices, terms of use, accessibility statement, security
policy) pass axe in Chromium, with no CSP violation."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = {
    "/accessibilite/": "Déclaration d'accessibilité",
    "/securite/": "vulnérabilités",
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
    "/plan-du-site/": "Plan du site",
    "/conditions-generales/": "Conditions générales d'utilisation",
}


def test_fixed_pages_pass_axe(page, live_server, axe, csp_violations):
    for path, heading in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        axe(page)
    page.goto(f"{live_server.url}/")
    footer = page.locator("footer")
    expect(footer.get_by_role("link", name="Sécurité : signaler une vulnérabilité")).to_be_visible()
    assert csp_violations == []
