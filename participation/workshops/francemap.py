"""A tile map of France: one square per département (overseas included), drawn in SVG.

A cartogram rather than borders: every département gets the same room for its label and
its link, the map stays small and readable on a phone, and no map service is called.
The positions live in ``data/carte-departements.csv``; the page always pairs the map with
a plain list of the same links.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "carte-departements.csv"
TILE = 44
GAP = 4
MARGIN = 4
OVERSEAS = ("971", "972", "973", "974", "976")


@cache
def _territory_path(language: str | None) -> str:
    """Kept per language: the English pages' links carry /en/, the French ones do not."""
    return reverse("portal:territory", kwargs={"code": "XX"})


def territory_href(code: str) -> str:
    """The « Ce qui change chez vous » page of a département (the portal composes it).

    Reversed once per language, then filled in: a page of the map links to 200 of these.
    """
    return _territory_path(get_language()).replace("/XX/", f"/{code}/")


@cache
def positions() -> dict[str, tuple[int, int]]:
    """``{code: (column, row)}`` for the 101 départements."""
    with DATA.open(encoding="utf-8") as fh:
        return {row["code"]: (int(row["colonne"]), int(row["ligne"])) for row in csv.DictReader(fh)}


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    href: str
    x: int
    y: int
    size: int
    state: str  # "", "active" or "current"
    note: str

    @property
    def label(self) -> str:
        base = f"{self.name} ({self.code})"
        return f"{base} — {self.note}" if self.note else base

    # Integers: a localised float ("26,5") would be read by SVG as two coordinates.
    @property
    def cx(self) -> int:
        return self.x + self.size // 2

    @property
    def cy(self) -> int:
        return self.y + self.size // 2


def france_map(
    *,
    departements: Iterable,
    href: Callable[[str], str],
    active: dict[str, str] | None = None,
    current: str | None = None,
) -> dict:
    """The tiles to draw: ``active`` maps codes to a short note (e.g. a Tour stop)."""
    active = active or {}
    grid = positions()
    step = TILE + GAP
    tiles = []
    for departement in departements:
        column, row = grid[departement.code]
        state = ""
        if departement.code == current:
            state = "current"
        elif departement.code in active:
            state = "active"
        tiles.append(
            Tile(
                code=departement.code,
                name=departement.name,
                href=href(departement.code),
                x=MARGIN + column * step,
                y=MARGIN + row * step,
                size=TILE,
                state=state,
                note=active.get(departement.code, ""),
            )
        )
    columns = max(c for c, _ in grid.values()) + 1
    rows = max(r for _, r in grid.values()) + 1
    overseas_top = min(grid[code][1] for code in OVERSEAS)
    return {
        "tiles": tiles,
        "width": 2 * MARGIN + columns * step - GAP,
        "height": 2 * MARGIN + rows * step - GAP,
        "overseas_label": {
            "x": MARGIN,
            "y": MARGIN + overseas_top * step - 8,
            "text": _("Outre-mer"),
        },
        "svg_tiles": _tiles_markup(tiles),
    }


def _tiles_markup(tiles: list[Tile]) -> SafeString:
    """The 101 links of the map, built here rather than by a template loop (~10× faster)."""
    parts = []
    for tile in tiles:
        css = f"fo-map__tile fo-map__tile--{tile.state}" if tile.state else "fo-map__tile"
        label = escape(tile.label)
        parts.append(
            f'<a href="{escape(tile.href)}" class="{css}" aria-label="{label}"><title>{label}'
            f'</title><rect x="{tile.x}" y="{tile.y}" width="{tile.size}" height="{tile.size}" '
            f'rx="4"></rect><text x="{tile.cx}" y="{tile.cy}" text-anchor="middle" '
            f'dominant-baseline="central" aria-hidden="true">{escape(tile.code)}</text></a>'
        )
    return mark_safe("".join(parts))  # noqa: S308  # nosec  # nosemgrep: fo-mark-safe-non-literal (escaped)
