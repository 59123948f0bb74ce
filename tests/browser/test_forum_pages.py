"""In a real Chromium: the other pages of the Forum ouvert pass axe and the CSP, and
their forms work without JavaScript-only tricks (staff meetings, call set-up, an
applicant's edit and withdrawal)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum_ouvert.core.models import Departement, Region
from forum_ouvert.core.territories import load_territories
from tests.conftest import browser_login
from tests.factories import UserFactory
from tests.forum.factories import ApplicationFactory, CallFactory, MeetingFactory, MemberFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _territories(transactional_db):
    """Départements again: live-server tests flush the rows the data migration loaded."""
    load_territories(region_model=Region, departement_model=Departement)


@pytest.mark.long
def test_staff_pages_pass_axe(page, live_server, axe, csp_violations):
    """Staff create a call, add a collège, announce a meeting, publish minutes and mark
    attendance; every page passes axe."""
    staff = UserFactory(role="ditp", email="agent@exemple.fr")
    member = MemberFactory(organisation_name="Réseau des Communs")
    past = MeetingFactory(title="Séance d'automne", starts_at=timezone.now() - dt.timedelta(days=2))
    browser_login(page, live_server, staff.email)

    page.goto(f"{live_server.url}/pilotage/ami/")
    axe(page)
    page.get_by_role("link", name="Nouvel appel").click()
    axe(page)
    page.locator("#id_title").fill("AMI 2027")
    page.locator("#id_slug").fill("ami-2027")
    page.locator("#id_presentation").fill("Présentation.")
    page.locator("#id_eligibility").fill("Conditions.")
    page.locator("#id_opens_at").fill("2030-01-10T09:00")
    page.locator("#id_closes_at").fill("2030-01-05T09:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La clôture doit suivre l'ouverture")).to_be_visible()
    axe(page)
    page.locator("#id_closes_at").fill("2030-02-10T18:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AMI 2027")
    page.locator("#id_college-name").fill("Associations")
    page.locator("#id_college-seats").fill("10")
    page.get_by_role("button", name="Ajouter le collège").click()
    expect(page.get_by_text("« Associations » est enregistré")).to_be_visible()
    page.get_by_role("button", name="Programmer l'ouverture").click()
    expect(page.get_by_text("L'appel est maintenant « À venir »")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/pilotage/ami/forum/")
    axe(page)
    page.goto(f"{live_server.url}/pilotage/ami/seances/")
    axe(page)
    page.goto(f"{live_server.url}/pilotage/ami/seances/{past.pk}/")
    axe(page)
    page.locator("#id_minutes-text").fill("Le forum a examiné le bilan.")
    page.get_by_role("button", name="Publier le compte rendu").click()
    expect(page.get_by_text("Le compte rendu est publié")).to_be_visible()
    page.get_by_text(member.organisation_name).click()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Les présences sont enregistrées")).to_be_visible()
    axe(page)
    page.goto(f"{live_server.url}/forum/seances/{past.pk}/")
    expect(page.get_by_text("Le forum a examiné le bilan.")).to_be_visible()
    axe(page)
    assert past.attendances.filter(member=member).exists()
    assert csp_violations == []


def test_applicant_edit_and_withdraw_pass_axe(page, live_server, axe, csp_violations):
    """An applicant edits their submitted application, then withdraws it; the pages pass
    axe and errors are announced."""
    applicant = UserFactory(role="citoyen", email="camille@exemple.fr")
    application = ApplicationFactory(call=CallFactory(), applicant=applicant)
    browser_login(page, live_server, applicant.email)
    page.goto(f"{live_server.url}/mon-espace/candidatures/{application.pk}/")
    axe(page)
    page.get_by_role("link", name="Modifier").click()
    page.locator("#id_motivation").fill("")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient 1 erreur")
    axe(page)
    page.locator("#id_motivation").fill("Une motivation revue.")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_text("Vos modifications sont enregistrées")).to_be_visible()
    page.get_by_role("link", name="Retirer la candidature").click()
    axe(page)
    page.locator("label[for=id_confirm]").click()
    page.get_by_role("button", name="Retirer", exact=True).click()
    expect(page.get_by_text("Votre candidature est retirée")).to_be_visible()
    axe(page)
    assert csp_violations == []


def test_another_applicants_application_is_a_page_not_found(page, live_server, axe, csp_violations):
    """Someone else's application looks like an id that was never used: the site's French
    404 page (which passes axe), with nothing of the application on it."""
    owner = UserFactory(role="association", email="owner@exemple.fr")
    application = ApplicationFactory(
        call=CallFactory(), applicant=owner, organisation_name="Collectif Tournesol"
    )
    other = UserFactory(role="association", email="autre@exemple.fr")
    browser_login(page, live_server, other.email)
    for url in (f"/mon-espace/candidatures/{application.pk}/", "/mon-espace/candidatures/99999/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page non trouvée")
        expect(page.locator("main")).not_to_contain_text("Tournesol")
        axe(page)
    assert csp_violations == []
