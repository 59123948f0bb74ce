"""Every form's error state (issue 20, item 5): a summary that says how many errors there are
and links to each faulty field, and a ``<title>`` that starts with « Erreur : ». The forms
are those the permission matrix POSTs to, sent empty by every role that reaches them."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .conftest import ROLE_COLUMNS, request_as, resolve_kwargs
from .permission_matrix import MATRIX

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
#: What the DSFR marks a field in error with.
FIELD_IN_ERROR = re.compile(
    r'class="[^"]*\bfr-(?:input-group|select-group|fieldset|checkbox-group|upload-group)--error\b'
)


class _Page(HTMLParser):
    """The ids of a page, and its error summaries: their titles and their links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.summaries: list[dict] = []
        self._depth = 0  # inside a summary: how many open <div>s

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if self._depth:
            self._depth += tag == "div"
            if tag == "a":
                self.summaries[-1]["links"].append(attrs.get("href", ""))
            if tag == "h2":
                self.summaries[-1]["in_title"] = True
        elif tag == "div" and "fo-resume-erreurs" in (attrs.get("class") or "").split():
            self._depth = 1
            self.summaries.append({"attrs": attrs, "links": [], "title": "", "in_title": False})

    def handle_endtag(self, tag):
        if self._depth:
            if tag == "h2":
                self.summaries[-1]["in_title"] = False
            self._depth -= tag == "div"

    def handle_data(self, data):
        if self._depth and self.summaries[-1]["in_title"]:
            self.summaries[-1]["title"] += data


def _refused_forms(world):
    """``(label, response)`` for every POST of an empty body answered by a page (200, 400)."""
    for case in MATRIX:
        if case.post is None:
            continue
        url = reverse(case.url, kwargs=resolve_kwargs(case.kwargs, world))
        for role, wanted in zip(ROLE_COLUMNS, case.post, strict=True):
            if wanted not in (200, 400):
                continue
            response = request_as(world, role, "post", url, {})
            if response.status_code not in (200, 400) or response.streaming:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            yield f"POST {url} ({role or 'anonyme'})", response


def _problems(label: str, content: str) -> list[str]:
    page = _Page()
    page.feed(content)
    in_error = bool(FIELD_IN_ERROR.search(content))
    if not page.summaries:
        return [f"{label} : des champs en erreur sans résumé"] if in_error else []
    problems = []
    found = TITLE.search(content)
    title = " ".join(html.unescape(found.group(1)).split()) if found else ""
    if "<html" in content and not title.startswith("Erreur : "):
        problems.append(f"{label} : titre sans « Erreur : » ({title})")
    for summary in page.summaries:
        attrs = summary["attrs"]
        if attrs.get("role") != "alert" or attrs.get("tabindex") != "-1":
            problems.append(f"{label} : résumé sans role=alert ni tabindex=-1")
        if not attrs.get("id", "").startswith("resume-erreurs"):
            problems.append(f"{label} : résumé sans id resume-erreurs")
        if not re.fullmatch(r"Le formulaire contient \d+ erreurs?", summary["title"].strip()):
            problems.append(f"{label} : titre du résumé « {summary['title'].strip()} »")
        for href in summary["links"]:
            if not href.startswith("#") or href[1:] not in page.ids:
                problems.append(f"{label} : lien {href} vers aucun champ")
    if in_error and not any(summary["links"] for summary in page.summaries):
        problems.append(f"{label} : résumé sans lien vers les champs en erreur")
    return problems


@pytest.mark.django_db
def test_every_refused_form_has_a_summary_with_links_and_an_error_title(world):
    """Whoever sends a form empty finds at the top of it « Le formulaire contient N
    erreurs », each faulty field a link to it, and a page title that starts with
    « Erreur : »."""
    problems, summaries = [], 0
    for label, response in _refused_forms(world):
        content = response.content.decode()
        summaries += "fo-resume-erreurs" in content
        problems += _problems(label, content)
    assert summaries > 20, "the walk reached forms in error"
    assert problems == []


def test_the_summary_check_sees_a_missing_summary_and_a_broken_link():
    """The checks above fail on a page that shows fields in error without a summary, and on
    a summary whose link leads nowhere."""
    no_summary = '<div class="fr-input-group fr-input-group--error"><input id="id_a"></div>'
    assert _problems("p", no_summary) == ["p : des champs en erreur sans résumé"]
    broken = (
        '<div class="fr-alert fo-resume-erreurs" role="alert" tabindex="-1" id="resume-erreurs">'
        '<h2 class="fr-alert__title">Le formulaire contient 1 erreur</h2>'
        '<ul><li><a href="#id_b">B</a> : requis</li></ul></div>'
        '<div class="fr-input-group--error"><input id="id_a"></div>'
    )
    assert _problems("p", broken) == ["p : lien #id_b vers aucun champ"]


@pytest.mark.django_db
def test_the_login_lockout_is_in_the_summary(client, make_user):
    """Locked out after five failed attempts, a person finds « Réessayez dans 15 minutes »
    in the login form's error summary (an alert, which takes focus), and the page's title
    says « Erreur : »."""
    user = make_user(email="verrou@exemple.fr")
    for _ in range(6):
        response = client.post("/compte/login/", {"login": user.email, "password": "faux-faux"})
    assert response.status_code == 429
    content = response.content.decode()
    summary = re.search(r'<div class="[^"]*fo-resume-erreurs[^>]*>(.*?)</div>', content, re.S)
    assert summary and 'role="alert"' in summary.group(0)
    assert "Réessayez dans 15 minutes." in summary.group(1)
    assert TITLE.search(content).group(1).startswith("Erreur : ")
    assert _problems("login", content) == []
