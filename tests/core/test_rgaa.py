"""The RGAA audit grid: complete, tied to tests that exist, and the statement computed from it."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve
from django.utils.html import escape

from forum_ouvert.core import rgaa

ROOT = Path(__file__).resolve().parents[2]
EVERY_PAGE = (
    "tests/browser/test_every_page.py::"
    "test_every_page_passes_axe_reflows_at_320_px_and_keeps_the_structure_rules"
)


def test_the_grid_answers_each_of_the_106_criteria_in_the_referential_order():
    grid = rgaa.audit()
    assert len(grid.criteria) == 106
    assert len({c.theme for c in grid.criteria}) == 13
    referential = json.loads((rgaa.DATA / "criteres-4.1.json").read_text())
    assert [c.id for c in grid.criteria] == [item["id"] for item in referential]
    assert [c.id for c in grid.criteria][:3] == ["1.1", "1.2", "1.3"]
    for criterion in grid.criteria:
        for result in [criterion.default, *criterion.pages.values()]:
            assert result.status in rgaa.STATUSES
            assert result.how.strip(), f"critère {criterion.id} : comment a-t-il été vérifié ?"


def test_the_sample_follows_the_rgaa_method_and_its_pages_exist():
    """Home, legal notices, accessibility, sitemap, login and a page of each kind and process."""
    grid = rgaa.audit()
    ids = [page.id for page in grid.sample]
    assert len(ids) == len(set(ids))
    for required in ("accueil", "mentions-legales", "accessibilite", "plan-du-site", "connexion"):
        assert required in ids
    for page in grid.sample:
        path = page.path.replace("<slug>", "exemple")
        try:
            resolve(path)
        except Resolver404:
            pytest.fail(f"page de l'échantillon introuvable : {page.path}")
    for criterion in grid.criteria:
        assert set(criterion.pages) <= set(ids), criterion.id


def _defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_check_the_grid_names_is_a_test_of_the_suite():
    """A grid pointing at a test that was renamed or deleted would vouch for nothing."""
    for criterion in rgaa.audit().criteria:
        for test in criterion.tests:
            path, _, name = test.partition("::")
            assert (ROOT / path).exists(), f"critère {criterion.id} : {path} n'existe pas"
            if name:
                assert name in _defined_tests(ROOT / path), f"critère {criterion.id} : {test}"


def test_a_failing_check_contradicts_the_criteria_it_vouches_for_and_only_them():
    grid = rgaa.audit()
    found = grid.contradictions({EVERY_PAGE})
    criteria = {line.split()[1] for line in found}
    assert {"3.2", "8.1", "10.11", "12.7", "4.1"} <= criteria
    # « à vérifier » vouches for nothing: a failing test does not contradict it.
    assert "12.8" not in criteria and "11.13" not in criteria
    # A parametrised case or a test of a file named as a whole counts too.
    assert grid.contradictions({f"{EVERY_PAGE}[chromium]"})
    assert grid.contradictions({"tests/reports/test_reports.py::test_x"}) == []
    assert grid.contradictions({"tests/core/test_charts.py::test_anything"})
    assert grid.contradictions({"tests/core/test_dates.py::test_anything"}) == []


def _audit_with(statuses: list[str]) -> rgaa.Audit:
    page = rgaa.SamplePage(id="p", title="P", path="/")
    criteria = tuple(
        rgaa.Criterion(
            id=f"1.{n}", theme="Images", title="t", wcag=(), default=rgaa.Result(s, "vérifié")
        )
        for n, s in enumerate(statuses, 1)
    )
    grid = rgaa.audit()
    return dataclasses.replace(grid, sample=(page,), criteria=criteria)


def test_level_and_rate_follow_the_rgaa_rules():
    C, NC, NA, AV = rgaa.CONFORME, rgaa.NON_CONFORME, rgaa.NON_APPLICABLE, rgaa.A_VERIFIER
    assert _audit_with([C, C, NA]).level() == "totalement conforme"
    assert _audit_with([C, C, NA]).rate() == 100
    partial = _audit_with([C, C, C, NC, NA])
    assert partial.rate() == 75 and partial.level() == "partiellement conforme"
    assert _audit_with([C, NC, NC]).level() == "non conforme"
    # An incomplete audit cannot declare any conformity, whatever its provisional rate.
    assert _audit_with([C, C, AV]).level() == "non conforme"


def test_a_criterion_follows_its_pages_over_the_sample():
    grid = rgaa.audit()
    # Conforming on the one page where it applies: conforming.
    timeout = next(c for c in grid.criteria if c.id == "13.1")
    assert timeout.default.status == rgaa.NON_APPLICABLE
    assert timeout.on("pilotage").status == rgaa.CONFORME
    assert timeout.status(grid.sample) == rgaa.CONFORME
    # Conforming everywhere but on one page: not conforming, listed with that page.
    pages = (
        rgaa.SamplePage(id="a", title="A", path="/"),
        rgaa.SamplePage(id="b", title="B", path="/b/"),
    )
    failing = rgaa.Criterion(
        id="11.10",
        theme="Formulaires",
        title="t",
        wcag=(),
        default=rgaa.Result(rgaa.CONFORME, "vérifié"),
        pages={"b": rgaa.Result(rgaa.NON_CONFORME, "le refus n'est pas relié au champ")},
    )
    one = dataclasses.replace(grid, sample=pages, criteria=(failing,))
    assert failing.status(pages) == rgaa.NON_CONFORME
    assert [(c.id, how, [p.id for p in where]) for c, how, where in one.non_accessible()] == [
        ("11.10", "le refus n'est pas relié au champ", ["b"])
    ]


@pytest.mark.django_db
def test_the_statement_is_computed_from_the_grid(client, settings):
    settings.ACCESSIBILITY_CONTACT = "accessibilite@forum-ouvert.gouv.fr"
    grid = rgaa.audit()
    counts = grid.counts()
    html = client.get("/accessibilite/").content.decode()
    assert "Forum ouvert est non conforme avec le RGAA 4.1." in html
    assert f"{counts[rgaa.A_VERIFIER]} critères sur 106 restent à vérifier" in html
    assert f"{counts[rgaa.CONFORME]} critères conformes" in html
    rate = f"{round(grid.rate(), 1)}".replace(".", ",").removesuffix(",0")
    assert f"{rate} % des critères applicables" in html
    if grid.non_accessible():
        for criterion, how, _pages in grid.non_accessible():
            assert f"Critère {criterion.id}" in html and escape(how) in html
    else:
        assert "Aucune non-conformité relevée par l" in html
    assert "Aucune dérogation" in html
    for page in grid.sample:
        assert escape(page.title) in html
    assert 'href="/accessibilite/schema-pluriannuel/"' in html
    assert 'href="/accessibilite/grille/"' in html


@pytest.mark.django_db
def test_the_grid_page_lists_every_criterion_and_the_multi_year_plan_is_public(client):
    html = client.get("/accessibilite/grille/").content.decode()
    assert html.count('<h3 class="fr-h6') == 106 and html.count("<h2>") == 13
    assert "Pilotage (équipe de la DITP) : conforme" in html
    plan = client.get("/accessibilite/schema-pluriannuel/")
    assert plan.status_code == 200
    assert "Plan d'action 2027" in plan.content.decode()
