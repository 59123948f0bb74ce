"""In a real Chromium (issue 19, items 7 to 9): a third report hides a contribution pending
review; its author reads the statement of reasons in « Mon espace » and contests it; staff
restore it from the queue. Staff block a person, who can read but not comment, then unblock
them. axe on every page."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from participation.contributions import services
from participation.contributions.models import PublicationStatus, Statement
from tests.conftest import browser_login
from tests.contributions.factories import ContributionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def _switch(page, live_server, user):
    page.context.clear_cookies()
    browser_login(page, live_server, user.email)


def test_reports_hide_then_the_author_contests(page, live_server, axe, csp_violations):
    """Two reports, then a third in the browser: the contribution is replaced by a public
    notice; the author reads why and contests; staff restore it and the author is told."""
    author = UserFactory(role=Role.CITIZEN)
    contribution = ContributionFactory(author=author, title="Ouvrir les données des marchés")
    for _i in range(2):
        services.report_create(
            reporter=UserFactory(role=Role.CITIZEN), contribution=contribution, reason="spam"
        )
    base = live_server.url

    # A third person reports it: hidden pending review, with a public notice.
    _switch(page, live_server, UserFactory(role=Role.CITIZEN))
    page.goto(f"{base}{contribution.get_absolute_url()}")
    page.get_by_role("link", name="Signaler", exact=True).click()
    page.get_by_label("Motif du signalement").select_option("spam")
    axe(page)
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_text("dans l'attente d'un examen par la modération")).to_be_visible()
    expect(page.get_by_text(contribution.body)).to_have_count(0)
    axe(page)
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.HIDDEN

    # The author finds the statement of reasons in « Mon espace » and contests it.
    _switch(page, live_server, author)
    page.goto(f"{base}/mon-espace/")
    page.get_by_role("link", name="Décisions de modération sur mes contenus").click()
    axe(page)
    page.get_by_role("link", name=contribution.title, exact=True).click()
    expect(page.get_by_text("Pas de publicité ni de contenu répété")).to_be_visible()
    page.get_by_role("button", name="Envoyer ma contestation").click()
    expect(page.locator(".fo-resume-erreurs")).to_be_focused()
    axe(page)
    page.get_by_label("Pourquoi contestez-vous cette décision ?").fill(
        "Ce n'est pas une publicité : je cite un rapport public."
    )
    page.get_by_role("button", name="Envoyer ma contestation").click()
    expect(page.get_by_text("Votre contestation est transmise")).to_be_visible()
    expect(page.get_by_text("en cours d'examen")).to_be_visible()
    axe(page)

    # Staff answer the contest from the queue: the content is restored.
    _switch(page, live_server, UserFactory(role=Role.STAFF))
    page.goto(f"{base}/pilotage/contributions/moderation/")
    expect(page.get_by_role("heading", name="1 contestation à examiner")).to_be_visible()
    axe(page)
    page.locator("a[href*='/contestations/']").click()
    page.get_by_text("Contenu rétabli").click()
    page.get_by_label("Explication envoyée à l'auteur").fill("Vous avez raison.")
    axe(page)
    page.get_by_role("button", name="Enregistrer la réponse et prévenir l'auteur").click()
    expect(page.get_by_text("La réponse est enregistrée")).to_be_visible()
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.PUBLISHED
    statement = Statement.objects.get()
    assert statement.outcome == "retablie"
    bodies = [m.body for m in mail.outbox if m.to == [author.email]]
    assert any("Règle concernée" in b for b in bodies)
    assert any("Vous avez raison." in b for b in bodies)
    assert not csp_violations


def test_block_and_unblock(page, live_server, axe, csp_violations):
    """Staff block a person with a reason; the person reads a contribution but their
    comment is refused with the reason shown; staff unblock them and they comment."""
    person = UserFactory(role=Role.CITIZEN)
    contribution = ContributionFactory(title="Plus de budgets participatifs")
    base = live_server.url
    block_url = f"{base}/pilotage/contributions/personnes/{person.pk}/blocage/"

    _switch(page, live_server, UserFactory(role=Role.STAFF))
    page.goto(block_url)
    page.get_by_role("button", name="Bloquer cette personne").click()
    expect(page.locator(".fo-resume-erreurs")).to_be_focused()
    axe(page)
    page.get_by_label("Motif du blocage").fill("Messages injurieux répétés")
    page.get_by_role("button", name="Bloquer cette personne").click()
    expect(page.get_by_text("Bloquée sans limite de durée")).to_be_visible()
    axe(page)

    _switch(page, live_server, person)
    page.goto(f"{base}{contribution.get_absolute_url()}")
    page.get_by_label("Votre commentaire").fill("Je ne suis pas d'accord.")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.locator(".fo-resume-erreurs")).to_contain_text("Votre compte est bloqué")
    expect(page.get_by_label("Votre commentaire")).to_have_value("Je ne suis pas d'accord.")
    axe(page)

    _switch(page, live_server, UserFactory(role=Role.STAFF))
    page.goto(block_url)
    page.get_by_label("Motif du déblocage").fill("Échange avec la personne")
    page.get_by_role("button", name="Débloquer").click()
    expect(page.get_by_text("La personne est débloquée.")).to_be_visible()
    axe(page)

    _switch(page, live_server, person)
    page.goto(f"{base}{contribution.get_absolute_url()}")
    page.get_by_label("Votre commentaire").fill("Je ne suis pas d'accord.")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.get_by_text("Votre commentaire est publié.")).to_be_visible()
    assert not csp_violations
