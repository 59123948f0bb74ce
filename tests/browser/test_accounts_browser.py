"""In a real Chromium: a person signs up, confirms, logs in, logs out and resets a password."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "un-mot-de-passe-tres-long"


def _link(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)


def test_account_journey_in_chromium(page, live_server, axe, csp_violations):
    """The whole account journey works in a browser, and every page passes axe."""
    page.goto(f"{live_server.url}/")
    axe(page)
    page.get_by_role("link", name="Créer un compte").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Création de compte")
    axe(page)
    page.get_by_label("Courriel").fill("chromium@exemple.fr")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_display_name").fill("Dominique")
    page.locator("#id_accept_terms").check(force=True)
    page.get_by_role("button", name="Création de compte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérifiez votre adresse e-mail")
    axe(page)

    confirm_url = _link(mail.outbox[-1]).replace("http://testserver", live_server.url)
    confirm_url = re.sub(r"^https?://[^/]+", live_server.url, confirm_url)
    page.goto(confirm_url)
    axe(page)
    page.get_by_role("button", name="Confirmer").click()
    # Confirming the address logs the person in (no second password entry).
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.get_by_role("button", name="Se déconnecter").first.click()

    page.goto(f"{live_server.url}/compte/login/")
    axe(page)
    page.get_by_label("Courriel").fill("chromium@exemple.fr")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe(page)

    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()

    page.goto(f"{live_server.url}/compte/password/reset/")
    axe(page)
    page.get_by_label("Courriel").fill("chromium@exemple.fr")
    page.get_by_role("button", name="Réinitialiser mon mot de passe").click()
    axe(page)
    reset_url = re.sub(r"^https?://[^/]+", live_server.url, _link(mail.outbox[-1]))
    page.goto(reset_url)
    axe(page)
    page.locator("#id_password1").fill("encore-un-autre-mot-de-passe")
    page.locator("#id_password2").fill("encore-un-autre-mot-de-passe")
    page.get_by_role("button", name="Modifier le mot de passe").click()
    axe(page)
    assert csp_violations == []
