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


def test_the_page_check_catches_what_the_issue_found():
    """``tests.french.french_mistakes``, run by the permission matrix on every page, flags
    the mistakes issue 22 listed, and not their right forms."""
    from tests.french import french_mistakes

    wrong = (
        "<p>1 contributions</p><p>0 engagement</p><p>0 personnes</p><p>le 1 janvier</p>"
        "<p>Clôture : 1 Jan 2027</p><p>12 Déc 2025</p><p>decision_notifiee</p>"
    )
    assert len(french_mistakes(wrong)) == 7
    right = (
        "<p>1 contribution</p><p>Aucun engagement</p><p>10 engagements</p>"
        "<p>le 1er janvier</p><p>le 12 mars 2025</p><p>le 3 juin 2026</p><p>20,3 %</p>"
    )
    assert french_mistakes(right) == []
