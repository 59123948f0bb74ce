"""The Django admin (the DITP's technical back-office) in Chromium: its login page and the
pages staff use most pass axe with no violation of any impact (issue 20, item 7)."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_the_admin_login_page_has_a_heading_and_passes_axe(page, live_server, axe):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    axe(page)


def test_the_admin_pages_staff_use_pass_axe(page, live_server, axe, settings):
    admin = UserFactory(role=Role.ADMIN, is_superuser=True)
    other = UserFactory(role=Role.CITIZEN)
    client = Client()
    client.force_login(admin)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.session.session_key,
                "url": live_server.url,
            }
        ]
    )
    for path in (
        "/admin/",
        "/admin/core/user/",
        f"/admin/core/user/{other.pk}/change/",
        "/admin/core/auditlog/",
        "/admin/engagements/commitment/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        axe(page)
