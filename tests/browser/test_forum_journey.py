"""In a real Chromium: an association applies with an attachment, staff score and retain
it, results are published, and the association appears on /forum/ (axe on each page)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from forum_ouvert.core.models import Departement, Region
from forum_ouvert.core.territories import load_territories
from tests.conftest import browser_login
from tests.factories import UserFactory
from tests.forum.factories import PDF_BYTES, CallFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _territories(transactional_db):
    """Départements again: live-server tests flush the rows the data migration loaded."""
    load_territories(region_model=Region, departement_model=Departement)


ORGANISATION = "Association Voix Citoyennes"


def _logout(page):
    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()


def test_an_association_applies_and_becomes_a_member(
    page, live_server, axe, csp_violations, tmp_path, settings
):
    """The whole AMI journey works in a browser, and every page passes axe."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call = CallFactory(title="Appel à manifestation d'intérêt 2026")
    association = UserFactory(role="association", email="asso@exemple.fr")
    staff = UserFactory(role="ditp", email="agent@exemple.fr", display_name="Agent DITP")
    statuts = tmp_path / "statuts.pdf"
    statuts.write_bytes(PDF_BYTES)

    # The association applies.
    browser_login(page, live_server, association.email)
    page.goto(f"{live_server.url}/forum/ami/")
    axe(page)
    page.get_by_role("link", name=call.title).click()
    axe(page)
    page.get_by_role("link", name="Candidater").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidater")
    axe(page)
    page.locator("#id_organisation_name").fill(ORGANISATION)
    page.locator("#id_legal_form").select_option("association")
    page.locator("#id_rna_number").fill("W33 123 4567")
    page.locator("#id_departement").select_option("33")
    page.locator("#id_contact_name").fill("Inès Martin")
    page.locator("#id_college").select_option(label="Associations")
    page.locator("#id_motivation").fill("Suivre le plan d'action et porter la voix des quartiers.")
    page.locator("#id_experience").fill("Budgets participatifs et ateliers de données ouvertes.")
    page.locator("#id_attachments").set_input_files(str(statuts))
    page.locator("label[for=id_accepts_accuracy]").click()
    page.locator("label[for=id_accepts_privacy]").click()
    page.get_by_role("button", name="Déposer ma candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(page.get_by_text("Votre candidature est déposée")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("statuts.pdf"))).to_be_visible()
    axe(page)
    page.goto(f"{live_server.url}/mon-espace/candidatures/")
    axe(page)
    _logout(page)

    # Staff close the call, start the review, score and retain the application.
    browser_login(page, live_server, staff.email)
    page.goto(f"{live_server.url}/pilotage/ami/appels/{call.slug}/")
    axe(page)
    page.get_by_role("button", name="Clore maintenant").click()
    expect(page.get_by_text("L'appel est maintenant « Clos »")).to_be_visible()
    page.get_by_role("button", name="Commencer l'examen").click()
    expect(page.get_by_text("L'appel est maintenant « En examen »")).to_be_visible()

    page.goto(f"{live_server.url}/pilotage/ami/candidatures/")
    axe(page)
    page.locator("#id_q").fill("voix citoyennes")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"q=voix(%20|\+)citoyennes"))  # htmx pushed the filters
    expect(page.locator("#queue-count")).to_contain_text("1 candidature")
    page.get_by_role("link", name=ORGANISATION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    axe(page)
    page.locator("label[for=id_review-no_conflict]").click()
    first, second = call.criteria.order_by("order")
    page.locator(f"#id_review-criterion_{first.pk}").fill("5")
    page.locator(f"#id_review-criterion_{second.pk}").fill("8")
    page.get_by_role("button", name="Enregistrer mon évaluation").click()
    expect(page.get_by_text("Votre évaluation est enregistrée")).to_be_visible()
    expect(page.locator(".fo-stat")).to_have_text("18,67")  # 20 × (2×5/5 + 1×8/10) / 3
    page.locator("label[for=id_decision-decision_0]").click()
    page.locator("#id_decision-message").fill("Votre expérience des quartiers est précieuse.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("La décision est enregistrée")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/pilotage/ami/appels/{call.slug}/")
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_text("L'appel est maintenant « Résultats publiés »")).to_be_visible()
    axe(page)

    # The association is a public member of the forum.
    page.goto(f"{live_server.url}/forum/")
    members = page.locator("#membres + p + div")
    expect(members).to_contain_text("Associations")
    expect(members).to_contain_text(ORGANISATION)
    axe(page)

    subjects = [m.subject for m in mail.outbox]
    assert any("Candidature reçue" in s for s in subjects)
    assert any("Décision sur votre candidature" in s for s in subjects)
    assert csp_violations == []
