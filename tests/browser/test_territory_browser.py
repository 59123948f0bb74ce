"""In Chromium: a département's « Ce qui change » page with the real Baromètre, on a phone."""

import pytest
from playwright.sync_api import expect

from participation.workshops.barometre import import_barometre_dataset
from tests.workshops.conftest import ensure_territories

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _territories(transactional_db):
    """The live server's tests flush the database: the départements are loaded again."""
    ensure_territories()


@pytest.mark.long
def test_departement_page_passes_axe_and_fits_a_320_px_screen(
    page, live_server, axe, csp_violations
):
    """« Ce qui change à Paris » with 106 indicators: no axe violation, no sideways scroll."""
    import_barometre_dataset(force=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/territoires/75/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce qui change à Paris")
    reading = page.locator("#indicateur-IND-218")
    expect(reading.locator('[data-figure="rate"]')).to_have_text("52,27\xa0%")
    expect(reading.get_by_role("row", name="Île-de-France")).to_be_visible()
    expect(
        reading.get_by_text("Source : Baromètre des résultats de l'action publique").first
    ).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"la page défile horizontalement ({width} px)"
    reading.get_by_text("L'évolution à Paris").click()
    expect(reading.get_by_role("img", name="Évolution")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    results = axe(page)
    violations = [
        f"[{v.get('impact')}] {v['id']}: {v['help']}" for v in results.response["violations"]
    ]
    assert violations == []
    assert csp_violations == []
