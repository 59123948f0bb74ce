"""In Chromium: what htmx swaps in is announced through the page's persistent live region
(issue 20, item 4; #fo-annonces in base.html, filled by static/forum_ouvert/site.js)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from tests.conftest import browser_login
from tests.engagements.factories import CommitmentFactory
from tests.factories import UserFactory
from tests.workshops.factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.browser


def test_a_filtered_count_is_said_by_the_live_region_already_on_the_page(page, live_server):
    """Choosing a département on « Ateliers »: the new count is said by the live region that
    was there before the swap (a status inside the swapped results is not announced)."""
    WorkshopFactory(title="Atelier lyonnais")
    WorkshopFactory(title="Atelier lillois", departement_id="59")
    page.goto(f"{live_server.url}/ateliers/")
    live = page.locator("#fo-annonces")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_have_text("")
    live.evaluate("e => { window.__liveRegion = e; }")
    page.get_by_label("Département").select_option("59")
    expect(page.get_by_text("Atelier lyonnais")).to_have_count(0)
    expect(live).to_have_text("1 atelier")
    assert live.evaluate("e => e === window.__liveRegion"), "the same element, never swapped"


def test_following_is_said_by_the_live_region(page, live_server):
    """After « Suivre cet engagement », « Vous recevez un e-mail à chaque changement. » is
    said by the page's live region."""
    commitment = CommitmentFactory()
    browser_login(page, live_server, UserFactory(role=Role.CITIZEN).email)
    page.goto(live_server.url + commitment.get_absolute_url())
    page.get_by_role("button", name="Suivre cet engagement").click()
    expect(page.locator("#fo-annonces")).to_have_text("Vous recevez un e-mail à chaque changement.")


def test_an_out_of_band_counter_is_said_by_the_live_region(page, live_server):
    """Staff tick a person present: the counter, swapped out of band beside the row, is
    said by the page's live region."""
    workshop = WorkshopFactory(
        starts_at=timezone.now() - timedelta(minutes=15),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    RegistrationFactory(workshop=workshop, user=UserFactory(display_name="Dominique Présente"))
    RegistrationFactory(workshop=workshop)
    browser_login(page, live_server, UserFactory(role=Role.STAFF).email)
    page.goto(f"{live_server.url}/pilotage/ateliers/{workshop.slug}/presences/")
    page.get_by_role("button", name="Présent·e : Dominique Présente").click()
    expect(page.locator("#fo-annonces")).to_contain_text("1 personne présente sur 2")
