"""In Chromium, with the keyboard: after an htmx swap, focus is on the control that changed,
never lost on <body> (issue 20, item 3; the rule is in static/forum_ouvert/site.js)."""

import pytest
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from tests.conftest import browser_login
from tests.contributions.factories import ContributionFactory
from tests.engagements.factories import CommitmentFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

ACTIVE = "() => { const a = document.activeElement; return [a.tagName, a.id, a.isConnected]; }"


def _press_enter_on(page, button):
    page.evaluate("window.__sameDocument = true")
    button.focus()
    page.keyboard.press("Enter")


def test_following_a_commitment_keeps_focus_on_the_button(page, live_server, csp_violations):
    """« Suivre cet engagement » pressed with Enter: the button now reads « Ne plus suivre »
    and still has focus, so the next Tab goes on from there; and back again."""
    commitment = CommitmentFactory()
    browser_login(page, live_server, UserFactory(role=Role.CITIZEN).email)
    page.goto(live_server.url + commitment.get_absolute_url())
    _press_enter_on(page, page.get_by_role("button", name="Suivre cet engagement"))
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_focused()
    assert page.evaluate(ACTIVE) == ["BUTTON", "suivre-bouton", True]
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Suivre cet engagement")).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"
    assert csp_violations == []


def test_supporting_a_contribution_keeps_focus_on_the_button(page, live_server, csp_violations):
    """« Soutenir » pressed with Enter: the count changes and focus stays on « Soutenir »,
    now pressed."""
    contribution = ContributionFactory()
    browser_login(page, live_server, UserFactory(role=Role.CITIZEN).email)
    page.goto(live_server.url + contribution.get_absolute_url())
    region = page.locator(f"#soutien-{contribution.pk}")
    _press_enter_on(page, region.get_by_role("button", name="Soutenir"))
    expect(region).to_contain_text("1 soutien · dont le vôtre")
    button = region.get_by_role("button", name="Soutenir")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    assert page.evaluate(ACTIVE) == ["BUTTON", f"soutenir-{contribution.pk}", True]
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"
    assert csp_violations == []


def test_supporting_a_proposal_keeps_focus_on_the_button(page, live_server, csp_violations):
    """The same on a co-creation proposal: « Soutenir » pressed, counted, still focused;
    pressed again, the support is withdrawn; axe finds nothing on the page."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.cocreation.factories import ProposalFactory

    proposal = ProposalFactory(submitted=True)
    browser_login(page, live_server, UserFactory(role=Role.CITIZEN).email)
    page.goto(live_server.url + proposal.get_absolute_url())
    region = page.locator(f"#soutien-proposition-{proposal.pk}")
    _press_enter_on(page, region.get_by_role("button", name="Soutenir"))
    expect(region).to_contain_text("1 soutien · dont le vôtre")
    button = region.get_by_role("button", name="Soutenir")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    assert page.evaluate(ACTIVE) == ["BUTTON", f"soutenir-proposition-{proposal.pk}", True]
    assert Axe().run(page).response["violations"] == []
    page.keyboard.press("Enter")
    expect(region).to_contain_text("Aucun soutien")
    expect(region.get_by_role("button", name="Soutenir")).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"
    assert csp_violations == []


def test_a_region_whose_control_had_no_id_takes_focus_itself(page, live_server):
    """When the pressed control has no counterpart in the new content, the region that
    changed takes focus (a point d'étape refused without JavaScript's help: the workspace)."""
    lead = UserFactory(role=Role.LEAD)
    commitment = CommitmentFactory(leads=[lead])
    browser_login(page, live_server, lead.email)
    page.goto(f"{live_server.url}/pilotage/engagements/{commitment.slug}/")
    _press_enter_on(page, page.get_by_role("button", name="Publier le point d'étape"))
    expect(page.locator("#espace-de-travail")).to_contain_text("Expliquez")
    tag, _id, connected = page.evaluate(ACTIVE)
    assert tag != "BODY" and connected
