"""French typography for printed reports."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

NNBSP = "\u202f"  # espace fine insécable, before ; ! ? and the closing guillemet
NBSP = "\u00a0"  # espace insécable, before : and after the opening guillemet
_SPACE_BEFORE_TALL = re.compile(r" ([;!?»])")
_SPACE_BEFORE_COLON = re.compile(r" :")
_SPACE_AFTER_GUILLEMET = re.compile(r"« ")


@register.filter(needs_autoescape=True)
def typo_fr(value, autoescape=True):
    """Escape the text, then make the spaces around ; : ! ? « » unbreakable, so that a
    punctuation mark never starts a line. URLs and times (no space) are left alone."""
    text = str(conditional_escape(value) if autoescape else value)
    text = _SPACE_BEFORE_TALL.sub(NNBSP + r"\1", text)
    text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    text = _SPACE_AFTER_GUILLEMET.sub("«" + NBSP, text)
    return mark_safe(text)  # noqa: S308  # nosec  # nosemgrep: fo-mark-safe-non-literal (escaped above)


@register.filter
def tr(obj, spec: str):
    """``{{ c|tr:"title" }}``, ``{{ c|tr:"title:95" }}``: the text of ``obj.<field>`` in the
    report's language (``core.i18n.translated``: the English column, else the French),
    shortened at a word to ``limit`` characters if given, in French typography. The
    French shown for lack of a translation is marked ``lang="fr"`` (the PDF is tagged).
    A commitment's title is its display title (« Intitulé à compléter »)."""
    from forum_ouvert.core.i18n import translated
    from forum_ouvert.core.text import shorten

    field, _sep, limit = spec.partition(":")
    french = getattr(obj, "display_title", None) if field == "title" else None
    text, fallback = translated(obj, field, french)
    text = shorten(text or "", int(limit)) if limit else text or ""
    shown = typo_fr(text)
    if fallback:
        return format_html('<span lang="fr">{}</span>', shown)
    return shown


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "fr").startswith("en")


@register.filter
def pct(value) -> str:
    """``40 %`` in French (as the reports always printed it), ``40%`` in English."""
    from django.utils.formats import localize

    return f"{localize(value)}%" if _english() else f"{localize(value)} %"


@register.filter
def short_date(value) -> str:
    """A date in a table: ``01/02/2026`` in French, ``2026-02-01`` in English (unambiguous
    for readers of every country); ``""`` for none."""
    from forum_ouvert.core.dates import local

    if not value:
        return ""
    return local(value).strftime("%Y-%m-%d" if _english() else "%d/%m/%Y")


@register.filter
def of_name(name) -> str:
    """The preposition before a name: « de Camille », « d’Élise »; « of Camille » in English."""
    from forum_ouvert.core.text import elide_de

    return f"of {name}" if _english() else elide_de(name)


@register.filter
def lang_attr(report) -> str:
    """`` lang="en"`` on the element holding an English report's title on a page in
    another language (RGAA 8.7); nothing when they speak the same."""
    from django.utils.translation import get_language

    if report.language == (get_language() or "fr"):
        return ""
    return format_html(' lang="{}"', report.language)
