"""The English catalogue (forum_ouvert/locale/en, built by ``make messages``): up to date
with the code, nothing fuzzy, and every string of the translated pages in English."""

from __future__ import annotations

import subprocess
import sys

from django.utils import translation

from forum_ouvert.devtools import english


def entries():
    return english.parse(english.CATALOGUE.read_text())


def test_the_english_catalogue_is_up_to_date():
    """A string added to the code without ``make messages`` fails here (and its .mo too)."""
    result = subprocess.run(
        [sys.executable, "-m", "forum_ouvert.devtools.english", "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_entry_is_fuzzy():
    """A guessed (fuzzy) translation is never shown: each is reviewed by a person."""
    assert [e.msgid for e in entries() if e.fuzzy] == []


def test_every_string_of_the_translated_pages_is_in_english():
    """No empty translation in the files of english.TRANSLATED_SOURCES."""
    missing = [
        (e.locations[0], e.msgid)
        for e in entries()
        if e.in_translated_sources() and not e.translated
    ]
    assert missing == []


def test_the_translated_sources_exist():
    """Every listed source is still a file or a folder of the project (no stale name)."""
    for source in english.TRANSLATED_SOURCES:
        assert any(english.ROOT.glob(source.rstrip("/") + "*")), source


def test_the_parser_reads_what_the_checks_need():
    """Plurals, contexts, fuzzy flags and locations are read from a .po text."""
    text = (
        '#: a.html\n#: b.py\nmsgid "Jalon"\nmsgstr "Milestone"\n\n'
        '#: c.html\n#, fuzzy, python-format\nmsgctxt "jour"\nmsgid "1er"\nmsgstr "1st"\n\n'
        '#: d.html\nmsgid "%(n)s jalon"\nmsgid_plural "%(n)s jalons"\n'
        'msgstr[0] "%(n)s milestone"\nmsgstr[1] ""\n'
    )
    jalon, first, plural = english.parse(text)
    assert jalon.locations == ["a.html", "b.py"] and jalon.translated
    assert first.fuzzy and first.msgctxt == "jour" and not first.translated
    assert plural.msgid_plural == "%(n)s jalons" and not plural.translated


def test_the_french_plurals_still_count_in_french_and_english_in_english():
    """Both catalogues work side by side: « 0 jalon » in French, « 0 milestones » in English."""
    from django.template import Context, Template

    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} en retard"
        "{% plural %}{{ n }} en retard{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert template.render(Context({"n": 2})) == "2 late"
    with translation.override("fr"):
        assert template.render(Context({"n": 2})) == "2 en retard"
