"""The site in French (unprefixed, as before) and in English (/en/): the language of a page
is its URL's, the selector and the hreflang alternates name its twin, the choice is kept."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from forum_ouvert.core.choices import Role
from forum_ouvert.core.i18n import unprefixed_path
from tests.core.test_pagecache import commit
from tests.engagements.factories import CommitmentFactory, PlanFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def commitment():
    plan = PlanFactory(is_current=True)
    return CommitmentFactory(plan=plan, title="Ouvrir les algorithmes publics")


def html_lang(response) -> str:
    return re.search(r'<html lang="([a-z-]+)"', response.text).group(1)


def test_french_urls_are_unchanged_and_french(client, commitment):
    """The French pages keep their URLs and say lang="fr"."""
    response = client.get(f"/engagements/{commitment.slug}/")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert response["Content-Language"] == "fr"


def test_english_twin_under_en(client, commitment):
    """The same page under /en/ says lang="en" and its links stay in English."""
    response = client.get(f"/en/engagements/{commitment.slug}/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert 'href="/en/engagements/"' in response.text


def test_accept_language_does_not_change_a_french_url(client):
    """A browser asking for English still gets the French page at a French URL (a page is
    the same for every visitor of its URL, which the page cache relies on)."""
    response = client.get("/", headers={"accept-language": "en"})
    assert html_lang(response) == "fr"


def test_hreflang_alternates_name_both_versions(client, commitment):
    """Both versions of a page are linked with hreflang, French as x-default."""
    text = client.get(f"/en/engagements/{commitment.slug}/?page=2").text
    base = settings.SITE_URL.rstrip("/")
    path = f"/engagements/{commitment.slug}/?page=2"
    assert f'<link rel="alternate" hreflang="fr" href="{base}{path}">' in text
    assert f'<link rel="alternate" hreflang="en" href="{base}/en{path}">' in text
    assert f'<link rel="alternate" hreflang="x-default" href="{base}{path}">' in text


def test_pages_outside_the_prefix_have_no_english_twin(client):
    """The login page (OpenID Connect callbacks beside it) has one address, no alternates."""
    assert client.get("/en/compte/login/").status_code == 404
    response = client.get("/compte/login/")
    assert response.status_code == 200
    assert 'hreflang="en" href' not in response.text


@pytest.mark.parametrize("path", ["/healthz", "/.well-known/security.txt", "/admin/login/"])
def test_fixed_urls_have_no_english_twin(client, path):
    """Health check, security.txt and the admin never move."""
    assert client.get("/en" + path).status_code == 404


def test_selector_links_to_the_same_page_in_each_language(client, commitment):
    """The header's selector (twice: header and mobile menu) switches on the same page."""
    path = f"/engagements/{commitment.slug}/"
    text = client.get(path).text
    switch_en = reverse("fixed:switch_language", args=["en"]) + "?suivant=" + path
    assert text.count(f'href="{switch_en}"') == 2
    assert text.count('class="fr-translate fr-nav"') == 2


def test_switch_remembers_the_choice_and_lands_on_the_twin(client, commitment):
    """Choosing English sets the cookie and shows the same page in English."""
    path = f"/engagements/{commitment.slug}/"
    response = client.get(reverse("fixed:switch_language", args=["en"]), {"suivant": path})
    assert response.status_code == 302
    assert response["Location"] == "/en" + path
    assert response.cookies[COOKIE].value == "en"
    back = client.get(reverse("fixed:switch_language", args=["fr"]), {"suivant": "/en" + path})
    assert back["Location"] == path
    assert back.cookies[COOKIE].value == "fr"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_switch_never_sends_off_site(client, target):
    """The switch's « suivant » cannot send anyone to another site."""
    response = client.get(reverse("fixed:switch_language", args=["en"]), {"suivant": target})
    assert response["Location"] == "/en/"


def test_switch_to_an_unknown_language_is_french(client):
    """An unknown code is French, never an error."""
    response = client.get(reverse("fixed:switch_language", args=["xx"]), {"suivant": "/plans/"})
    assert response["Location"] == "/plans/"


def test_who_chose_english_is_sent_to_the_english_twin(client, commitment):
    """After choosing English, an unprefixed URL of a translated page redirects to /en/."""
    client.cookies[COOKIE] = "en"
    response = client.get("/engagements/?q=algo")
    assert response.status_code == 302
    assert response["Location"] == "/en/engagements/?q=algo"
    assert "Cookie" in response["Vary"]
    # French-only pages stay where they are.
    assert client.get("/compte/login/").status_code == 200


def test_who_chose_english_is_redirected_before_the_page_cache(client, commitment, settings):
    """A French page kept in the page cache is not served to who chose English."""
    settings.PAGE_CACHE_ENABLED = True
    commit()
    assert client.get("/engagements/").status_code == 200
    assert client.get("/engagements/")["X-Page-Cache"] == "hit"
    client.cookies[COOKIE] = "en"
    assert client.get("/engagements/").status_code == 302
    english = client.get("/en/engagements/")
    assert html_lang(english) == "en"
    assert client.get("/en/engagements/")["X-Page-Cache"] == "hit"


def test_htmx_and_posts_are_not_redirected(client, commitment):
    """Only plain navigations follow the cookie; a fragment keeps its URL."""
    client.cookies[COOKIE] = "en"
    response = client.get("/engagements/", headers={"hx-request": "true"})
    assert response.status_code == 200


def test_back_office_under_en_keeps_its_guards(client_for):
    """/en/pilotage/ is the back-office too: the staff's checks read the unprefixed path."""
    assert unprefixed_path("/en/pilotage/") == "/pilotage/"
    assert unprefixed_path("/en") == "/"
    assert unprefixed_path("/engagements/") == "/engagements/"
    citizen_client, _citizen = client_for(Role.CITIZEN)
    response = citizen_client.get("/en/pilotage/")
    assert response.status_code == 403


def test_navigation_marks_the_current_page_in_english(client, commitment):
    """aria-current reads the unprefixed path: « Engagements » is current on /en/engagements/."""
    text = client.get("/en/engagements/").text
    assert re.search(r'href="/en/engagements/" aria-current="page"', text)


def test_reverse_follows_the_active_language():
    """Links drawn in English point to English pages, the fixed ones stay unprefixed."""
    with translation.override("en"):
        assert reverse("engagements:plan_list") == "/en/plans/"
        assert reverse("fixed:healthz") == "/healthz"
        assert reverse("account_login") == "/compte/login/"
