"""Import of the Baromètre de l'action publique's open data (one CSV per indicator).

The reading of the four value columns was inferred from the published files: it is kept in
``VALUE_COLUMNS`` and nowhere else. The import is tolerant about the form (``,`` or ``;``,
BOM, decimal comma, empty or ``NaN`` values, extra columns, ``D01`` or ``01``) and strict
about the substance: a row whose date, maille, zone or number cannot be read is rejected
with its line and column, and then nothing at all is written.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from forum_ouvert.core.models import Departement, Region

from .models import Indicator, IndicatorValue, Maille

#: Baromètre column → our field. ``indic_ta`` is a progress rate in % (0–100).
VALUE_COLUMNS = {
    "indic_vi": "initial_value",
    "indic_va": "current_value",
    "indic_vc": "target_value",
    "indic_ta": "progress_rate",
}
KEY_COLUMNS = ("indic_id", "enforce_zone_id", "metric_enforce_date", "maille")
REQUIRED_COLUMNS = (*KEY_COLUMNS, *VALUE_COLUMNS)

#: Metadata file: accepted column names for each field (first found wins).
METADATA_COLUMNS = {
    "code": ("indic_id",),
    "name": ("nom", "name", "indic_nom", "libelle"),
    "theme": ("theme", "thème", "indic_theme"),
    "unit": ("unite", "unité", "unit", "indic_unite"),
    "direction": ("sens", "direction", "indic_sens"),
    "is_sample": ("donnees_exemple", "exemple", "sample"),
}
UP = {"hausse", "haut", "up", "+", "1", "croissant"}
DOWN = {"baisse", "bas", "down", "-", "-1", "decroissant", "décroissant"}
TRUE = {"oui", "vrai", "true", "1", "yes", "o", "x"}

MAX_REPORTED_ERRORS = 30
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_ZONE_RE = {
    Maille.DEPARTEMENTAL: re.compile(r"^D?(\d{2,3}|2[AB])$", re.IGNORECASE | re.ASCII),
    Maille.REGIONAL: re.compile(r"^R?(\d{2})$", re.IGNORECASE | re.ASCII),
}


class BarometreImportError(Exception):
    """The file cannot be imported; ``errors`` name each bad line and column, in French."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportReport:
    rows: int = 0
    indicators_created: int = 0
    values_created: int = 0
    values_updated: int = 0
    indicator_codes: list[str] = field(default_factory=list)


def _read_csv(raw: bytes | str) -> tuple[list[str], list[dict[str, str]]]:
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
    else:
        text = raw.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    return headers, list(reader)


def _number(text: str) -> float | None:
    """A number from ``12``, ``12.5``, ``12,5``, ``1 234,5``; None for an empty cell or NaN."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if cleaned.lower() in {"", "nan", "na", "null", "none", "-"}:
        return None
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)  # ValueError for anything else
    if math.isinf(value) or math.isnan(value):
        raise ValueError(cleaned)
    return value


def _date(text: str) -> date:
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _excerpt(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


@dataclass(frozen=True)
class _Row:
    code: str
    maille: str
    zone_id: str
    departement_id: str | None
    region_id: str | None
    date: date
    values: dict


def _parse_rows(rows: list[dict[str, str]], *, departements: set, regions: set):
    parsed: list[_Row] = []
    errors: list[str] = []

    def error(line: int, column: str, message: str) -> None:
        errors.append(f"Ligne {line}, colonne {column} : {message}")

    for index, row in enumerate(rows):
        line = index + 2  # line 1 is the header
        if None in row:  # more cells than headers
            error(line, "—", "la ligne compte plus de cellules que l'en-tête.")
            continue
        cells = {key: (row.get(key) or "").strip() for key in REQUIRED_COLUMNS}
        line_errors = len(errors)
        code = cells["indic_id"]
        if not code or len(code) > 40:
            error(line, "indic_id", "identifiant d'indicateur manquant ou trop long.")
        maille = cells["maille"].upper()
        if maille not in Maille.values:
            error(
                line,
                "maille",
                f"« {_excerpt(cells['maille'])} » n'est pas une maille connue (NAT, REG ou DEPT).",
            )
        try:
            when = _date(cells["metric_enforce_date"])
        except ValueError:
            when = None
            error(
                line,
                "metric_enforce_date",
                f"« {_excerpt(cells['metric_enforce_date'])} » n'est pas une date AAAA-MM-JJ.",
            )
        zone = cells["enforce_zone_id"].upper()
        departement_id = region_id = None
        if not zone or len(zone) > 20:
            error(line, "enforce_zone_id", "zone manquante ou trop longue.")
        elif maille in _ZONE_RE:
            match = _ZONE_RE[maille].match(zone)
            code_in_zone = match.group(1).upper() if match else None
            known = departements if maille == Maille.DEPARTEMENTAL else regions
            if code_in_zone not in known:
                what = "département" if maille == Maille.DEPARTEMENTAL else "région"
                error(
                    line,
                    "enforce_zone_id",
                    f"« {_excerpt(zone)} » ne désigne aucun(e) {what} connu(e).",
                )
            elif maille == Maille.DEPARTEMENTAL:
                departement_id = code_in_zone
            else:
                region_id = code_in_zone
        values = {}
        for column, field_name in VALUE_COLUMNS.items():
            try:
                values[field_name] = _number(cells[column])
            except ValueError:
                error(line, column, f"« {_excerpt(cells[column])} » n'est pas un nombre.")
        if len(errors) == line_errors:
            parsed.append(
                _Row(code, maille, zone, departement_id, region_id, when, values)  # type: ignore[arg-type]
            )
        if len(errors) >= MAX_REPORTED_ERRORS:
            errors.append("Trop d'erreurs : lecture interrompue.")
            break
    return parsed, errors


def _parse_metadata(raw: bytes | str) -> dict[str, dict]:
    headers, rows = _read_csv(raw)
    columns = {
        key: next((name for name in names if name in headers), None)
        for key, names in METADATA_COLUMNS.items()
    }
    if columns["code"] is None:
        raise BarometreImportError(
            ["Fichier de métadonnées : la colonne indic_id est introuvable dans l'en-tête."]
        )
    metadata: dict[str, dict] = {}
    errors = []
    for index, row in enumerate(rows):
        line = index + 2

        def cell(key: str, row=row) -> str:
            column = columns[key]
            return (row.get(column) or "").strip() if column else ""

        code = cell("code")
        if not code:
            errors.append(f"Métadonnées, ligne {line}, colonne indic_id : identifiant manquant.")
            continue
        direction = cell("direction").lower()
        if direction and direction not in UP | DOWN:
            errors.append(
                f"Métadonnées, ligne {line}, colonne {columns['direction']} : "
                f"« {_excerpt(direction)} » n'est ni « hausse » ni « baisse »."
            )
            continue
        metadata[code] = {
            "name": cell("name")[:255] or code,
            "theme": cell("theme")[:120],
            "unit": cell("unit")[:40],
            "higher_is_better": True if direction in UP else False if direction in DOWN else None,
            "is_sample": cell("is_sample").lower() in TRUE,
        }
    if errors:
        raise BarometreImportError(errors)
    return metadata


def import_barometre(*, data: bytes | str, metadata: bytes | str | None = None) -> ImportReport:
    """Import one Baromètre CSV (and optionally its indicators' metadata), all or nothing.

    Idempotent: a figure is identified by (indicator, maille, zone, date) and updated in
    place when imported again. Raises ``BarometreImportError`` listing every bad line.
    """
    headers, rows = _read_csv(data)
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        raise BarometreImportError(
            [f"Ligne 1 : colonne(s) manquante(s) dans l'en-tête : {', '.join(missing)}."]
        )
    meta = _parse_metadata(metadata) if metadata is not None else {}
    parsed, errors = _parse_rows(
        rows,
        departements=set(Departement.objects.values_list("code", flat=True)),
        regions=set(Region.objects.values_list("code", flat=True)),
    )
    if errors:
        raise BarometreImportError(errors)
    with transaction.atomic():
        return _write(parsed, meta)


def _write(parsed: list[_Row], meta: dict[str, dict]) -> ImportReport:
    report = ImportReport(rows=len(parsed))
    codes = sorted({row.code for row in parsed} | set(meta))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    for code in codes:
        fields = meta.get(code)
        if code not in indicators:
            indicators[code] = Indicator.objects.create(code=code, **(fields or {"name": code}))
            report.indicators_created += 1
        elif fields:
            indicator = indicators[code]
            for name, value in fields.items():
                setattr(indicator, name, value)
            indicator.save()
    # The last row wins when a file repeats a figure (same indicator, zone and date).
    unique: dict[tuple, _Row] = {
        (row.code, row.maille, row.zone_id, row.date): row for row in parsed
    }
    before = IndicatorValue.objects.filter(indicator__code__in=codes).count()
    objects = [
        IndicatorValue(
            indicator=indicators[row.code],
            maille=row.maille,
            zone_id=row.zone_id,
            departement_id=row.departement_id,
            region_id=row.region_id,
            date=row.date,
            **row.values,
        )
        for row in unique.values()
    ]
    IndicatorValue.objects.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["indicator", "maille", "zone_id", "date"],
        update_fields=["departement", "region", *VALUE_COLUMNS.values()],
    )
    after = IndicatorValue.objects.filter(indicator__code__in=codes).count()
    # Marks the import: the territory pages' cached figures depend on it.
    Indicator.objects.filter(code__in=codes).update(imported_at=timezone.now())
    report.values_created = after - before
    report.values_updated = len(objects) - report.values_created
    report.indicator_codes = codes
    return report
