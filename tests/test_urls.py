"""Every view of the site states who may use it, and no navigation link is broken."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

THIRD_PARTY = ("allauth.", "django.contrib.admin", "mfa.")


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_project_view_states_its_access_rule():
    """No project URL is served by a view without an explicit access decorator."""
    missing = []
    for route, callback in _patterns():
        module = getattr(callback, "__module__", "") or ""
        if module.startswith(THIRD_PARTY) or module.startswith("django."):
            continue
        if not hasattr(callback, "access"):
            missing.append(f"{route} → {module}.{getattr(callback, '__name__', callback)}")
    assert missing == []


@pytest.mark.django_db
def test_no_link_of_the_layout_is_broken(client):
    """Every link of the header, navigation and footer answers (possibly « bientôt »)."""
    html = client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', html))
    assert len(links) > 10
    for link in sorted(links):
        response = client.get(link)
        assert response.status_code in (200, 302), link
