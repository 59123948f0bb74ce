"""Every public URL of the permission matrix answers in English under /en/, with
``<html lang="en">``; those that never move (fixed files, accounts) keep one address."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from .conftest import request_as, resolve_kwargs
from .permission_matrix import MATRIX

#: Public rows (anonymous visitors get 200) whose URL is outside the language prefix.
UNPREFIXED = ("fixed:", "account_", "admin:")
PUBLIC = [case for case in MATRIX if case.get and case.get[0] == 200]


@pytest.mark.django_db
def test_every_public_url_answers_in_english(world):
    """Each public page has its /en/ twin, answered 200 to anonymous visitors, in English."""
    problems = []
    checked = 0
    for case in PUBLIC:
        with translation.override("en"):
            url = reverse(case.url, kwargs=resolve_kwargs(case.kwargs, world))
        if case.url.startswith(UNPREFIXED):
            if url.startswith("/en/"):
                problems.append(f"{case.url} : {url} ne devrait pas changer d'adresse")
            continue
        if not url.startswith("/en/"):
            problems.append(f"{case.url} : {url} sans préfixe /en/")
            continue
        response = request_as(world, None, "get", url)
        checked += 1
        if response.status_code != 200:
            problems.append(f"{url} : {response.status_code}")
            continue
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            html = response.content.decode()
            if '<html lang="en"' not in html and "<html" in html:
                problems.append(f'{url} : pas de lang="en"')
    assert checked > 30
    assert problems == []
