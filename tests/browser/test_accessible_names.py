"""In Chromium: fields and buttons are named by what they say, nothing more (issue 20, item 6)."""

import re

import pytest
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from tests.conftest import browser_login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

FOLLOWS = "(a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)"


def _password_named_alone_with_reset_link_after(page):
    field = page.locator("#id_password")
    expect(field).to_have_accessible_name("Mot de passe")
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_count(1)
    link = page.get_by_role("link", name="Mot de passe oublié ?")
    expect(link).to_be_visible()
    assert field.evaluate(FOLLOWS, link.element_handle()), "the link comes after the field"
    assert field.get_attribute("aria-describedby") is None


def test_login_password_is_named_mot_de_passe_and_the_reset_link_follows(page, live_server):
    """On the login page the password field is called « Mot de passe », and the
    « Mot de passe oublié ? » link is shown right after it."""
    page.goto(f"{live_server.url}/compte/login/")
    _password_named_alone_with_reset_link_after(page)


def test_reauthentication_password_is_named_mot_de_passe(page, live_server):
    """Confirming one's password before a sensitive act: the field is « Mot de passe »."""
    citizen = UserFactory(role=Role.CITIZEN)
    browser_login(page, live_server, citizen.email)
    page.goto(f"{live_server.url}/compte/reauthenticate/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _password_named_alone_with_reset_link_after(page)


def test_signup_password_rules_describe_the_field_without_naming_it(page, live_server):
    """On sign-up the password field is called « Mot de passe »; its rules are still shown
    and read as the field's description."""
    page.goto(f"{live_server.url}/compte/signup/")
    field = page.locator("#id_password1")
    expect(field).to_have_accessible_name("Mot de passe")
    expect(field).to_have_accessible_description(re.compile("caractères"))
    rules = page.locator("#id_password1_helptext")
    expect(rules).to_be_visible()
    assert "caractères" in rules.inner_text()


def test_new_workshop_button_shows_its_words(page, live_server):
    """On « Pilotage des ateliers », the button reads « Nouvel atelier », not only « + »."""
    staff = UserFactory(role=Role.STAFF)
    browser_login(page, live_server, staff.email)
    page.goto(f"{live_server.url}/pilotage/ateliers/")
    button = page.get_by_role("link", name="Nouvel atelier", exact=True)
    expect(button).to_be_visible()
    clipped = button.evaluate("e => e.scrollWidth > e.clientWidth || e.clientWidth < 80")
    assert not clipped, "the button's words are cut off"
