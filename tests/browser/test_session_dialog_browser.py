"""The staff session dialog in Chromium: it opens before the idle timeout, passes axe, keeps
the session on « Rester connecté » and gives focus back; left alone, the session ends on the
login page, which says why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from tests.conftest import browser_login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_the_dialog_opens_before_the_timeout_and_keeps_the_session(
    page, live_server, settings, axe, csp_violations
):
    staff = UserFactory(role=Role.STAFF)
    browser_login(page, live_server, staff.email)
    settings.STAFF_SESSION_IDLE_TIMEOUT = 123  # the dialog opens 3 s after the page loads
    page.goto(f"{live_server.url}/pilotage/")
    search = page.locator("main a").first
    search.focus()
    dialog = page.get_by_role("dialog", name="Votre session va bientôt expirer")
    expect(dialog).to_be_visible(timeout=8000)
    expect(dialog).to_contain_text("après 2 minutes 3 secondes sans activité")
    assert page.evaluate("document.getElementById('fo-session').contains(document.activeElement)")
    axe(page)
    with page.expect_response(lambda r: r.url.endswith("/pilotage/session/")) as answer:
        dialog.get_by_role("button", name="Rester connecté").click()
    assert answer.value.status == 204
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement !== document.body")
    assert csp_violations == []


def test_left_alone_the_session_ends_on_the_login_page(page, live_server, settings):
    staff = UserFactory(role=Role.STAFF)
    browser_login(page, live_server, staff.email)
    settings.STAFF_SESSION_IDLE_TIMEOUT = 3
    page.goto(f"{live_server.url}/pilotage/")
    expect(page).to_have_url(f"{live_server.url}/compte/login/?next=/pilotage/", timeout=12000)
    expect(page.get_by_text("Votre session a expiré après 3 secondes d'inactivité")).to_be_visible()
