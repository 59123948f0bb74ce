"""Territories: postcode → département, and the « Ce qui change chez vous » pages."""

import pytest
from django.core.management import call_command

from forum_ouvert.core.models import Departement, Region
from forum_ouvert.core.territories import departement_code_for_postcode

from .factories import TourStopFactory, WorkshopFactory


@pytest.mark.parametrize(
    ("postcode", "code"),
    [
        ("01000", "01"),  # Bourg-en-Bresse
        ("69003", "69"),  # Lyon
        ("75001", "75"),
        ("13001", "13"),
        ("95000", "95"),
        (" 33000 ", "33"),
        ("20000", "2A"),  # Ajaccio
        ("20090", "2A"),
        ("20137", "2A"),  # Porto-Vecchio
        ("20169", "2A"),  # Bonifacio
        ("20200", "2B"),  # Bastia
        ("20250", "2B"),  # Corte
        ("20260", "2B"),  # Calvi
        ("20600", "2B"),  # Furiani
        ("97100", "971"),  # Basse-Terre
        ("97133", "971"),  # Saint-Barthélemy (Guadeloupe's range)
        ("97200", "972"),  # Fort-de-France
        ("97300", "973"),  # Cayenne
        ("97400", "974"),  # Saint-Denis de La Réunion
        ("97600", "976"),  # Mamoudzou
    ],
)
def test_postcode_gives_the_departement(postcode, code):
    """A French postcode leads to its département, Corsica and overseas included."""
    assert departement_code_for_postcode(postcode) == code


@pytest.mark.parametrize(
    "postcode",
    [
        "",
        None,
        "7500",
        "750011",
        "abcde",
        "00100",
        "97500",  # Saint-Pierre-et-Miquelon: a collectivité, not a département
        "98000",  # Monaco
        "99999",
        "٧٥٠٠١",  # Arabic-Indic digits are not a French postcode
        "75 001",
        "1' OR '1'='1",
    ],
)
def test_postcode_outside_the_departements_gives_none(postcode):
    """Anything that is not a postcode of a département gives no département."""
    assert departement_code_for_postcode(postcode) is None


@pytest.mark.django_db
def test_every_mainland_postcode_prefix_is_a_known_departement():
    """Every two-digit prefix from 01 to 95 (and every Corsican one) is a real département."""
    known = set(Departement.objects.values_list("code", flat=True))
    assert len(known) == 101 and Region.objects.count() == 18
    for prefix in range(1, 96):
        code = departement_code_for_postcode(f"{prefix:02d}100")
        assert code in known, prefix


@pytest.mark.django_db
def test_territory_index_has_map_list_and_forms(client):
    """The territories page offers a postcode form, a list and a map of 101 linked tiles."""
    html = client.get("/territoires/").content.decode()
    assert 'name="code_postal"' in html and 'name="departement"' in html
    assert html.count('class="fo-map__tile') == 101
    assert html.count('href="/territoires/') >= 202  # the map and the plain list
    assert 'aria-label="Corse-du-Sud (2A)"' in html
    assert 'aria-label="Mayotte (976)"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("code_postal=69003", "/territoires/69/"),
        ("code_postal=20200", "/territoires/2B/"),
        ("code_postal=97400", "/territoires/974/"),
        ("departement=2A", "/territoires/2A/"),
    ],
)
def test_postcode_or_list_leads_to_the_departement_page(client, query, target):
    """Typing a postcode or choosing a département opens that département's page."""
    response = client.get(f"/territoires/?{query}")
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
@pytest.mark.parametrize("postcode", ["99999", "abc", "' OR 1=1 --", "x" * 500, "😀"])
def test_bad_postcode_is_explained(client, postcode):
    """A postcode that leads nowhere re-displays the form with a French message."""
    response = client.get("/territoires/", {"code_postal": postcode})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce code postal ne correspond à aucun département" in html or "caractères" in html


@pytest.mark.django_db
def test_territory_page_shows_indicators_stops_workshops_and_contributions(client, monkeypatch):
    """« Ce qui change dans le Rhône » shows the Baromètre, the Tour, workshops, contributions."""
    call_command(
        "import_barometre",
        "participation/workshops/data/barometre/data/ind-218.csv",
        "--indicator-metadata",
        "participation/workshops/data/barometre/metadata/meta_indicateurs.csv",
    )
    WorkshopFactory(title="Atelier du Rhône")
    WorkshopFactory(title="Atelier du Nord", departement_id="59")
    TourStopFactory(city="Lyon")

    class Contribution:
        title = "Plus de bancs publics"

        def get_absolute_url(self):
            return "/contributions/1/"

    class Broken:
        pass

    monkeypatch.setattr(
        "participation.contributions.selectors.contributions_for_departement",
        lambda *, code, limit: [Contribution(), Broken()] if code == "69" else [],
    )
    response = client.get("/territoires/69/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce qui change dans le Rhône" in html
    assert "Part des élèves maitrisant la fluence de lecture" in html
    assert "fictives" not in html
    assert "Atelier du Rhône" in html and "Atelier du Nord" not in html
    assert "Lyon" in html
    assert "Plus de bancs publics" in html and 'href="/contributions/1/"' in html


@pytest.mark.django_db
def test_territory_codes(client):
    """A lowercase code redirects; an unknown code is a 404, never an error."""
    assert client.get("/territoires/2a/")["Location"] == "/territoires/2A/"
    for code in ["00", "99", "975", "x" * 300, "%27%3B--"]:
        assert client.get(f"/territoires/{code}/").status_code == 404


def test_map_links_stay_in_the_language_of_the_page():
    """The département links were reversed once per process: after one English page, the
    French pages linked under /en/ (a worker's test order showed it)."""
    from django.utils import translation

    from participation.workshops.francemap import territory_href

    with translation.override("en"):
        assert territory_href("69") == "/en/territoires/69/"
    with translation.override("fr"):
        assert territory_href("69") == "/territoires/69/"
    with translation.override("en"):
        assert territory_href("2A") == "/en/territoires/2A/"
