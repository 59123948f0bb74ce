"""In Chromium: a form sent empty shows its error summary, which has focus, whose links lead
to the fields, and the page's title says « Erreur : » (issue 20, item 5; the summary is
core/_error_summary.html, the focus rule static/forum_ouvert/site.js)."""

import pytest
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from tests.conftest import browser_login
from tests.contributions.factories import ConsultationFactory
from tests.engagements.factories import CommitmentFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_form_sent_empty_focuses_its_error_summary(page, live_server, axe, csp_violations):
    """« Envoyer ma contribution » with nothing typed: the page comes back titled
    « Erreur : … », focus on « Le formulaire contient 2 erreurs », and the « Titre » link
    puts the cursor in the title field; axe finds no violation of any impact."""
    consultation = ConsultationFactory()
    browser_login(page, live_server, UserFactory(role=Role.CITIZEN).email)
    page.goto(f"{live_server.url}/contributions/{consultation.slug}/contribuer/")
    page.get_by_role("button", name="Envoyer ma contribution").click()
    summary = page.locator("#resume-erreurs")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("Le formulaire contient 2 erreurs")
    assert page.title().startswith("Erreur : Contribuer")
    results = axe(page)
    assert [v["id"] for v in results.response["violations"]] == []
    summary.get_by_role("link", name="Titre").click()
    expect(page.locator("#id_title")).to_be_focused()
    assert csp_violations == []


def test_an_htmx_form_refused_focuses_its_error_summary(page, live_server, csp_violations):
    """« Publier le point d'étape » pressed with nothing typed, in the workspace that htmx
    redraws: focus goes to the summary of the refused form, not to <body>."""
    lead = UserFactory(role=Role.LEAD)
    commitment = CommitmentFactory(leads=[lead])
    browser_login(page, live_server, lead.email)
    page.goto(f"{live_server.url}/pilotage/engagements/{commitment.slug}/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Publier le point d'étape").focus()
    page.keyboard.press("Enter")
    summary = page.locator("#espace-de-travail .fo-resume-erreurs")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_contain_text("Le formulaire contient")
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"
    assert csp_violations == []
