"""The permission matrix (``permission_matrix.py``) holds for every URL, role and method,
and it covers every URL pattern of the site."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..french import french_mistakes
from ..htmx import duplicate_ids
from .conftest import ROLE_COLUMNS, request_as, resolve_kwargs
from .permission_matrix import EXEMPT, LOGIN, MATRIX, Case

#: Modules whose views are not the project's own (they may only live under ``EXEMPT``).
THIRD_PARTY = ("allauth.", "django.")


def url_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """Every URL pattern of the site: ``(route, namespaced name, view)``."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            # An include without a namespace (a ModelAdmin's URLs) keeps its parent's.
            inner = entry.namespace or ""
            if namespace:
                inner = f"{namespace}:{inner}" if inner else namespace
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry.callback


def outcome_of(response):
    """The access decision a response stands for: a status, or ``LOGIN``."""
    if response.status_code in (301, 302):
        path = urlsplit(response["Location"]).path
        if path in (reverse("account_login"), reverse("admin:login")):
            return LOGIN
        if path == reverse("mfa_activate_totp"):
            return "2FA"
    return response.status_code


def _case_id(case: Case) -> str:
    return f"{case.url}[{','.join(f'{k}={v}' for k, v in case.kwargs.items())}]"


@pytest.mark.django_db
@pytest.mark.parametrize("case", MATRIX, ids=_case_id)
def test_matrix(world, case):
    """Each role gets, for each method, the outcome the matrix states for this URL."""
    url = reverse(case.url, kwargs=resolve_kwargs(case.kwargs, world))
    mismatches = []
    for method, expected in (("get", case.get), ("post", case.post)):
        if expected is None:
            continue
        assert len(expected) == len(ROLE_COLUMNS), f"{case.url} : six issues par méthode"
        for role, wanted in zip(ROLE_COLUMNS, expected, strict=True):
            response = request_as(world, role, method, url, case.data)
            got = outcome_of(response)
            if got != wanted:
                mismatches.append(
                    f"{method.upper()} {url} en tant que {role or 'anonyme'} : {got} ≠ {wanted}"
                )
            if twice := _duplicate_ids(response):
                mismatches.append(f"{method.upper()} {url} ({role}) : ids en double {twice}")
            for mistake in _french_mistakes(response):
                mismatches.append(f"{method.upper()} {url} ({role}) : {mistake}")
    assert mismatches == []


def _duplicate_ids(response) -> list[str]:
    """The ids an HTML page carries twice (a label then names the wrong field)."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return duplicate_ids(response.content.decode())


def _french_mistakes(response) -> list[str]:
    """What a rule can catch of bad French in the page (``tests/french.py``)."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return french_mistakes(response.content.decode())


def test_every_url_pattern_is_in_the_matrix():
    """A new URL fails this test until the matrix says who may use it."""
    in_matrix = {case.url for case in MATRIX}
    missing = []
    for route, name, view in url_patterns():
        module = getattr(view, "__module__", "") or ""
        project = not module.startswith(THIRD_PARTY)
        if name in in_matrix and (project or not route.startswith(tuple(EXEMPT))):
            continue
        if not project and route.startswith(tuple(EXEMPT)):
            continue
        missing.append(f"{route} ({name or 'sans nom'}, {module})")
    assert missing == []


def test_every_matrix_row_names_an_existing_url():
    """No row of the matrix outlives the URL it describes."""
    names = {name for _route, name, _view in url_patterns()}
    assert sorted({case.url for case in MATRIX} - names) == []
    assert all(case.get or case.post for case in MATRIX)


def test_owned_objects_are_tried_by_someone_who_does_not_own_them():
    """For every URL reached through an object someone owns (application, attachment,
    commitment, milestone, evidence, registration, contribution, attestation), the matrix
    also tries the same URL on another account's object, where the owner's role is refused."""
    by_url = defaultdict(list)
    for case in MATRIX:
        by_url[case.url].append(case)
    problems = []
    for case in MATRIX:
        if case.owner is None:
            continue
        twin_kwargs = {k: v.replace("_a.", "_b.") for k, v in case.kwargs.items()}
        assert twin_kwargs != case.kwargs, f"{case.url} : l'objet possédé se nomme *_a"
        twins = [c for c in by_url[case.url] if c.kwargs == twin_kwargs]
        if not twins:
            problems.append(f"{case.url}: pas de ligne sur l'objet d'un autre ({twin_kwargs})")
            continue
        column = ROLE_COLUMNS.index(case.owner)
        for method in ("get", "post"):
            mine, theirs = getattr(case, method), getattr(twins[0], method)
            if mine is None or mine[column] == 405:
                continue
            if theirs is None or theirs[column] not in (403, 404, 405):
                problems.append(f"{method.upper()} {case.url}: {case.owner} n'est pas refusé")
            if mine[column] in (403, 404, 405):
                problems.append(f"{method.upper()} {case.url}: {case.owner} refusé sur le sien")
    assert problems == []
