"""Numbers said in French, one way for pages, charts, PDFs and CSV annexes' labels:
« 1 234,5 », « 20,3 % », « 12 Ko »."""

from __future__ import annotations

from django.utils.translation import gettext as _


def number_label(value: float | int | None) -> str:
    """``1234.5`` → ``1 234,5``; ``52.27`` → ``52,27``; ``76.0`` → ``76``; None → ``—``.

    Up to 2 decimals (the Baromètre publishes values with 1 or 2, and a rate must be
    recomputable from the values shown); a narrow no-break space between thousands."""
    if value is None:
        return "—"
    text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def file_size(size: int | None) -> str:
    """``12 Ko``, ``1,2 Mo``: the units French readers know (Django writes « Kio »)."""
    size = int(size or 0)
    if size < 1000:
        return _("%(n)s octets") % {"n": size} if size != 1 else _("1 octet")
    for unit, scale in ((_("Go"), 10**9), (_("Mo"), 10**6), (_("Ko"), 10**3)):
        if size >= scale:
            value = size / scale
            shown = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"
            return f"{shown.replace('.', ',')}\u00a0{unit}"
    raise AssertionError("unreachable")
