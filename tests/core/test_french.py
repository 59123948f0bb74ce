"""French that reads well (issue 22, « French »): sizes in Ko and Mo, decimals with a comma
in charts as in tables, « d'Agent DITP », a closed consultation « Clôturée » (not « Fermer »),
and the forum's page not titled « Forum ouvert — Forum ouvert »."""

import pytest

from forum_ouvert.core.charts import Bar, bar_chart, line_chart
from forum_ouvert.core.numbers import file_size, number_label
from forum_ouvert.core.text import elide_de
from participation.contributions.models import Phase


def test_file_sizes_say_ko_and_mo():
    assert file_size(1) == "1 octet"
    assert file_size(512) == "512 octets"
    assert file_size(12_300) == "12\u00a0Ko"
    assert file_size(1_234_567) == "1,2\u00a0Mo"
    assert "Kio" not in file_size(50_000) and "KB" not in file_size(50_000)


def test_numbers_in_charts_have_a_decimal_comma():
    assert number_label(20.3) == "20,3" and number_label(1234.5) == "1\u202f234,5"
    svg = str(line_chart([("01/01/26", 10.5), ("01/02/26", 20.3)], title="Avancement", unit=" %"))
    assert "20,3 %" in svg and "20.3" not in svg
    svg = str(bar_chart([Bar("Rhône", 16.25, "blue")], title="Taux"))
    assert "16,25" in svg and "16.25" not in svg


@pytest.mark.parametrize(
    ("name", "said"),
    [("Agent DITP", "d’Agent DITP"), ("Élise", "d’Élise"), ("Camille", "de Camille")],
)
def test_de_elides_before_a_vowel(name, said):
    assert elide_de(name) == said


def test_a_closed_consultation_is_cloturee():
    assert str(Phase.CLOSED.label) == "Clôturée"


@pytest.mark.django_db
def test_the_forum_page_is_not_titled_twice(client):
    page = client.get("/forum/").content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.count("Forum ouvert") == 1, title


def test_french_plurals_start_at_two():
    """« 0 commentaire », « 1 commentaire », « 2 commentaires »: French counts, not English
    (the catalogue forum_ouvert/locale/fr, built by ``make messages``)."""
    from django.template import Context, Template

    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} commentaire"
        "{% plural %}{{ n }} commentaires{% endblocktranslate %}"
    )
    said = [template.render(Context({"n": n})) for n in (0, 1, 2)]
    assert said == ["0 commentaire", "1 commentaire", "2 commentaires"]


def test_the_plurals_catalogue_is_up_to_date():
    """A new plural in the code without ``make messages`` would count in English."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "forum_ouvert.devtools.plurals", "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
