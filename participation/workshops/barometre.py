"""Import of the Baromètre des résultats de l'action publique's open data.

The DITP publishes one CSV of figures per indicator, the indicators' metadata (name,
description, trend, the chantier each one measures), the chantiers, the government's
engagements, and a display configuration (theme, units, scales). A copy of the release of
17 October 2024 lives in ``data/barometre/`` (see its ``PROVENANCE.md``);
``import_barometre_dataset`` loads all of it.

Every column this module reads is named in the mappings below (``VALUE_COLUMNS``,
``METADATA_COLUMNS``, ``CHANTIER_COLUMNS``, ``ENGAGEMENT_COLUMNS``, ``CONFIG_FIELDS``) and
nowhere else. The import is tolerant about the form (``,`` or ``;``, BOM, decimal comma,
empty or ``NaN`` values, extra columns, ``D01`` or ``01``) and strict about the substance:
a row whose date, maille, zone or number cannot be read is rejected with its file, line
and column, and then nothing at all is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from forum_ouvert.core.models import Departement, Region
from forum_ouvert.core.text import shorten

from .models import (
    BarometreImport,
    Chantier,
    GovernmentEngagement,
    Indicator,
    IndicatorValue,
    Maille,
)

#: The copy of the DITP's published data that the site ships, and the date of that release
#: (shown beside every figure).
DATASET_DIR = Path(__file__).resolve().parent / "data" / "barometre"
DATASET_DATE = date(2024, 10, 17)

#: Baromètre column → our field, read in the DITP's export code (pilote-2,
#: ``tous_indicateurs.sql``): vi initial, va current, vc target, ta progress rate in %
#: (0–100, rounded to 2 decimals).
VALUE_COLUMNS = {
    "indic_vi": "initial_value",
    "indic_va": "current_value",
    "indic_vc": "target_value",
    "indic_ta": "progress_rate",
}
KEY_COLUMNS = ("indic_id", "enforce_zone_id", "metric_enforce_date", "maille")
REQUIRED_COLUMNS = (*KEY_COLUMNS, *VALUE_COLUMNS)

#: Indicators' metadata (``meta_indicateurs.csv``): accepted column names for each field;
#: the first non-empty cell wins (the DITP's ``indic_nom`` is empty, ``indic_nom_baro`` not).
METADATA_COLUMNS = {
    "code": ("indic_id",),
    "name": ("indic_nom_baro", "indic_nom", "nom", "name", "libelle"),
    "description": ("indic_descr_baro", "indic_descr", "description"),
    "chantier": ("indic_parent_ch", "chantier"),
    "theme": ("theme", "thème", "indic_theme"),
    "unit": ("unite", "unité", "unit", "indic_unite"),
    "direction": ("tendance", "sens", "direction", "indic_sens"),
}
#: The chantiers (``meta_chantiers.csv``) and the government's engagements
#: (``meta_engagement.csv``): our field → the DITP's column.
CHANTIER_COLUMNS = {"code": "chantier_id", "name": "ch_nom", "engagement": "engagement_short"}
ENGAGEMENT_COLUMNS = {
    "number": "engagement_id",
    "code": "engagement_short",
    "name": "engagement_name",
}
#: The placeholder the DITP uses for « no engagement given » (not one of the 4).
NO_ENGAGEMENT = "TODO"
#: Display configuration (``config-viz.yml``, one entry per indicator): key → our field.
CONFIG_FIELDS = {
    "thematique": "theme",
    "unite": "unit",
    "unite_courte": "short_unit",
    "unite_va": "value_unit",
    "pourcentage": "is_percentage",
    "mailles_dispo": "mailles",
}
#: Where each part of the dataset lives in ``DATASET_DIR``.
DATASET_FILES = {
    "engagements": "metadata/meta_engagement.csv",
    "chantiers": "metadata/meta_chantiers.csv",
    "indicators": "metadata/meta_indicateurs.csv",
    "config": "config/config-viz.yml",
    "values": "data/ind-*.csv",
}
UP = {"hausse", "haut", "up", "+", "1", "croissant"}
DOWN = {"baisse", "bas", "down", "-", "-1", "decroissant", "décroissant"}

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
    blank_rows: int = 0
    files: int = 0
    engagements: int = 0
    chantiers: int = 0
    configured: int = 0
    up_to_date: bool = False

    def summary(self) -> str:
        """What was read and written, in French, for the command's output."""
        if self.up_to_date:
            return (
                "Baromètre déjà à jour (mêmes fichiers que le dernier import) : rien à faire. "
                "--force pour réimporter."
            )
        text = (
            f"{self.rows} ligne(s) lue(s)"
            + (f" dans {self.files} fichier(s)" if self.files else "")
            + (f", dont {self.blank_rows} sans date ni valeur" if self.blank_rows else "")
            + f" ; indicateurs : {len(self.indicator_codes)} "
            f"({self.indicators_created} nouveau(x))"
        )
        if self.files:
            text += (
                f", dont {self.configured} avec leurs unités ; chantiers : {self.chantiers} ; "
                f"engagements gouvernementaux : {self.engagements}"
            )
        else:
            text += f" : {', '.join(self.indicator_codes)}"
        return text + (
            f" ; valeurs : {self.values_created} ajoutée(s), {self.values_updated} mise(s) à jour."
        )


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
    return shorten(value, 41)


@dataclass(frozen=True)
class _Row:
    code: str
    maille: str
    zone_id: str
    departement_id: str | None
    region_id: str | None
    date: date
    values: dict


def _parse_rows(rows: list[dict[str, str]], *, departements: set, regions: set, where: str = ""):
    """``(parsed rows, errors, blank rows)``: a row with neither a date nor any value (the
    DITP lists every zone, even where an indicator has no figure) is skipped, not an error."""
    parsed: list[_Row] = []
    errors: list[str] = []
    blank = 0

    def error(line: int, column: str, message: str) -> None:
        errors.append(f"{where}Ligne {line}, colonne {column} : {message}")

    for index, row in enumerate(rows):
        line = index + 2  # line 1 is the header
        if None in row:  # more cells than headers
            error(line, "—", "la ligne compte plus de cellules que l'en-tête.")
            continue
        cells = {key: (row.get(key) or "").strip() for key in REQUIRED_COLUMNS}
        if not cells["metric_enforce_date"] and not any(cells[c] for c in VALUE_COLUMNS):
            blank += 1
            continue
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
    return parsed, errors, blank


def _parse_metadata(raw: bytes | str) -> dict[str, dict]:
    headers, rows = _read_csv(raw)
    columns = {
        key: next((name for name in names if name in headers), None)
        for key, names in METADATA_COLUMNS.items()
    }
    columns["direction"] = columns["direction"] or "tendance"
    if columns["code"] is None:
        raise BarometreImportError(
            ["Fichier de métadonnées : la colonne indic_id est introuvable dans l'en-tête."]
        )
    metadata: dict[str, dict] = {}
    errors = []
    for index, row in enumerate(rows):
        line = index + 2

        def cell(key: str, row=row) -> str:
            for name in METADATA_COLUMNS[key]:
                if value := (row.get(name) or "").strip():
                    return value
            return ""

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
            "description": cell("description"),
            "chantier": cell("chantier")[:20],
            "theme": cell("theme")[:120],
            "unit": cell("unit")[:255],
            "higher_is_better": True if direction in UP else False if direction in DOWN else None,
        }
    if errors:
        raise BarometreImportError(errors)
    return metadata


def import_barometre(*, data: bytes | str, metadata: bytes | str | None = None) -> ImportReport:
    """Import one Baromètre CSV (and optionally its indicators' metadata), all or nothing.

    Idempotent: a figure is identified by (indicator, maille, zone, date) and updated in
    place when imported again. Raises ``BarometreImportError`` listing every bad line.
    """
    parsed, blank = _parse_values(data)
    meta = _parse_metadata(metadata) if metadata is not None else {}
    with transaction.atomic():
        report = ImportReport(rows=len(parsed) + blank, blank_rows=blank)
        chantiers = _chantier_ids({m["chantier"] for m in meta.values() if m["chantier"]})
        _write_indicators(report, {row.code for row in parsed}, meta, {}, chantiers)
        _write_values(report, parsed)
        return report


def _parse_values(
    data: bytes | str, *, where: str = "", zones: dict | None = None
) -> tuple[list[_Row], int]:
    headers, rows = _read_csv(data)
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        raise BarometreImportError(
            [f"{where}Ligne 1 : colonne(s) manquante(s) dans l'en-tête : {', '.join(missing)}."]
        )
    parsed, errors, blank = _parse_rows(rows, **(zones or _zones()), where=where)
    if errors:
        raise BarometreImportError(errors)
    return parsed, blank


def _zones() -> dict[str, set]:
    return {
        "departements": set(Departement.objects.values_list("code", flat=True)),
        "regions": set(Region.objects.values_list("code", flat=True)),
    }


def _chantier_ids(codes: set[str]) -> dict[str, int]:
    """``{code: id}`` of these chantiers, created (named by their code) when missing."""
    known = dict(Chantier.objects.filter(code__in=codes).values_list("code", "id"))
    for code in sorted(codes - set(known)):
        known[code] = Chantier.objects.create(code=code, name=code).pk
    return known


def _write_indicators(
    report: ImportReport,
    codes: set[str],
    meta: dict[str, dict],
    config: dict[str, dict],
    chantiers: dict[str, int],
) -> dict[str, Indicator]:
    """Create or update the indicators named by the figures, the metadata or the config."""
    codes = codes | set(meta)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    for code in sorted(codes):
        fields = dict(meta.get(code) or {})
        if chantier := fields.pop("chantier", None):
            fields["chantier_id"] = chantiers[chantier]
        fields.update(config.get(code) or {})
        if code not in indicators:
            indicators[code] = Indicator.objects.create(code=code, **{"name": code, **fields})
            report.indicators_created += 1
        elif fields:
            indicator = indicators[code]
            for name, value in fields.items():
                setattr(indicator, name, value)
            indicator.save()
    report.indicator_codes = sorted(codes)
    report.configured = sum(1 for code in codes if code in config)
    return indicators


def _write_values(report: ImportReport, parsed: list[_Row]) -> None:
    codes = report.indicator_codes
    indicators = dict(Indicator.objects.filter(code__in=codes).values_list("code", "id"))
    # The last row wins when a file repeats a figure (same indicator, zone and date).
    unique: dict[tuple, _Row] = {
        (row.code, row.maille, row.zone_id, row.date): row for row in parsed
    }
    before = IndicatorValue.objects.filter(indicator__code__in=codes).count()
    objects = [
        IndicatorValue(
            indicator_id=indicators[row.code],
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


# --- The whole published dataset ------------------------------------------------------


def _parse_engagements(raw: bytes) -> list[dict]:
    _headers, rows = _read_csv(raw)
    where = DATASET_FILES["engagements"]
    engagements, errors = [], []
    for line, row in enumerate(rows, start=2):
        cells = {key: (row.get(col) or "").strip() for key, col in ENGAGEMENT_COLUMNS.items()}
        if cells["code"] == NO_ENGAGEMENT:
            continue
        if not cells["code"] or not cells["name"] or not cells["number"].isdigit():
            errors.append(f"{where}, ligne {line} : engagement incomplet ou mal numéroté.")
            continue
        engagements.append({**cells, "number": int(cells["number"])})
    if errors:
        raise BarometreImportError(errors)
    return engagements


def _parse_chantiers(raw: bytes) -> list[dict]:
    _headers, rows = _read_csv(raw)
    where = DATASET_FILES["chantiers"]
    chantiers, errors = [], []
    for line, row in enumerate(rows, start=2):
        cells = {key: (row.get(col) or "").strip() for key, col in CHANTIER_COLUMNS.items()}
        if not cells["code"] or not cells["name"]:
            errors.append(f"{where}, ligne {line} : chantier sans identifiant ou sans nom.")
            continue
        chantiers.append(cells)
    if errors:
        raise BarometreImportError(errors)
    return chantiers


def _parse_config(raw: bytes) -> dict[str, dict]:
    """``{indicator code: fields}`` from ``config-viz.yml``."""
    where = DATASET_FILES["config"]
    try:
        document = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        raise BarometreImportError([f"{where} : YAML illisible ({exc})."]) from exc
    config, errors = {}, []
    for entry in document.get("indicateurs") or []:
        code = str(entry.get("id") or "").strip()
        if not code:
            errors.append(f"{where} : un indicateur n'a pas d'identifiant.")
            continue
        fields = {}
        for key, name in CONFIG_FIELDS.items():
            value = entry.get(key)
            if name == "is_percentage":
                fields[name] = value is True
            elif name == "mailles":
                mailles = [str(m).upper() for m in (value or [])]
                if unknown := set(mailles) - set(Maille.values):
                    errors.append(f"{where}, {code} : maille(s) inconnue(s) {sorted(unknown)}.")
                fields[name] = [m for m in Maille.values if m in mailles]
            else:
                limit = Indicator._meta.get_field(name).max_length
                fields[name] = str(value or "").strip()[:limit]
        config[code] = fields
    if errors:
        raise BarometreImportError(errors)
    return config


def dataset_digest(directory: Path = DATASET_DIR) -> str:
    """A digest of the dataset's files: the same digest means the same data."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def import_barometre_dataset(*, directory: Path = DATASET_DIR, force: bool = False) -> ImportReport:
    """Import the whole published Baromètre (engagements, chantiers, indicators with their
    units, every figure), all or nothing; idempotent.

    When the files are those of the last import (same digest), nothing is read again
    unless ``force``; ``report.up_to_date`` says so.
    """
    digest = dataset_digest(directory)
    if not force and _last_digest() == digest:
        return ImportReport(up_to_date=True)

    def read(part: str) -> bytes:
        try:
            return (directory / DATASET_FILES[part]).read_bytes()
        except OSError as exc:
            message = f"{DATASET_FILES[part]} : lecture impossible ({exc})."
            raise BarometreImportError([message]) from exc

    engagements = _parse_engagements(read("engagements"))
    chantiers = _parse_chantiers(read("chantiers"))
    meta = _parse_metadata(read("indicators"))
    config = _parse_config(read("config"))
    files = sorted(directory.glob(DATASET_FILES["values"]))
    if not files:
        raise BarometreImportError([f"{DATASET_FILES['values']} : aucun fichier de valeurs."])
    parsed: list[_Row] = []
    blank = 0
    zones = _zones()
    for path in files:
        where = f"{path.name}, "
        rows, blank_rows = _parse_values(path.read_bytes(), where=where, zones=zones)
        parsed += rows
        blank += blank_rows
    known_chantiers = {c["code"] for c in chantiers}
    orphans = sorted({m["chantier"] for m in meta.values()} - known_chantiers - {""})
    if orphans:
        raise BarometreImportError(
            [f"{DATASET_FILES['indicators']} : chantier(s) inconnu(s) {', '.join(orphans)}."]
        )
    with transaction.atomic():
        report = ImportReport(rows=len(parsed) + blank, blank_rows=blank, files=len(files))
        engagement_ids = {}
        for row in engagements:
            engagement, _created = GovernmentEngagement.objects.update_or_create(
                code=row["code"], defaults={"number": row["number"], "name": row["name"][:255]}
            )
            engagement_ids[row["code"]] = engagement.pk
        chantier_ids = {}
        for row in chantiers:
            chantier, _created = Chantier.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"][:255],
                    "engagement_id": engagement_ids.get(row["engagement"]),
                },
            )
            chantier_ids[row["code"]] = chantier.pk
        report.engagements, report.chantiers = len(engagement_ids), len(chantier_ids)
        values_codes = {row.code for row in parsed}
        _write_indicators(
            report,
            values_codes,
            {code: m for code, m in meta.items() if code in values_codes},
            config,
            chantier_ids,
        )
        _write_values(report, parsed)
        BarometreImport.objects.create(
            digest=digest, rows=report.rows, indicators=len(report.indicator_codes)
        )
        return report


def _last_digest() -> str | None:
    """The digest of the last dataset import, if the database still holds its figures."""
    if not Indicator.objects.filter(imported_at__isnull=False).exists():
        return None
    last = BarometreImport.objects.order_by("-imported_at", "-id").first()
    return last.digest if last else None
