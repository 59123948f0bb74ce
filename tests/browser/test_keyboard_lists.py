"""With the keyboard, on the public lists: an htmx filter keeps focus where the person is
and says the new count through the persistent live region; an htmx page change moves focus
to the results it drew, never to <body> (issue 20, items 3 and 4)."""

from __future__ import annotations

import pytest
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
