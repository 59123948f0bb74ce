"""Every CSV the site writes — open data, staff exports, report annexes — goes through here.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs (CSV injection): such a cell is written with a leading
apostrophe, which spreadsheets show as text and hide. Numbers are written as they are (a
negative progress is a number, not a formula). The open-data page documents this.

Use ``csv_response`` for a download (streamed: constant memory whatever the size), and
``writer`` where the CSV goes into a file (a report's annex).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse

#: What makes a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell that no spreadsheet will run."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _SafeWriter:
    """``csv.writer`` whose rows are made safe cell by cell."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **options) -> _SafeWriter:
    """A ``csv.writer`` (same options) that neutralises formula cells."""
    return _SafeWriter(out, **options)


class _Echo:
    """A file-like object whose write returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    rows: Iterable[Sequence[Any] | dict],
    *,
    header: Sequence[str],
    delimiter: str = ",",
    bom: bool = False,
) -> Iterator[str]:
    """The CSV text, line by line: the header, then each row (a sequence, or a dict keyed by
    the header's names)."""
    out = writer(_Echo(), delimiter=delimiter)
    first = out.writerow(header)
    yield ("\ufeff" + first) if bom else first
    for row in rows:
        if isinstance(row, dict):
            row = [row.get(name, "") for name in header]
        yield out.writerow(row)


def csv_response(
    rows: Iterable[Sequence[Any] | dict],
    *,
    header: Sequence[str],
    filename: str,
    delimiter: str = ",",
    bom: bool = False,
    private: bool = False,
) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV download. ``bom`` and ``delimiter=";"`` suit the spreadsheets
    staff open; ``private`` for exports of personal data (never kept by a cache)."""
    response = StreamingHttpResponse(
        csv_lines(rows, header=header, delimiter=delimiter, bom=bom),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
