"""Numbers said in the page's language, one way for pages, charts, PDFs and CSV annexes'
labels: « 1 234,5 », « 20,3 % », « 12 Ko » in French; « 1,234.5 », « 20.3% », « 12 kB »
in English."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _in_english() -> bool:
    return (get_language() or "fr").startswith("en")


def _decimal(text: str) -> str:
    """``1,234.5`` (Python's) as the active language writes it."""
    if _in_english():
        return text
    return text.replace(",", "\u202f").replace(".", ",")


def number_label(value: float | int | None) -> str:
    """``1234.5`` → ``1 234,5``; ``52.27`` → ``52,27``; ``76.0`` → ``76``; None → ``—``
    (in English ``1,234.5``).

    Up to 2 decimals (the Baromètre publishes values with 1 or 2, and a rate must be
    recomputable from the values shown); a narrow no-break space between thousands."""
    if value is None:
        return "—"
    text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
    return _decimal(text)


def percent_label(value: float | int | None) -> str:
    """``20.3`` → ``20,3 %`` (a no-break space before the sign), ``20.3%`` in English."""
    if value is None:
        return "—"
    number = number_label(value)
    return f"{number}%" if _in_english() else f"{number}\u00a0%"


def file_size(size: int | None) -> str:
    """``12 Ko``, ``1,2 Mo``: the units French readers know (Django writes « Kio »)."""
    size = int(size or 0)
    if size < 1000:
        return _("%(n)s octets") % {"n": size} if size != 1 else _("1 octet")
    for unit, scale in ((_("Go"), 10**9), (_("Mo"), 10**6), (_("Ko"), 10**3)):
        if size >= scale:
            value = size / scale
            shown = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"
            return f"{_decimal(shown)}\u00a0{unit}"
    raise AssertionError("unreachable")
