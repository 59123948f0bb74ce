"""DITP staff are warned before their idle session ends, and may stay logged in (issue 19,
item 14): the dialog says the real timeout, « Rester connecté » restarts the count."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from forum_ouvert.core.choices import Role
from forum_ouvert.core.middleware import _activity_key


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.LEAD])
def test_staff_pages_carry_the_dialog_with_the_real_timeout(client_for, settings, role):
    """Staff and commitment leads, whose sessions end after an idle time (issue 17, item 4)."""
    settings.STAFF_SESSION_IDLE_TIMEOUT = 45 * 60
    client, _staff = client_for(role)
    html = client.get("/pilotage/").content.decode()
    assert 'id="fo-session"' in html and 'data-fo-idle="2700"' in html
    assert 'data-fo-warning="120"' in html
    assert "après 45 minutes sans activité" in html and "Elle expirera dans 2 minutes" in html
    assert "Rester connecté" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, Role.CITIZEN, Role.ASSOCIATION])
def test_people_whose_session_has_no_idle_timeout_get_no_dialog(client_for, role):
    client, _user = client_for(role)
    assert 'id="fo-session"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_staying_logged_in_restarts_the_idle_count(client_for, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 60
    client, _staff = client_for(Role.STAFF)
    client.get("/pilotage/")
    key = _activity_key(type("R", (), {"session": client.session})())
    cache.set(key, cache.get(key) - 50, 3600)  # 50 s idle: 10 s left
    before = cache.get(key)
    response = client.post("/pilotage/session/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert cache.get(key) > before + 40
    # Without JavaScript the form posts and goes back to the page; never to another site.
    response = client.post("/pilotage/session/", {"next": "/pilotage/rapports/"})
    assert response.status_code == 302 and response["Location"] == "/pilotage/rapports/"
    response = client.post("/pilotage/session/", {"next": "https://exemple.com/"})
    assert response["Location"] == "/pilotage/"
