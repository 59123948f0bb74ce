"""In a real Chromium, against the real OpenID provider of the tests: a person presses the
ProConnect or FranceConnect button, logs in on the provider's own page, comes back logged
in, accepts the terms of use and finds the linked identity in « Mon compte »; axe on every
page of ours."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _provider_page(page, email: str, given_name: str, family_name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("fournisseur de test")
    page.locator("#login").fill(email)
    page.locator("#password").fill("mot-de-passe-du-fournisseur")
    page.locator("#given_name").fill(given_name)
    page.locator("#family_name").fill(family_name)
    page.get_by_role("button", name="Se connecter").click()


def _accept_the_terms(page, axe) -> None:
    """A first login by the provider ticked no box: the terms of use are asked first."""
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accepter les conditions générales d'utilisation"
    )
    axe(page)
    page.locator("#id_accept").check(force=True)
    page.get_by_role("button", name="Accepter et continuer").click()


def _see_identity_then_log_out(page, live_server, axe, provider_name: str, email: str) -> None:
    _accept_the_terms(page, axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe(page)
    page.goto(f"{live_server.url}/mon-espace/compte/")
    expect(page.get_by_role("heading", name="Identités reliées")).to_be_visible()
    expect(page.locator("#identites + ul")).to_contain_text(provider_name)
    expect(page.locator("#identites + ul")).to_contain_text(email)
    axe(page)
    # Logging out ends the provider's session too, then lands on the home page.
    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{provider_name} — se déconnecter"
    )
    page.get_by_role("button", name="Oui, me déconnecter").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/(\?.*)?$"))
    expect(page.get_by_text("Vous êtes déconnecté(e).")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    axe(page)


def test_proconnect_journey(page, live_server, axe, csp_violations, proconnect):
    """An agent logs in with ProConnect from the login page and sees the identity."""
    page.goto(f"{live_server.url}/compte/login/")
    axe(page)
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    _provider_page(page, "agent.chromium@ditp.gouv.fr", "Alix", "Dupont")
    _see_identity_then_log_out(page, live_server, axe, "ProConnect", "agent.chromium@ditp.gouv.fr")
    assert csp_violations == []


def test_franceconnect_journey(page, live_server, axe, csp_violations, franceconnect):
    """A citizen signs up with FranceConnect from the sign-up page and sees the identity."""
    page.goto(f"{live_server.url}/compte/signup/")
    axe(page)
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    _provider_page(page, "citoyenne.chromium@example.org", "Camille", "Martin")
    _see_identity_then_log_out(
        page, live_server, axe, "FranceConnect", "citoyenne.chromium@example.org"
    )
    assert csp_violations == []


def test_refusal_page_passes_axe(page, live_server, axe, proconnect):
    """The error page after a forged answer says what to do and passes axe."""
    proconnect.fault("id_token_other_key")
    page.goto(f"{live_server.url}/compte/login/")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    _provider_page(page, "refus.chromium@ditp.gouv.fr", "Alix", "Dupont")
    expect(page.get_by_role("heading", level=1)).to_have_text("La connexion n'a pas abouti")
    expect(page.get_by_role("link", name="Revenir à la page de connexion")).to_be_visible()
    axe(page)


def test_the_state_buttons(page, live_server, axe, csp_violations, proconnect, franceconnect):
    """On the login and sign-up pages: FranceConnect's DSFR button with its logo, ProConnect's
    with ProConnect's logo (from our static files: the page asks nothing of another site),
    a visible focus on each, and « Qu'est-ce que ProConnect ? » announced as opening a new
    window; axe passes."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    logo: list[int] = []
    page.on(
        "response",
        lambda r: logo.append(r.status) if r.url.endswith("/proconnect-logo.svg") else None,
    )
    for path in ("/compte/login/", "/compte/signup/"):
        page.goto(f"{live_server.url}{path}")
        pc = page.get_by_role("button", name="S’identifier avec ProConnect")
        fc = page.get_by_role("button", name="S’identifier avec FranceConnect")
        expect(pc).to_have_class("fr-connect fo-connect--proconnect")
        expect(fc).to_have_class("fr-connect")
        before = "el => getComputedStyle(el, '::before').backgroundImage"
        assert "/static/forum_ouvert/proconnect-logo.svg" in pc.evaluate(before)
        assert fc.evaluate(before).startswith('url("data:image/svg+xml')
        # The logo sits where the DSFR puts FranceConnect's, the words after it.
        box, words = pc.bounding_box(), pc.locator(".fr-connect__brand").bounding_box()
        assert words["x"] - box["x"] >= 60
        for button in (fc, pc):
            for _ in range(40):
                if button.evaluate("el => el === document.activeElement"):
                    break
                page.keyboard.press("Tab")
            outline = button.evaluate(
                "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]"
            )
            assert outline[0] != "none" and outline[1] != "0px", outline
        about = page.get_by_role("link", name="Qu’est-ce que ProConnect ? - nouvelle fenêtre")
        expect(about).to_have_attribute("target", "_blank")
        expect(about).to_have_attribute("href", "https://www.proconnect.gouv.fr/")
        expect(about).to_be_visible()
        axe(page)
    page.wait_for_load_state("networkidle")
    assert logo and set(logo) <= {200, 304}
    assert all(url.startswith((live_server.url, "data:")) for url in requested), requested
    assert csp_violations == []


@pytest.mark.parametrize("second_factor", [True, False])
def test_a_staff_agent_with_a_local_code(
    page, live_server, axe, csp_violations, make_user, proconnect, second_factor
):
    """A DITP agent who has a local TOTP logs in with ProConnect: with a second factor at
    ProConnect they reach « Pilotage » with no code asked here; with a password alone they
    are asked for their local code first, then reach it."""
    from tests.factories import totp_code

    staff = make_user("ditp")
    page.goto(f"{live_server.url}/compte/login/")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.locator("#amr").select_option("mfa" if second_factor else "pwd")
    with page.expect_navigation(timeout=30_000):
        _provider_page(page, staff.email, "Alix", "Dupont")
    if not second_factor:
        expect(page).to_have_url(f"{live_server.url}/compte/2fa/authenticate/")
        axe(page)
        page.locator("#id_code").fill(totp_code())
        with page.expect_navigation(timeout=30_000):
            page.locator("form:has(#id_code) button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile("/compte/2fa/"))
    page.goto(f"{live_server.url}/pilotage/")
    expect(page).to_have_url(f"{live_server.url}/pilotage/")
    axe(page)
    assert csp_violations == []
