"""Territories: the official list of départements and regions, and postcode lookup."""

from __future__ import annotations

import csv
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
# ASCII digits only: "\d" would also accept Arabic-Indic or full-width digits.
_POSTCODE_RE = re.compile(r"^\s*([0-9]{5})\s*$", re.ASCII)


def read_regions() -> list[dict[str, str]]:
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_departements() -> list[dict[str, str]]:
    with (DATA_DIR / "departements.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_territories(*, region_model, departement_model) -> tuple[int, int]:
    """Create or update every region and département; idempotent. Returns the counts."""
    for row in read_regions():
        region_model.objects.update_or_create(code=row["code"], defaults={"name": row["nom"]})
    # Migrations before the field existed load the départements without it.
    has_in_name = any(f.name == "in_name" for f in departement_model._meta.get_fields())
    for row in read_departements():
        defaults = {"name": row["nom"], "region_id": row["region"]}
        if has_in_name:
            defaults["in_name"] = row["dans"]
        departement_model.objects.update_or_create(code=row["code"], defaults=defaults)
    return region_model.objects.count(), departement_model.objects.count()


def departement_code_for_postcode(postcode: str) -> str | None:
    """The INSEE code of the département a French postcode belongs to, or None.

    Mainland: the first two digits. Corsica (20xxx): 200xx and 201xx are Corse-du-Sud
    (2A), the rest Haute-Corse (2B). Overseas (97xxx): the first three digits; Saint-
    Barthélemy and Saint-Martin (971xx) belong to the Guadeloupe range.
    """
    match = _POSTCODE_RE.match(postcode or "")
    if not match:
        return None
    digits = match.group(1)
    if digits.startswith("20"):
        return "2A" if digits[2] in "01" else "2B"
    if digits.startswith("97"):
        code = digits[:3]
        return code if code in {"971", "972", "973", "974", "976"} else None
    if digits.startswith(("00", "96", "98", "99")):
        return None
    return digits[:2]
