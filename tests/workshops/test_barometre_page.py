"""« Ce qui change dans le Rhône »: the real Baromètre, by theme, against région and France."""

import csv
import re
from html import unescape

import pytest
from django.core.cache import cache

from participation.workshops.barometre import DATASET_DIR, import_barometre_dataset
from participation.workshops.figures import RATE_TOLERANCE, progress_rate
from participation.workshops.models import (
    BarometreImport,
    Chantier,
    GovernmentEngagement,
    Indicator,
    IndicatorValue,
)

from .conftest import ensure_territories

SOURCE = "Source : Baromètre des résultats de l'action publique, DITP, données du 17 octobre 2024"


def _rows(code: str) -> dict[str, dict]:
    """The initial, latest and target values and the latest published rate, by zone."""
    zones: dict[str, dict] = {}
    path = DATASET_DIR / "data" / f"ind-{code[4:]}.csv"
    with path.open(encoding="utf-8") as fh:
        for row in sorted(csv.DictReader(fh), key=lambda r: r["metric_enforce_date"]):
            zone = zones.setdefault(row["enforce_zone_id"], {})
            if row["indic_vi"]:
                zone.setdefault("initial", float(row["indic_vi"]))
            if row["indic_va"]:
                zone["current"] = float(row["indic_va"])
                zone["published"] = float(row["indic_ta"]) if row["indic_ta"] else None
            if row["indic_vc"]:
                zone["target"] = float(row["indic_vc"])
    return zones


def test_rate_for_paris_reading_fluency_both_ways():
    """IND-218 in Paris: 73.7 → 76.0 toward 78.1 is 52.27 %, published or computed."""
    paris = _rows("IND-218")["D75"]
    assert (paris["initial"], paris["current"], paris["target"]) == (73.7, 76.0, 78.1)
    computed = progress_rate(
        initial=paris["initial"], current=paris["current"], target=paris["target"]
    )
    assert computed == paris["published"] == 52.27
    assert progress_rate(**{k: paris[k] for k in ("initial", "current", "target", "published")})


@pytest.mark.parametrize("code", ["IND-218", "IND-223", "IND-300", "IND-445"])
def test_computed_rate_is_the_published_one_on_real_rows(code):
    """Where the DITP's rate follows its formula, computing it gives the same figure."""
    checked = 0
    for zone, figures in _rows(code).items():
        if figures.get("published") is None or None in (
            figures.get("initial"),
            figures.get("target"),
        ):
            continue
        if figures["initial"] == figures["target"]:
            continue
        computed = progress_rate(
            initial=figures["initial"], current=figures["current"], target=figures["target"]
        )
        assert abs(computed - figures["published"]) <= 0.1, zone
        assert computed == round(computed, 2)
        checked += 1
    assert checked >= 100  # départements, régions and France


def test_rate_is_clipped_and_missing_when_it_cannot_be_computed():
    """Beyond the target is 100 %, going backwards 0 %, no target or a flat target nothing."""
    assert progress_rate(initial=10, current=30, target=20) == 100
    assert progress_rate(initial=10, current=5, target=20) == 0
    assert progress_rate(initial=20, current=10, target=5) == 66.67
    assert progress_rate(initial=10, current=12, target=None) is None
    assert progress_rate(initial=10, current=12, target=10) is None
    assert progress_rate(initial=10, current=12, target=10, published=100.0) == 100


#: The module's tests share one import of the dataset: on one worker (make test).
pytestmark = pytest.mark.xdist_group("barometre_page")


@pytest.fixture(scope="module")
def barometre(django_db_setup, django_db_blocker):
    """The whole published dataset, imported once for this module's tests."""
    with django_db_blocker.unblock():
        ensure_territories()
        import_barometre_dataset(force=True)
    yield
    with django_db_blocker.unblock():
        IndicatorValue.objects.all().delete()
        Indicator.objects.all().delete()
        Chantier.objects.all().delete()
        GovernmentEngagement.objects.all().delete()
        BarometreImport.objects.all().delete()


def _number(text: str) -> float | None:
    text = unescape(text).replace("\u202f", "").replace("\xa0", " ").strip()
    if text in {"—", ""}:
        return None
    return float(text.split(" ")[0].replace(",", "."))


def _articles(html: str) -> dict[str, str]:
    parts = re.split(r'(?=<article class="fo-indicator[^"]*" id="indicateur-)', html)
    return {
        re.search(r'data-indicator="([^"]+)"', part).group(1): part
        for part in parts
        if part.startswith("<article")
    }


def _figure(article: str, name: str) -> float | None:
    match = re.search(rf'data-figure="{name}">([^<]*)<', article)
    return _number(match.group(1)) if match else None


@pytest.mark.django_db
def test_departement_page_costs_a_few_queries_whatever_the_indicators(
    client, barometre, django_assert_max_num_queries
):
    """The page of the Rhône with 106 indicators × 3 zones costs at most 10 queries."""
    client.get("/territoires/69/")  # content types, the demo flag
    cache.clear()
    with django_assert_max_num_queries(10):
        response = client.get("/territoires/69/")
    assert response.status_code == 200
    assert len(_articles(response.content.decode())) == 106


@pytest.mark.django_db
def test_departement_page_shows_every_indicator_by_theme_with_its_source(client, barometre):
    """Themes, values in their units, région and France, the trend, and the source each time."""
    html = client.get("/territoires/69/").content.decode()
    articles = _articles(html)
    assert len(articles) == Indicator.objects.count() == 106
    for theme in set(Indicator.objects.values_list("theme", flat=True)):
        assert f">{theme}</h3>" in unescape(html)
    reading = unescape(articles["IND-218"])
    assert "Part des élèves maitrisant la fluence de lecture" in reading
    assert "62,4\xa0%" in reading and "64\xa0%" in reading and "68,7\xa0%" in reading
    assert "25,4\xa0%" in reading
    assert '<th scope="row">Auvergne-Rhône-Alpes</th>' in reading
    assert '<th scope="row">France</th>' in reading
    assert "Une hausse est favorable" in reading
    assert "Politique prioritaire :" in reading
    assert '<svg class="fo-chart"' in reading
    for code, article in articles.items():
        if "data-figure=" in article:
            assert SOURCE in unescape(article), code
    assert unescape(html).count(SOURCE) >= len(articles)
    assert "Données d'exemple" not in unescape(html)


@pytest.mark.django_db
def test_indicators_without_a_value_for_the_departement_say_so(client, barometre):
    """An indicator with no figure for the Rhône says « pas de valeur pour ce département »."""
    html = unescape(client.get("/territoires/69/").content.decode())
    articles = _articles(html)
    without = [code for code, article in articles.items() if "data-figure=" not in article]
    assert without, "the Rhône has indicators without a value"
    for code in without:
        assert "Pas de valeur pour ce département" in articles[code], code
    national_only = Indicator.objects.get(code="IND-285")  # REG and NAT only
    assert "DEPT" not in national_only.mailles
    assert "qu'à l'échelle de la région ou de la France" in articles["IND-285"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["69", "75", "974"])
def test_the_rate_shown_matches_the_values_shown_for_every_indicator(client, barometre, code):
    """For each indicator, the rate shown is what the values shown give, or the page says why."""
    html = client.get(f"/territoires/{code}/").content.decode()
    shown = 0
    for indicator, article in _articles(html).items():
        rate = _figure(article, "rate")
        if rate is None:
            continue
        initial, current, target = (_figure(article, n) for n in ("initial", "current", "target"))
        computed = progress_rate(initial=initial, current=current, target=target)
        note = re.search(r'data-rate-note="([^"]*)"', article)
        if note is None:
            assert computed is not None, indicator
            assert abs(computed - rate) <= RATE_TOLERANCE, (indicator, rate, computed)
        else:
            # The published rate differs: the page gives the rate the values shown give.
            assert computed is None or abs(computed - rate) > RATE_TOLERANCE, indicator
            if computed is not None:
                assert _number(note.group(1)) == pytest.approx(computed, abs=0.01), indicator
        shown += 1
    assert shown > 30
