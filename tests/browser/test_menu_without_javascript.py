"""Issue 20, item 2: below 992 px without JavaScript, the header's « Menu » button cannot
open its dialog; the main navigation and « Se connecter » must still be reachable from the
header. With JavaScript, the menu stays behind its button."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db
def test_without_javascript_the_header_menu_is_in_the_page(no_js_page, live_server):
    """(axe needs JavaScript in the page: it runs on the same header in the test below.)"""
    page = no_js_page
    page.goto(f"{live_server.url}/")
    header = page.locator("header")
    expect(header.get_by_role("button", name="Menu")).to_be_hidden()
    nav = header.get_by_role("navigation", name="Menu principal")
    expect(nav).to_be_visible()
    expect(header.get_by_role("link", name="Se connecter").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    nav.get_by_role("link", name="Engagements").click()
    expect(page).to_have_url(f"{live_server.url}/engagements/")


@pytest.mark.django_db
def test_with_javascript_the_menu_opens_from_its_button(page, live_server, axe):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/")
    assert [v["id"] for v in axe(page).response["violations"]] == []
    header = page.locator("header")
    nav = header.get_by_role("navigation", name="Menu principal")
    expect(nav).to_be_hidden()
    header.get_by_role("button", name="Menu").click()
    expect(nav).to_be_visible()
