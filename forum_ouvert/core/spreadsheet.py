"""Every CSV the site writes — open data, staff exports, report annexes — goes through here.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs (CSV injection): such a cell is written with a leading
apostrophe, which spreadsheets show as text and hide. Numbers are written as they are (a
negative progress is a number, not a formula). The open-data page documents this.

Use ``csv_response`` for a download (streamed: constant memory whatever the size), and
``writer`` where the CSV goes into a file (a report's annex).

Reading: ``read_table`` is the one way an uploaded CSV or XLSX is read (the bulk progress
update): type, encoding, size, columns and row count checked, each refusal a French
``SpreadsheetError``; the rows keep their line number for the errors shown to people.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

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


# --- Reading a spreadsheet that people upload (CSV or XLSX) ---------------------------

#: The largest spreadsheet accepted (bytes), and the most data rows read from it.
MAX_UPLOAD_SIZE = 2 * 1024 * 1024
MAX_ROWS = 2000
#: The types accepted, by extension (the content is checked too).
SPREADSHEET_EXTENSIONS = (".csv", ".xlsx")
_XLSX_SIGNATURE = b"PK\x03\x04"


class SpreadsheetError(ValueError):
    """A file that cannot be read as the expected table; ``str()`` is the French reason."""


@dataclass(frozen=True)
class TableRow:
    """One data row: its line in the file (the header is line 1) and its cells by column."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[TableRow]


def column_key(name: Any) -> str:
    """A header's name as it is compared: no accents, no case, spaces and dashes as ``_``
    (« État » and « etat » are the same column)."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return "_".join(text.lower().replace("-", " ").split())


def _cell_text(value: Any) -> str:
    """A cell as text, without the apostrophe that ``safe_cell`` puts before a formula."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.strftime("%d/%m/%Y")
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _(
                "Le fichier n'est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » "
                "puis déposez-le à nouveau."
            )
        ) from None
    if "\x00" in text:
        raise SpreadsheetError(_("Ce fichier n'est pas un fichier CSV (son contenu est binaire)."))
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise SpreadsheetError(
            _("Le fichier CSV est mal formé (guillemets non refermés ?).")
        ) from None


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    import openpyxl  # imported here: only the uploads of spreadsheets need it

    if not data.startswith(_XLSX_SIGNATURE):
        raise SpreadsheetError(_("Ce fichier n'est pas un classeur XLSX valide."))
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 1:
                    break
            return rows
        finally:
            book.close()
    except SpreadsheetError:
        raise
    except Exception:  # openpyxl raises many types on a damaged file
        raise SpreadsheetError(
            _("Ce classeur XLSX est illisible (fichier endommagé ou d'un autre format).")
        ) from None


def read_table(
    upload, *, columns: Sequence[str], required: Sequence[str] = (), max_rows: int = MAX_ROWS
) -> Table:
    """Read an uploaded CSV (UTF-8, « ; », « , » or tab) or XLSX (first sheet) whose first
    row names the columns. ``columns``: every column accepted (as ``column_key`` gives
    them); ``required``: those that must be there. Empty lines are skipped. Raises
    ``SpreadsheetError`` with a French reason for a wrong type, encoding, an empty or too
    large file, unknown or missing columns, too many rows."""
    name = str(getattr(upload, "name", "") or "").lower()
    if not name.endswith(SPREADSHEET_EXTENSIONS):
        raise SpreadsheetError(_("Seuls les fichiers CSV et XLSX sont acceptés."))
    size = getattr(upload, "size", None) or 0
    if size > MAX_UPLOAD_SIZE:
        raise SpreadsheetError(
            _("Le fichier dépasse la taille maximale de %(max)d Mo.")
            % {"max": MAX_UPLOAD_SIZE // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_SIZE + 1)
    upload.seek(0)
    if not data.strip():
        raise SpreadsheetError(_("Le fichier est vide."))
    raw = _xlsx_rows(data) if name.endswith(".xlsx") else _csv_rows(data)
    raw = [row for row in raw if any(_cell_text(c) for c in row)]
    if not raw:
        raise SpreadsheetError(_("Le fichier est vide."))
    header = [column_key(c) for c in raw[0]]
    while header and not header[-1]:
        header.pop()
    unknown = [h or _("(colonne sans titre)") for h in header if h not in columns]
    if unknown:
        raise SpreadsheetError(
            _("Colonnes inconnues : %(unknown)s. Colonnes attendues : %(expected)s.")
            % {"unknown": ", ".join(unknown), "expected": ", ".join(columns)}
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise SpreadsheetError(
            _("Colonnes manquantes : %(missing)s.") % {"missing": ", ".join(missing)}
        )
    if len(header) != len(set(header)):
        raise SpreadsheetError(_("Une colonne figure deux fois dans l'en-tête."))
    body = raw[1:]
    if not body:
        raise SpreadsheetError(_("Le fichier ne contient que l'en-tête : aucune ligne à lire."))
    if len(body) > max_rows:
        raise SpreadsheetError(
            _("Le fichier compte plus de %(max)d lignes : découpez-le en plusieurs fichiers.")
            % {"max": max_rows}
        )
    rows = []
    for index, row in enumerate(raw[1:], start=2):
        cells = {h: _cell_text(row[i]) if i < len(row) else "" for i, h in enumerate(header)}
        rows.append(TableRow(line=index, cells=cells))
    return Table(columns=header, rows=rows)
