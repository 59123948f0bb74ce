"""In Chromium, in English: home → plan → a commitment → its history, switching language
on the way and landing on the same page in the other language; axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from engagements.models import JournalEntry
from tests.engagements.factories import (
    AxisFactory,
    CommitmentFactory,
    MilestoneFactory,
    PlanFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def commitment(db):
    plan = PlanFactory(title_en="National Action Plan for Open Government 2024-2026")
    axis = AxisFactory(plan=plan, number=1, title="Participation citoyenne")
    commitment = CommitmentFactory(
        plan=plan,
        axis=axis,
        title="Instituer le Forum ouvert",
        title_en="Establish the open government forum",
        problem="Le dialogue n'est pas institutionnalisé.",
    )
    MilestoneFactory(commitment=commitment, deliverable="Séance d'installation")
    JournalEntry.objects.create(
        commitment=commitment,
        field="status",
        field_label="État",
        old_value="Non commencé",
        new_value="Limité",
        justification="Appel à candidatures lancé.",
    )
    return commitment


def choose(page, language: str):
    """The header's language selector: its button opens the menu, then the language."""
    header = page.locator(".fr-header__tools-links .fr-translate")
    header.get_by_role("button").click()
    header.get_by_role("link", name=language).click()


def test_english_journey_and_language_switch(page, live_server, axe, csp_violations, commitment):
    """An English reader goes through the plan to a commitment's history, switches to
    French on that page and back, and each switch lands on the same page."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    choose(page, "EN - English")
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Open government, monitored and built with you"
    )
    axe(page)

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="The plan").click()
    expect(page).to_have_url(re.compile(r"/en/plans/"))
    axe(page)
    page.goto(f"{live_server.url}/en/plans/{commitment.plan.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "National Action Plan for Open Government 2024-2026"
    )
    axe(page)

    page.get_by_role("link", name=re.compile("Establish the open government forum")).click()
    expect(page).to_have_url(f"{live_server.url}/en/engagements/{commitment.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Establish the open government forum")
    # The French text without English is said in French, and marked.
    expect(page.locator('[lang="fr"]', has_text="Le dialogue")).to_be_visible()
    history = page.locator("#historique")
    expect(page.get_by_role("heading", name="History of changes")).to_be_visible()
    expect(history).to_contain_text("Status")
    expect(history).to_contain_text("Appel à candidatures lancé.")
    axe(page)

    choose(page, "FR - Français")
    expect(page).to_have_url(f"{live_server.url}/engagements/{commitment.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Instituer le Forum ouvert")
    expect(page.get_by_role("heading", name="Historique des changements")).to_be_visible()
    axe(page)

    choose(page, "EN - English")
    expect(page).to_have_url(f"{live_server.url}/en/engagements/{commitment.slug}/")
    # The choice is remembered: a French address of a translated page opens in English.
    page.goto(f"{live_server.url}/engagements/")
    expect(page).to_have_url(f"{live_server.url}/en/engagements/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe(page)
    assert csp_violations == []
