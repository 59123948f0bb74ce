"""French full-text search: stemmed, accent-blind, on the GIN-indexed vector."""

import pytest
from django.db import connection

from participation.contributions.selectors import listed_contributions, search

from .factories import ContributionFactory

pytestmark = pytest.mark.django_db


def _found(text: str) -> set[str]:
    return set(search(listed_contributions(), text).values_list("title", flat=True))


@pytest.fixture
def corpus(consultation):
    ContributionFactory(
        consultation=consultation,
        title="Renforcer la participation citoyenne",
        body="Des assemblées locales dans chaque commune.",
    )
    ContributionFactory(
        consultation=consultation,
        title="Données ouvertes par region",
        body="Publier les budgets de chaque region en open data.",
    )
    ContributionFactory(
        consultation=consultation,
        title="Transparence des marchés publics",
        body="Les élus participeront aux jurys.",
    )


def test_search_is_stemmed(corpus):
    """« participer » finds « participation » and « participeront »."""
    assert _found("participer") == {
        "Renforcer la participation citoyenne",
        "Transparence des marchés publics",
    }


def test_search_ignores_accents(corpus):
    """« région » finds « region », « marches » finds « marchés », « ÉLUS » finds « élus »."""
    assert _found("région") == {"Données ouvertes par region"}
    assert _found("marches") == {"Transparence des marchés publics"}
    assert _found("ÉLUS") == {"Transparence des marchés publics"}


def test_search_words_are_combined(corpus):
    """Two words find the contributions having both; quotes and minus work (websearch)."""
    assert _found("données budgets") == {"Données ouvertes par region"}
    assert _found("participation -commune") == {"Transparence des marchés publics"}


def test_search_uses_the_gin_index(corpus):
    """The query runs on the stored vector, which its GIN index serves."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'contributions_contribution_fts'"
        )
        assert "gin (search_vector)" in cursor.fetchone()[0]
    sql = str(search(listed_contributions(), "participer").query)
    assert "search_vector" in sql
    assert "websearch_to_tsquery" in sql
    assert "fr_unaccent" in sql  # the configuration unaccents (core.search)


def test_vector_follows_edits(consultation):
    """After an edit of the title, the new words are found and the old ones are not."""
    contribution = ContributionFactory(consultation=consultation, title="Ancien sujet")
    contribution.title = "Nouvelle thématique écologique"
    contribution.save()
    assert _found("ecologie") == {"Nouvelle thématique écologique"}
    assert _found("ancien") == set()


def test_search_page_finds_stemmed_matches(client, corpus):
    """The list page's search box finds « participation » when asked for « participer »."""
    html = client.get("/contributions/", {"q": "participer"}).content.decode()
    assert "Renforcer la participation citoyenne" in html
    assert "Données ouvertes par region" not in html
