"""With the keyboard, in the back-office: after each htmx answer, focus is on the control
that changed or on the error summary or the region the answer drew, never lost on <body>;
and what the answer says is repeated in the page's persistent live region (issue 20,
items 3 and 4; the rule is in static/forum_ouvert/site.js)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from tests.conftest import browser_login
from tests.contributions.factories import ContributionFactory, ReportFactory
from tests.engagements.factories import CommitmentFactory
from tests.factories import UserFactory
from tests.forum.factories import CallFactory, bulk_applications
from tests.workshops.factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.browser

FOCUS = """() => {
  const a = document.activeElement;
  return {tag: a.tagName, id: a.id, connected: a.isConnected, text: (a.textContent || "").trim(),
          summary: a.classList.contains("fo-resume-erreurs")};
}"""


def _press_enter_on(page, control):
    page.evaluate("window.__sameDocument = true")
    control.focus()
    page.keyboard.press("Enter")


def _focus_inside(page, region_id: str) -> bool:
    return page.evaluate(f"document.getElementById('{region_id}').contains(document.activeElement)")


def _not_reloaded(page):
    assert page.evaluate("window.__sameDocument") is True, "swapped by htmx, not reloaded"


@pytest.mark.parametrize(
    "button, form",
    [("Ajouter le jalon", "#form-jalon"), ("Ajouter le justificatif", "#form-justificatif")],
)
def test_a_lead_s_refused_form_focuses_its_error_summary(page, live_server, button, form):
    """« Ajouter le jalon » / « Ajouter le justificatif » sent empty with Enter: the error
    summary of the redrawn workspace has focus, and links to the fields."""
    lead = UserFactory(role=Role.LEAD)
    commitment = CommitmentFactory(leads=[lead])
    browser_login(page, live_server, lead.email)
    page.goto(f"{live_server.url}/pilotage/engagements/{commitment.slug}/")
    _press_enter_on(page, page.locator(form).get_by_role("button", name=button))
    summary = page.locator(f"#espace-de-travail {form} .fo-resume-erreurs")
    expect(summary).to_be_focused()
    assert summary.locator("a[href^='#']").count() >= 1
    _not_reloaded(page)


def test_ticking_someone_present_keeps_focus_on_their_button(page, live_server):
    """« Présent·e : … » pressed with Enter on the attendance sheet: their row is redrawn,
    the button (now pressed) keeps focus, and the new count is said."""
    workshop = WorkshopFactory(
        starts_at=timezone.now() - timedelta(minutes=15),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    registration = RegistrationFactory(
        workshop=workshop, user=UserFactory(display_name="Camille Présente")
    )
    RegistrationFactory(workshop=workshop)
    browser_login(page, live_server, UserFactory(role=Role.STAFF).email)
    page.goto(f"{live_server.url}/pilotage/ateliers/{workshop.slug}/presences/")
    _press_enter_on(page, page.get_by_role("button", name="Présent·e : Camille Présente"))
    button = page.get_by_role("button", name="Présent·e : Camille Présente")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    assert page.evaluate(FOCUS)["id"] == f"present-{registration.pk}"
    expect(page.locator("#fo-annonces")).to_contain_text("1 personne présente sur 2")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Absent·e : Camille Présente")).to_be_focused()
    _not_reloaded(page)


def test_moderating_with_the_keyboard_keeps_focus_in_the_queue(page, live_server):
    """A reported contribution ticked with Space, « Masquer » chosen, a rule and a reason, then
    Enter on « Appliquer à la sélection »: the queue is redrawn with focus inside it, and
    its message is said."""
    contribution = ContributionFactory(title="Contribution signalée")
    ReportFactory(contribution=contribution)
    browser_login(page, live_server, UserFactory(role=Role.STAFF).email)
    page.goto(f"{live_server.url}/pilotage/contributions/moderation/")
    page.locator(f"#choix-contribution-{contribution.pk}").focus()
    page.keyboard.press("Space")
    page.get_by_label("Action").select_option("hide")
    page.get_by_label("Règle concernée (obligatoire pour masquer)").select_option("injurieux")
    page.get_by_label("Motif (obligatoire pour masquer)").fill("Propos injurieux")
    _press_enter_on(page, page.get_by_role("button", name="Appliquer à la sélection"))
    expect(page.locator("#fo-annonces")).to_contain_text("traité")
    focus = page.evaluate(FOCUS)
    assert focus["connected"] and focus["tag"] != "BODY", focus
    assert page.evaluate(
        "document.getElementById('file-moderation').contains(document.activeElement)"
    )
    _not_reloaded(page)


def test_a_refused_moderation_keeps_the_ticks_and_focuses_the_summary(page, live_server):
    """« Masquer » without a reason: the summary has focus, the tick is still there."""
    contribution = ContributionFactory()
    ReportFactory(contribution=contribution)
    browser_login(page, live_server, UserFactory(role=Role.STAFF).email)
    page.goto(f"{live_server.url}/pilotage/contributions/moderation/")
    page.locator(f"#choix-contribution-{contribution.pk}").focus()
    page.keyboard.press("Space")
    page.get_by_label("Action").select_option("hide")
    _press_enter_on(page, page.get_by_role("button", name="Appliquer à la sélection"))
    expect(page.locator("#file-moderation .fo-resume-erreurs")).to_be_focused()
    expect(page.locator(f"#choix-contribution-{contribution.pk}")).to_be_checked()
    _not_reloaded(page)


def test_a_refused_inline_hide_focuses_its_summary_and_keeps_the_rule(page, live_server, axe):
    """On a contribution's page, « Masquer » with a rule and no reason: the inline form is
    swapped back with its error summary focused, the rule still chosen, the reason named as
    missing, and no accessibility violation (issue 19, item 10)."""
    contribution = ContributionFactory(title="Contribution à masquer")
    browser_login(page, live_server, UserFactory(role=Role.STAFF).email)
    page.goto(f"{live_server.url}{contribution.get_absolute_url()}")
    form = page.locator(f"#moderer-contribution-{contribution.pk}")
    form.get_by_label("Règle concernée (obligatoire pour masquer)").select_option("injurieux")
    _press_enter_on(page, form.get_by_role("button", name="Masquer"))
    summary = page.locator(f"#moderer-contribution-{contribution.pk} .fo-resume-erreurs")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Motif (obligatoire pour masquer)")
    rule = page.locator(f"#moderer-contribution-{contribution.pk}").get_by_label(
        "Règle concernée (obligatoire pour masquer)"
    )
    expect(rule).to_have_value("injurieux")
    _not_reloaded(page)
    axe(page)
    summary.get_by_role("link", name="Motif (obligatoire pour masquer)").click()
    expect(
        page.locator(f"#moderer-contribution-{contribution.pk}").get_by_label(
            "Motif (obligatoire pour masquer)"
        )
    ).to_be_focused()


def test_the_application_queue_with_the_keyboard(page, live_server):
    """Filtering the AMI queue with Enter keeps focus on « Filtrer » and says the count;
    assigning the ticked applications keeps focus in the results and says what was done."""
    call = CallFactory(review=True, colleges=[("Associations", 2)])
    first, _second = bulk_applications(call, 2)
    reviewer = UserFactory(role=Role.STAFF, display_name="Évaluatrice Une")
    browser_login(page, live_server, UserFactory(role=Role.STAFF).email)
    page.goto(f"{live_server.url}/pilotage/ami/candidatures/")
    _press_enter_on(page, page.get_by_role("button", name="Filtrer"))
    expect(page.locator("#fo-annonces")).to_contain_text("2 candidatures")
    expect(page.get_by_role("button", name="Filtrer")).to_be_focused()
    page.locator(f"#selection-{first.pk}").focus()
    page.keyboard.press("Space")
    page.get_by_label("Action groupée").select_option("assigner")
    page.get_by_label("Évaluateur·rice à assigner").select_option(str(reviewer.pk))
    _press_enter_on(page, page.get_by_role("button", name="Appliquer"))
    expect(page.locator("#fo-annonces")).to_contain_text("assignée")
    focus = page.evaluate(FOCUS)
    assert focus["connected"] and focus["tag"] != "BODY", focus
    assert page.evaluate(
        "document.getElementById('queue-results').contains(document.activeElement)"
    )
    _not_reloaded(page)
