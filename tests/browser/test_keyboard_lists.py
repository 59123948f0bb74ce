"""With the keyboard, on the public lists: an htmx filter keeps focus where the person is
and says the new count through the persistent live region; an htmx page change moves focus
to the results it drew, never to <body> (issue 20, items 3 and 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from engagements.models import CommitmentStatus
from tests.contributions.factories import ConsultationFactory, ContributionFactory
from tests.engagements.factories import CommitmentFactory

pytestmark = pytest.mark.browser


def test_filtering_commitments_keeps_focus_on_the_filter_and_says_the_count(page, live_server):
    CommitmentFactory(title="Engagement en cours", status=CommitmentStatus.LIMITED)
    CommitmentFactory(title="Engagement terminé", status=CommitmentStatus.COMPLETE, progress=100)
    page.goto(f"{live_server.url}/engagements/")
    page.evaluate("window.__sameDocument = true")
    status = page.locator("form[role=search] select[name=status]")
    status.focus()
    status.select_option(CommitmentStatus.COMPLETE)
    expect(page.get_by_text("Engagement en cours")).to_have_count(0)
    expect(page.locator("#fo-annonces")).to_contain_text("1 engagement")
    expect(status).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"


def test_the_next_page_of_contributions_takes_focus_to_the_results(page, live_server):
    consultation = ConsultationFactory()
    ContributionFactory.create_batch(25, consultation=consultation)
    page.goto(f"{live_server.url}/contributions/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Page suivante").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/contributions/?page=2")
    focus = page.evaluate(
        "() => { const a = document.activeElement;"
        " return [a.tagName, a.isConnected, document.getElementById('resultats').contains(a)"
        " || a.id === 'resultats']; }"
    )
    assert focus[0] != "BODY" and focus[1] and focus[2], focus
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"


def test_filtering_the_evidence_repository_keeps_focus_and_says_the_count(page, live_server):
    """The OGP repository's « Engagement » filter, chosen with the keyboard: the table
    shows that commitment's evidence only, focus stays on the filter, and the live region
    that was already on the page says the new count."""
    from tests.engagements.factories import EvidenceFactory

    first = CommitmentFactory(title="Ouvrir les données de la commande publique")
    second = CommitmentFactory(plan=first.plan, title="Publier les algorithmes publics")
    EvidenceFactory(commitment=first, title="Tableau de bord des marchés")
    EvidenceFactory(commitment=second, title="Inventaire des algorithmes")
    EvidenceFactory(commitment=second, title="Guide de transparence algorithmique")
    page.goto(live_server.url + reverse("engagements:repository"))
    page.evaluate("window.__sameDocument = true")
    live = page.locator("#fo-annonces")
    live.evaluate("e => { window.__liveRegion = e; }")
    select = page.locator("form[role=search] select[name=commitment]")
    select.focus()
    page.keyboard.press("ArrowDown")  # Chromium changes a focused closed <select> in place
    expect(page.get_by_text("Inventaire des algorithmes")).to_have_count(0)
    expect(page.get_by_text("Tableau de bord des marchés")).to_have_count(1)
    expect(live).to_have_text("1 justificatif")
    expect(select).to_be_focused()
    assert live.evaluate("e => e === window.__liveRegion"), "the same element, never swapped"
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"


def test_searching_contributions_with_the_keyboard_keeps_focus_in_the_field(page, live_server):
    """On a consultation, words typed in « Rechercher » and Enter: the results are those
    contributions, said by the live region, and focus stays in the field to type again."""
    consultation = ConsultationFactory()
    ContributionFactory(consultation=consultation, title="Un budget participatif régional")
    ContributionFactory(consultation=consultation, title="Des ateliers dans les lycées")
    page.goto(live_server.url + consultation.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    live = page.locator("#fo-annonces")
    field = page.locator("#contenu form input[name=q]")
    field.focus()
    page.keyboard.type("budget")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Des ateliers dans les lycées")).to_have_count(0)
    expect(live).to_have_text("1 contribution")
    expect(field).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"
