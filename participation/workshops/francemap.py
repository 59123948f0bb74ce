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

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "carte-departements.csv"
TILE = 44
GAP = 4
MARGIN = 4
OVERSEAS = ("971", "972", "973", "974", "976")


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
    }
