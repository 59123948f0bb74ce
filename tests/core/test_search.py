"""The site's search (/recherche/): every public kind, accents, case and plurals ignored,
private things never shown, matched words highlighted and escaped, pages, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum_ouvert.core import search
from participation.contributions.models import PublicationStatus
from tests.cocreation.factories import ProcessFactory, ProposalFactory
from tests.contributions.factories import ConsultationFactory, ContributionFactory
from tests.engagements.factories import CommitmentFactory, EvidenceFactory, MilestoneFactory
from tests.forum.factories import MeetingFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

URL = "/recherche/"


def _world(suffix: str = "") -> None:
    """One public object of each kind, and private twins that must never be found."""
    commitment = CommitmentFactory(
        title=f"Garantir l'égalité d'accès aux services publics{suffix}",
        description="Un numérique inclusif, des guichets ouverts.",
    )
    MilestoneFactory(
        commitment=commitment,
        deliverable=f"Organiser des ateliers participatifs dans chaque région{suffix}",
    )
    EvidenceFactory(commitment=commitment, title=f"Rapport annuel sur l'accessibilité{suffix}")
    EvidenceFactory(commitment=commitment, title="Note confidentielle", is_public=False)
    consultation = ConsultationFactory()
    ContributionFactory(
        consultation=consultation,
        title=f"Un budget participatif pour chaque quartier{suffix}",
        body="Des assemblées de quartier tirées au sort, pour l'égalité.",
    )
    ContributionFactory(
        consultation=consultation,
        title="Contribution masquée injurieuse",
        status=PublicationStatus.HIDDEN,
        moderation_reason="Propos injurieux",
    )
    ContributionFactory(consultation=consultation, title="Contribution en attente", pending=True)
    ContributionFactory(
        consultation=ConsultationFactory(draft=True), title="Consultation brouillonnée"
    )
    WorkshopFactory(title=f"Atelier sur le numérique en mairie{suffix}", city="Villeurbanne")
    WorkshopFactory(title="Atelier brouillonné", draft=True)
    MeetingFactory(
        title=f"Séance plénière du forum{suffix}",
        agenda="Suivi des engagements sur la transparence.",
        minutes_text="Compte rendu provisoire : mot hypothéqué.",
    )
    MeetingFactory(
        title="Séance d'automne",
        agenda="Bilan.",
        minutes_text="Les délibérations furent publiées.",
        minutes_published_at=timezone.now(),
    )
    process = ProcessFactory()
    ProposalFactory(
        process=process, title=f"Ouvrir les délibérations municipales{suffix}", submitted=True
    )
    ProposalFactory(process=process, title="Proposition brouillonnée")
    ProposalFactory(
        process=ProcessFactory(unpublished=True),
        title="Proposition cachée en calendrier",
        submitted=True,
    )


@pytest.fixture
def world():
    _world()


def _titles(text: str, **kwargs) -> set[str]:
    results = search.site_search(text, **kwargs)
    return {(hit.kind.key, hit.object.pk) for hit in results.hits}


@pytest.mark.parametrize(
    "variants",
    [
        ("égalité", "egalite", "EGALITE", "Égalités"),
        ("atelier", "ateliers", "ATELIERS"),
        ("participatif", "participatifs"),
        ("numérique", "numerique", "NUMÉRIQUES"),
    ],
)
def test_case_accents_and_plurals_find_the_same_things(world, variants):
    """« égalité », « egalite » and « EGALITE » find the same things, as do plurals."""
    found = [_titles(text) for text in variants]
    assert found[0], variants
    assert all(f == found[0] for f in found)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("guichets", "engagements"),
        ("région", "jalons"),
        ("accessibilite", "justificatifs"),
        ("quartier", "contributions"),
        ("Villeurbanne", "ateliers"),
        ("plénière", "forum"),
        ("délibérations publiées", "forum"),
        ("municipales", "propositions"),
    ],
)
def test_each_kind_is_found(world, text, kind):
    """Each kind of public content is found by its own words."""
    results = search.site_search(text)
    assert [hit.kind.key for hit in results.hits] == [kind]
    assert {k.key: n for k, n, _ in results.counts}[kind] == 1


@pytest.mark.parametrize(
    "text",
    [
        "confidentielle",  # internal evidence
        "injurieuse",  # hidden contribution
        "attente",  # pending contribution
        "brouillonnée",  # draft consultation, workshop, proposal
        "hypothéqué",  # unpublished minutes
        "cachée calendrier",  # proposal of an unpublished co-creation
    ],
)
def test_private_things_never_appear(world, client, text):
    """Internal, hidden, pending, draft and unpublished things are never found."""
    results = search.site_search(text)
    assert results.all_count == 0
    assert results.hits == []
    assert "Aucun résultat" in client.get(URL, {"q": text}).content.decode()


def test_results_are_ranked_and_filtered_by_kind(world):
    """A title match comes before a match in the text; ``type`` keeps one kind."""
    results = search.site_search("égalité")
    assert results.hits[0].kind.key == "engagements"  # in its title (weight A)
    assert {hit.kind.key for hit in results.hits} == {"engagements", "contributions"}
    only = search.site_search("égalité", kind="contributions")
    assert [hit.kind.key for hit in only.hits] == ["contributions"]
    assert only.total == 1 and only.all_count == 2


def test_matched_words_are_highlighted_and_everything_else_escaped(client):
    """The matched words are in <mark>; markup typed by a person is shown as text."""
    ContributionFactory(
        title="<img src=x onerror=alert(1)> égalité & co",
        body="<script>alert('x')</script> Pour l'égalité réelle.",
    )
    hit = search.site_search("egalite").hits[0]
    assert "<mark>égalité</mark>" in hit.title
    assert "<img" not in hit.title and "<script" not in hit.excerpt
    assert "&amp;" in hit.title
    html = client.get(URL, {"q": "egalite"}).content.decode()
    assert "<mark>égalité</mark>" in html
    assert "<img src=x" not in html and "<script>alert" not in html


def test_highlight_keeps_only_marks():
    """Only the markers become markup, unbalanced ones included."""
    s, e = search.START, search.STOP
    assert search.highlight(f"a {s}b{e} <i>c</i> {s}d") == (
        "a <mark>b</mark> &lt;i&gt;c&lt;/i&gt; <mark>d</mark>"
    )
    assert search.highlight(None) == ""


def test_pages(client):
    """Twenty results a page; the last page holds the rest; a page out of range is the last."""
    for n in range(25):
        WorkshopFactory(title=f"Atelier de quartier {n}")
    first = search.site_search("atelier")
    assert first.total == 25 and len(first.hits) == 20
    second = search.site_search("atelier", page=2)
    assert len(second.hits) == 5
    assert {h.object.pk for h in first.hits}.isdisjoint({h.object.pk for h in second.hits})
    assert len(search.site_search("atelier", page=99).hits) == 5
    html = client.get(URL, {"q": "atelier"}).content.decode()
    assert "Page 1 sur 2" in html and "page=2" in html


def test_counts_are_capped(client, monkeypatch):
    """Beyond CAP matches, a kind reads « plus de CAP » and its newest CAP are ranked."""
    monkeypatch.setattr(search, "CAP", 3)
    workshops = [WorkshopFactory(title=f"Atelier de quartier {n}") for n in range(5)]
    results = search.site_search("atelier")
    assert results.more and results.total == 3
    assert ({k.key: (n, more) for k, n, more in results.counts})["ateliers"] == (3, True)
    assert {h.object.pk for h in results.hits} == {w.pk for w in workshops[2:]}
    html = client.get(URL, {"q": "atelier"}).content.decode()
    assert "Plus de 3 résultats" in html and "Ateliers (plus de 3)" in html


def _queries(client, text: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, {"q": text}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_as_data_grows(client, django_assert_max_num_queries):
    """A page of results costs the same queries with one match of each kind or many."""
    _world()
    few = _queries(client, "numérique égalité -zzz OR forum OR municipales OR rapport")
    for n in range(12):
        _world(suffix=f" {n}")
    with django_assert_max_num_queries(few):
        _queries(client, "numérique égalité -zzz OR forum OR municipales OR rapport")
    # One count per kind, the page, then the objects of each kind on the page.
    assert few <= 1 + 2 * len(search.search_kinds())


def test_hostile_queries_are_harmless(client, world):
    """Control characters, NUL bytes, stray syntax or a very long query: a page, never 500."""
    for text in ("\x00égalité", "égalité\x02\x03", '"-:*!&|()<>', "a" * 5000, "   "):
        assert client.get(URL, {"q": text}).status_code == 200
    assert search.site_search("\x00égalité").total == 2


def test_page_without_words_shows_the_form_only(client):
    """/recherche/ without words shows the search form and no result list."""
    html = client.get(URL).content.decode()
    assert 'id="recherche-page-input"' in html
    assert 'id="resultats"' not in html


def test_header_search_on_every_page(client):
    """Every page's header has a GET search form to /recherche/ (no JavaScript needed)."""
    for path in ("/", "/engagements/", "/contributions/"):
        html = client.get(path).content.decode()
        assert 'action="/recherche/"' in html and 'id="recherche-entete-input"' in html


def test_commitment_list_search_ignores_accents_and_plurals(client):
    """The commitments' own search box finds « égalité » when asked for « EGALITES »."""
    CommitmentFactory(title="Garantir l'égalité d'accès", description="Des guichets.")
    CommitmentFactory(title="Transparence budgétaire", description="Des budgets.")
    html = client.get("/engagements/", {"q": "EGALITES"}).content.decode()
    assert "Garantir l" in html and "Transparence budgétaire" not in html
    html = client.get("/engagements/", {"q": "budgetaire"}).content.decode()
    assert "Transparence budgétaire" in html


def test_contribution_list_search_matches_plurals(client):
    """The contributions' own search box finds « ateliers » when asked for « atelier »."""
    ContributionFactory(title="Des ateliers participatifs")
    html = client.get("/contributions/", {"q": "atelier participatif"}).content.decode()
    assert "Des ateliers participatifs" in html
