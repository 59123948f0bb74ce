"""In a real Chromium: a person signs up accepting the terms of use, and is asked again
when a new version comes into force (issue 19, item 5); every page passes axe."""

import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from forum_ouvert.core import terms
from forum_ouvert.core.models import User

pytestmark = pytest.mark.browser
PASSWORD = "un-mot-de-passe-tres-long"


def test_sign_up_with_the_terms_then_accept_a_new_version(
    page, live_server, axe, csp_violations, monkeypatch
):
    """Sign-up is refused until the box is ticked; after a new version, the next page asks
    to accept it, says what changed, and goes back where the person was going."""
    page.goto(f"{live_server.url}/compte/signup/")
    page.get_by_label("Courriel").fill("conditions@exemple.fr")
    page.locator("#id_display_name").fill("Sacha")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("cochez la case")
    expect(page.locator("#id_display_name")).to_have_value("Sacha")
    axe(page)
    page.get_by_role("link", name="conditions générales d'utilisation", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conditions générales d'utilisation")
    expect(page.get_by_text("Version 1, en vigueur depuis le 4 décembre 2026.")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/compte/signup/")
    page.get_by_label("Courriel").fill("conditions@exemple.fr")
    page.locator("#id_display_name").fill("Sacha")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_accept_terms").check(force=True)
    page.get_by_role("button", name="Création de compte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérifiez votre adresse e-mail")
    link = re.search(r"https?://[^\s]+", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    user = User.objects.get(email="conditions@exemple.fr")
    assert user.terms_version == "1" and user.terms_accepted_at is not None

    # Version 2 comes into force (the server runs in this process: it sees it too).
    version = terms.TermsVersion(
        id="2",
        date=dt.date(2027, 1, 15),
        summary="Les contributions sont désormais conservées cinq ans après le plan.",
        template_name="core/terms/1.html",
    )
    monkeypatch.setattr(terms, "VERSIONS", (*terms.VERSIONS, version))
    page.goto(f"{live_server.url}/contributions/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accepter les conditions générales d'utilisation"
    )
    expect(page.get_by_text("Les contributions sont désormais conservées")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Accepter et continuer").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("cochez la case")
    axe(page)
    page.locator("#id_accept").check(force=True)
    page.get_by_role("button", name="Accepter et continuer").click()
    expect(page).to_have_url(f"{live_server.url}/contributions/")
    expect(page.get_by_text("vous avez accepté les conditions générales")).to_be_visible()
    axe(page)
    user.refresh_from_db()
    assert user.terms_version == "2"
    assert csp_violations == []
