"""In Chromium: a lead updates a commitment and the public sees it in the history."""

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.engagements.factories import (
    AxisFactory,
    CommitmentFactory,
    MilestoneFactory,
    PlanFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def lead_and_commitment(make_user):
    plan = PlanFactory()
    axis = AxisFactory(plan=plan, number=1, title="Participation citoyenne")
    lead = make_user("pilote", display_name="Claire M.")
    commitment = CommitmentFactory(
        plan=plan, axis=axis, title="Instituer le Forum ouvert", leads=[lead]
    )
    MilestoneFactory(commitment=commitment, deliverable="Séance d'installation")
    return lead, commitment


def test_lead_updates_status_and_public_sees_it(
    page, live_server, axe, csp_violations, lead_and_commitment
):
    """Log in, publish a point d'étape with its justification, read it on the public page."""
    lead, commitment = lead_and_commitment
    browser_login(page, live_server, lead.email)
    # A lead lands on their commitments.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes engagements")
    axe(page)
    page.get_by_role("link", name=f"Mettre à jour l'engagement n° {commitment.number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Instituer le Forum ouvert")
    axe(page)

    form = page.locator("#form-avancement")
    form.get_by_label("État d'avancement").select_option("limite")
    form.get_by_label("Avancement (%)").fill("150")
    form.get_by_label("Justification du changement").fill("Appel à candidatures lancé.")
    form.get_by_role("button", name="Publier le point d'étape").click()
    expect(page.locator("#form-avancement")).to_contain_text("entre 0 et 100")
    expect(
        page.locator("#form-avancement").get_by_label("Justification du changement")
    ).to_have_value("Appel à candidatures lancé.")
    axe(page)

    page.locator("#form-avancement").get_by_label("Avancement (%)").fill("20")
    page.locator("#form-avancement").get_by_role("button", name="Publier le point d'étape").click()
    expect(page.get_by_role("status")).to_contain_text("Point d'étape enregistré")
    axe(page)

    page.goto(f"{live_server.url}{commitment.get_absolute_url()}")
    journal = page.locator("#historique")
    expect(journal).to_contain_text("Appel à candidatures lancé.")
    expect(journal).to_contain_text("Limité")
    expect(journal).to_contain_text("Claire M.")
    axe(page)

    page.goto(f"{live_server.url}/engagements/")
    page.get_by_label("État d'avancement").select_option("limite")
    expect(page).to_have_url(f"{live_server.url}/engagements/?q=&axis=&status=limite&lead=&value=")
    expect(page.locator("#resultats")).to_contain_text("Instituer le Forum ouvert")
    axe(page)
    for path in ["/", "/plans/", "/depot/", "/donnees/"]:
        page.goto(f"{live_server.url}{path}")
        axe(page)
    assert csp_violations == []


def test_back_after_filtering_twice_shows_the_whole_page(page, live_server, axe, csp_violations):
    """Filter by one state, then another, then Back: the header, the title and the filters
    are there, with the first filter's results (htmx asks for the whole page again)."""
    plan = PlanFactory()
    CommitmentFactory(plan=plan, title="Ouvrir les algorithmes publics", status="limite")
    CommitmentFactory(plan=plan, title="Publier les subventions", status="non_commence")
    page.goto(f"{live_server.url}/engagements/")
    filters = page.get_by_role("search", name="Filtrer les engagements")
    results = page.locator("#resultats")

    filters.get_by_label("État d'avancement").select_option("limite")
    expect(page).to_have_url(f"{live_server.url}/engagements/?q=&axis=&status=limite&lead=&value=")
    expect(results).not_to_contain_text("Publier les subventions")
    filters.get_by_label("État d'avancement").select_option("non_commence")
    expect(page).to_have_url(
        f"{live_server.url}/engagements/?q=&axis=&status=non_commence&lead=&value="
    )
    expect(results).to_contain_text("Publier les subventions")

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/engagements/?q=&axis=&status=limite&lead=&value=")
    expect(page.get_by_role("banner")).to_contain_text("Forum ouvert")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les engagements")
    expect(filters.get_by_label("État d'avancement")).to_be_visible()
    expect(results).to_contain_text("Ouvrir les algorithmes publics")
    expect(results).not_to_contain_text("Publier les subventions")
    expect(page.locator("header.fr-header")).to_have_count(1)
    axe(page)
    assert csp_violations == []
