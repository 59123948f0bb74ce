"""Every page has its own <title>: two different pages never share one (RGAA 8.6, issue 20,
item 8). The pages are those the permission matrix visits, plus allauth's account pages."""

from __future__ import annotations

import html
import re
from collections import defaultdict

import pytest
from django.urls import reverse

from .conftest import ROLE_COLUMNS, request_as, resolve_kwargs
from .permission_matrix import MATRIX

#: The walk is long: scheduled first (tests/conftest.py), on one worker for both tests.
pytestmark = [pytest.mark.long, pytest.mark.xdist_group("page_titles")]

TITLE = re.compile(r"<title>(.*?)</title>", re.S)

#: allauth's pages, outside the matrix (``EXEMPT``), that a visitor reaches without a key.
ACCOUNT_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]


def _title(response) -> str | None:
    if response.status_code != 200 or response.streaming:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    found = TITLE.search(response.content.decode())
    return " ".join(html.unescape(found.group(1)).split()) if found else None


def _pages(world):
    """``(url, role)`` for every page the matrix expects a role to see (GET, 200)."""
    for case in MATRIX:
        if case.get is None:
            continue
        url = reverse(case.url, kwargs=resolve_kwargs(case.kwargs, world))
        for role, wanted in zip(ROLE_COLUMNS, case.get, strict=True):
            if wanted == 200:
                yield url, role
    for name in ACCOUNT_PAGES:
        yield reverse(name), None


@pytest.fixture(scope="module")
def titles(world, django_db_blocker) -> list[tuple[str, str | None]]:
    """``(url, title)`` of every page, read once for the module's tests."""
    with django_db_blocker.unblock():
        return [(url, _title(request_as(world, role, "get", url))) for url, role in _pages(world)]


@pytest.mark.django_db
def test_no_two_pages_share_a_title(titles):
    """A person with several tabs open, or a screen reader announcing the page, can tell
    each page from the others by its title alone."""
    urls_by_title: dict[str, set[str]] = defaultdict(set)
    for url, title in titles:
        if title is not None:
            urls_by_title[title].add(url)
    assert len(urls_by_title) > 50, "the walk reached the pages"
    shared = {title: sorted(urls) for title, urls in urls_by_title.items() if len(urls) > 1}
    assert shared == {}, "\n".join(f"{title} : {' '.join(urls)}" for title, urls in shared.items())


@pytest.mark.django_db
def test_no_title_repeats_the_site_name(titles):
    """The forum's index is not « Forum ouvert — Forum ouvert »."""
    assert len(titles) > 50, "the walk reached the pages"
    repeated = [(url, title) for url, title in titles if title == "Forum ouvert — Forum ouvert"]
    assert repeated == []
