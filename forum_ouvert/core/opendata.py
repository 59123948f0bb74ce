"""Open data: the files each app publishes, documented once on ``/donnees/``.

Use it for every public dataset of the site. An app declares its files as ``Dataset``
rows (path, title, description, and each column with what it holds) and registers them in
its ``AppConfig.ready()`` with ``register_datasets``; the open-data page lists
``datasets()`` in order, so that a file is never published without its documentation and
a lower floor (``engagements``) never imports a higher one.

Column names are a public contract: add columns at the end, never rename or remove.
CSV files are written by ``core.spreadsheet.csv_response`` (streamed, formula cells
neutralised); JSON arrays by ``json_response`` here (streamed, constant memory).
Licence: Licence Ouverte / Etalab 2.0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import StreamingHttpResponse

from . import spreadsheet

LICENCE = "Licence Ouverte / Etalab 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Dataset:
    path: str
    title: str
    description: str
    #: ``(name, what it holds)`` for each column, in the file's order (empty for a feed).
    columns: list[tuple[str, str]]

    @property
    def anchor(self) -> str:
        """The id of its section on /donnees/: ``co-construction-propositions-csv``."""
        path = self.path.removeprefix("/donnees/")
        return "".join(ch if ch.isalnum() else "-" for ch in path).strip("-")


_registry: list[tuple[int, tuple[Dataset, ...]]] = []


def register_datasets(datasets: Iterable[Dataset], *, order: int = 100) -> None:
    """Add an app's files to the open-data page, at ``order`` (lower first)."""
    datasets = tuple(datasets)
    if all(datasets != known for _, known in _registry):
        _registry.append((order, datasets))


def datasets() -> list[Dataset]:
    """Every registered file, in order."""
    return [d for _, group in sorted(_registry, key=lambda item: item[0]) for d in group]


def csv_response(rows: Iterable, columns: list[tuple[str, str]], filename: str):
    """A public dataset as a streamed UTF-8 CSV: the header is the documented columns'
    names (``core.spreadsheet`` writes it, formula cells neutralised)."""
    return spreadsheet.csv_response(rows, header=[name for name, _ in columns], filename=filename)


def json_response(rows: Iterable[dict], *, filename: str) -> StreamingHttpResponse:
    """A JSON array of ``rows``, streamed one row at a time (no list held in memory)."""

    def chunks():
        yield "["
        for i, row in enumerate(rows):
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
