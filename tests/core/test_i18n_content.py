"""The plan's texts in English where staff wrote them, the French marked as such elsewhere;
dates and numbers as each language writes them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from engagements.importer import import_plan
from engagements.models import Commitment
from forum_ouvert.core.dates import date_label, day_label, time_label
from forum_ouvert.core.i18n import translated
from forum_ouvert.core.numbers import file_size, number_label, percent_label
from tests.engagements.factories import (
    AxisFactory,
    CommitmentFactory,
    EvidenceFactory,
    MilestoneFactory,
    PlanFactory,
)

PLAN_FILE = Path(__file__).resolve().parents[2] / "engagements" / "data" / "plan-2024-2026.json"


def render(source: str, **context) -> str:
    return Template("{% load forum_ouvert %}" + source).render(Context(context))


class Item:
    title = "Ouvrir les données"
    title_en = ""


def test_french_is_the_french_column_whatever_the_english():
    """On a French page the French text is shown, never the English."""
    item = Item()
    item.title_en = "Open the data"
    with translation.override("fr"):
        assert translated(item, "title") == ("Ouvrir les données", False)
        assert render('{% translated item "title" %}', item=item) == "Ouvrir les données"


def test_english_where_it_exists():
    """On an English page the English text is shown, with no mark."""
    item = Item()
    item.title_en = "Open the data"
    with translation.override("en"):
        assert render('{% translated item "title" %}', item=item) == "Open the data"


def test_french_marked_where_no_english():
    """Without English, the French is shown with lang="fr" and « (in French) »."""
    with translation.override("en"):
        html = render('{% translated item "title" %}', item=Item())
    assert html == (
        '<span lang="fr">Ouvrir les données</span> '
        '<span class="fr-text--xs fo-muted">(in French)</span>'
    )


def test_paragraphs_keep_their_lines_and_escape():
    """A long text keeps its paragraphs; markup in it is escaped."""
    item = Item()
    item.title = "Un <b>problème</b>\n\nDeux"
    with translation.override("en"):
        html = render('{% translated item "title" lines=True %}', item=item)
    assert html.startswith('<div lang="fr"><p>Un &lt;b&gt;problème&lt;/b&gt;</p>')
    assert "(in French)" in html


def test_a_justification_is_marked_french_on_an_english_page():
    """Free text written in French only (a justification) says lang="fr" in English."""
    with translation.override("en"):
        assert render("{{ t|french_text }}", t="Point d'étape") == (
            '<span lang="fr">Point d&#x27;étape</span>'
        )
    with translation.override("fr"):
        assert render("{{ t|french_text }}", t="Point d'étape") == "Point d&#x27;étape"


@pytest.mark.django_db
def test_commitment_page_in_english_with_and_without_translations(client):
    """/en/ shows the English title, milestone and evidence; the missing ones are marked."""
    plan = PlanFactory(title_en="National action plan 2024-2026")
    axis = AxisFactory(plan=plan, title="Axe un", title_en="First pillar")
    commitment = CommitmentFactory(
        plan=plan,
        axis=axis,
        title="Ouvrir les algorithmes",
        title_en="Open the algorithms",
        problem="Le problème.",
        problem_en="The problem.",
        description="L'engagement.",
    )
    MilestoneFactory(commitment=commitment, deliverable="Un guide", deliverable_en="A guide")
    EvidenceFactory(commitment=commitment, title="Rapport d'étape")
    text = client.get(f"/en/engagements/{commitment.slug}/").text
    assert "<h1>Open the algorithms</h1>" in text
    assert "<p>The problem.</p>" in text
    assert '<div lang="fr"><p>L&#x27;engagement.</p></div>' in text
    assert "<strong>A guide</strong>" in text
    assert '<span lang="fr">Rapport d&#x27;étape</span>' in text
    french = client.get(f"/engagements/{commitment.slug}/").text
    assert "<h1>Ouvrir les algorithmes</h1>" in french and "(en français)" not in french
    plan_page = client.get(f"/en/plans/{plan.slug}/").text
    assert "<h1>National action plan 2024-2026</h1>" in plan_page
    assert "First pillar" in plan_page and "Open the algorithms" in plan_page


@pytest.mark.django_db
def test_the_import_reads_the_english_titles():
    """The plan file's title_en and ogp_short_title_en land on the commitments."""
    data = json.loads(PLAN_FILE.read_text())
    import_plan(data)
    wanted = [c for c in data["commitments"] if c.get("title_en")]
    assert wanted
    for item in wanted:
        commitment = Commitment.objects.get(number=item["number"])
        assert commitment.title_en == item["title_en"]
        assert commitment.ogp_short_title_en == item.get("ogp_short_title_en", "")


def test_dates_follow_the_language():
    """« 1er janvier 2027 » in French, « 1 January 2027 » in English."""
    day = dt.date(2027, 1, 1)
    with translation.override("fr"):
        assert date_label(day) == "1er janvier 2027"
        assert day_label(dt.date(2026, 12, 28)) == "lundi 28 décembre 2026"
    with translation.override("en"):
        assert date_label(day) == "1 January 2027"
        assert day_label(dt.date(2026, 12, 28)) == "Monday 28 December 2026"
        moment = dt.datetime(2027, 1, 1, 17, 5, tzinfo=dt.UTC)
        assert time_label(moment) == "18:05"


def test_numbers_follow_the_language():
    """« 20,3 % » and « 1 234,5 » in French, « 20.3% » and « 1,234.5 » in English."""
    with translation.override("fr"):
        assert percent_label(20.3) == "20,3\u00a0%"
        assert number_label(1234.5) == "1\u202f234,5"
        assert file_size(1_234_567) == "1,2\u00a0Mo"
    with translation.override("en"):
        assert percent_label(20.3) == "20.3%"
        assert number_label(1234.5) == "1,234.5"
        assert file_size(1_234_567) == "1.2\u00a0MB"
