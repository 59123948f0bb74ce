"""Import of an action plan from its JSON description (format ``forum-ouvert/plan@1``).

The whole file is validated before anything is written, then written in one transaction:
a malformed file changes nothing, and the error names the entry and the field. Running
the import twice updates, never duplicates. Status and progress are never touched: they
change only through the journal.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from .institutions import canonical
from .models import ActionPlan, Axis, Commitment, Institution, JournalEntry, PlanStatus

FORMAT = "forum-ouvert/plan@1"


class PlanFileError(ValueError):
    """The file does not follow the format; the message names the entry and the field."""


@dataclass
class ImportReport:
    created: dict[str, int] = field(
        default_factory=lambda: {"plan": 0, "axes": 0, "commitments": 0}
    )
    updated: dict[str, int] = field(
        default_factory=lambda: {"plan": 0, "axes": 0, "commitments": 0}
    )
    unchanged: dict[str, int] = field(
        default_factory=lambda: {"plan": 0, "axes": 0, "commitments": 0}
    )
    to_complete: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        for kind, label in (("plan", "plan"), ("axes", "axes"), ("commitments", "engagements")):
            parts.append(
                f"{label} : {self.created[kind]} créé(s), {self.updated[kind]} mis à jour, "
                f"{self.unchanged[kind]} inchangé(s)"
            )
        text = " ; ".join(parts)
        if self.to_complete:
            numbers = ", ".join(str(n) for n in self.to_complete)
            text += f". Intitulés à compléter par l'équipe : engagements {numbers}."
        return text


def _where(entry: str, name: str) -> str:
    return f"Entrée {entry}, champ « {name} »"


def _require(data: dict, key: str, kinds: tuple[type, ...], entry: str, *, nullable=False) -> Any:
    if key not in data:
        raise PlanFileError(f"{_where(entry, key)} : champ manquant.")
    value = data[key]
    if value is None and nullable:
        return None
    if isinstance(value, bool) and bool not in kinds:
        raise PlanFileError(f"{_where(entry, key)} : type inattendu ({type(value).__name__}).")
    if not isinstance(value, kinds):
        expected = " ou ".join(k.__name__ for k in kinds)
        raise PlanFileError(
            f"{_where(entry, key)} : {expected} attendu, {type(value).__name__} trouvé."
        )
    return value


def _date(data: dict, key: str, entry: str) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise PlanFileError(f"{_where(entry, key)} : date AAAA-MM-JJ attendue.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PlanFileError(f"{_where(entry, key)} : date invalide « {value} ».") from None


def _names(data: dict, key: str, entry: str) -> list[str]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PlanFileError(f"{_where(entry, key)} : liste de noms attendue.")
    return [v.strip() for v in value]


def validate_plan_data(data: Any) -> dict:
    """Check the whole structure; return it normalised. Raises ``PlanFileError``."""
    if not isinstance(data, dict):
        raise PlanFileError("Le fichier doit contenir un objet JSON.")
    if data.get("format") != FORMAT:
        raise PlanFileError(f"Entrée racine, champ « format » : « {FORMAT} » attendu.")
    plan = _require(data, "plan", (dict,), "plan")
    slug = _require(plan, "slug", (str,), "plan")
    if not slug or slugify(slug) != slug:
        raise PlanFileError(f"{_where('plan', 'slug')} : identifiant invalide « {slug} ».")
    title = _require(plan, "title", (str,), "plan")
    if not title.strip():
        raise PlanFileError(f"{_where('plan', 'title')} : titre vide.")
    starts_on, ends_on = _date(plan, "starts_on", "plan"), _date(plan, "ends_on", "plan")
    if starts_on and ends_on and ends_on < starts_on:
        raise PlanFileError(f"{_where('plan', 'ends_on')} : la fin précède le début.")
    normalised_plan = {
        "slug": slug,
        "title": title.strip(),
        "ogp_cycle": plan.get("ogp_cycle") or "",
        "coordinator": plan.get("coordinator") or "",
        "launched_on": _date(plan, "launched_on", "plan"),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "sources": _names(plan, "sources", "plan"),
    }

    axes = []
    for i, axis in enumerate(_require(data, "axes", (list,), "racine")):
        entry = f"axes[{i}]"
        if not isinstance(axis, dict):
            raise PlanFileError(f"Entrée {entry} : objet attendu.")
        number = _require(axis, "number", (int,), entry)
        axis_title = _require(axis, "title", (str,), entry)
        if number < 1 or not axis_title.strip():
            raise PlanFileError(f"{_where(entry, 'number')} : numéro ou intitulé invalide.")
        axes.append({"number": number, "title": axis_title.strip()})
    axis_numbers = [a["number"] for a in axes]
    if len(set(axis_numbers)) != len(axis_numbers):
        raise PlanFileError("Entrée axes, champ « number » : numéro d'axe en double.")

    commitments = []
    seen: set[int] = set()
    for i, item in enumerate(_require(data, "commitments", (list,), "racine")):
        entry = f"commitments[{i}]"
        if not isinstance(item, dict):
            raise PlanFileError(f"Entrée {entry} : objet attendu.")
        number = _require(item, "number", (int,), entry)
        entry = f"commitments[{i}] (engagement n° {number})"
        if number < 1 or number in seen:
            raise PlanFileError(f"{_where(entry, 'number')} : numéro invalide ou en double.")
        seen.add(number)
        confirmed = _require(item, "confirmed", (bool,), entry)
        c_title = _require(item, "title", (str,), entry, nullable=True)
        if confirmed and not (c_title and c_title.strip()):
            raise PlanFileError(f"{_where(entry, 'title')} : un engagement confirmé a un intitulé.")
        axis_number = (
            _require(item, "axis", (int,), entry, nullable=True) if "axis" in item else None
        )
        if axis_number is not None and axis_number not in axis_numbers:
            raise PlanFileError(f"{_where(entry, 'axis')} : l'axe {axis_number} n'existe pas.")
        ogp_id = item.get("ogp_id")
        if ogp_id is not None and not isinstance(ogp_id, str):
            raise PlanFileError(f"{_where(entry, 'ogp_id')} : texte attendu.")
        source = item.get("source") or ""
        if not isinstance(source, str):
            raise PlanFileError(f"{_where(entry, 'source')} : texte attendu.")
        english = {}
        for key in ("title_en", "ogp_short_title_en"):  # from the commitment's OGP page
            value = item.get(key) or ""
            if not isinstance(value, str):
                raise PlanFileError(f"{_where(entry, key)} : texte attendu.")
            english[key] = value.strip()
        commitments.append(
            {
                "number": number,
                "ogp_id": ogp_id or "",
                "confirmed": confirmed,
                "title": (c_title or "").strip(),
                "axis": axis_number,
                "axis_inferred": bool(item.get("axis_inferred", False)),
                "lead": _names(item, "lead", entry),
                "support": _names(item, "support", entry),
                "notes": item.get("notes") or "",
                "theme_hint": item.get("theme_hint") or "",
                "source": source if source.startswith("http") else "",
                "source_text": "" if source.startswith("http") else source,
                **english,
            }
        )
    return {"plan": normalised_plan, "axes": axes, "commitments": commitments}


def _institution(name: str) -> Institution:
    """The one row of the institution ``name`` stands for (« CESE » is the CESE)."""
    short, name = canonical(name)
    inst = Institution.objects.filter(name=name).first()
    if inst:
        if short and not inst.short_name:
            inst.short_name = short
            inst.save(update_fields=["short_name"])
        return inst
    base = slugify(name)[:100] or "institution"
    slug, n = base, 2
    while Institution.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return Institution.objects.create(name=name, short_name=short, slug=slug)


def _commitment_slug(plan: ActionPlan, number: int, title: str) -> str:
    base = slugify(f"{number} {title}") if title else f"engagement-{number}"
    if len(base) > 80:
        base = base[:81].rsplit("-", 1)[0]  # cut at a word boundary
    if plan.slug != "pan-2024-2026":
        base = f"{base[:70]}-{plan.slug[-9:]}".strip("-")
    slug, n = base, 2
    while Commitment.objects.filter(slug=slug).exclude(plan=plan, number=number).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# Stored in French in the journal (gettext_noop: extracted, so that a page in another
# language shows them translated).
_TRACKED = {
    "title": gettext_noop("Intitulé"),
    "title_en": gettext_noop("Intitulé (anglais)"),
    "ogp_id": gettext_noop("Identifiant OGP"),
    "axis": gettext_noop("Axe"),
    "source": gettext_noop("Source"),
}


@transaction.atomic
def import_plan(
    data: Any, *, source_name: str = "fichier", make_current: bool = True
) -> ImportReport:
    """Create or update a plan, its axes and commitments from parsed JSON. Atomic."""
    clean = validate_plan_data(data)
    report = ImportReport()
    p = clean["plan"]
    plan = ActionPlan.objects.select_for_update().filter(slug=p["slug"]).first()
    fields = {k: v for k, v in p.items() if k != "slug"}
    if plan is None:
        plan = ActionPlan(slug=p["slug"], status=PlanStatus.CURRENT, **fields)
        report.created["plan"] += 1
    else:
        changed = any(getattr(plan, k) != v for k, v in fields.items())
        for k, v in fields.items():
            setattr(plan, k, v)
        (report.updated if changed else report.unchanged)["plan"] += 1
    if make_current and not plan.is_current:
        ActionPlan.objects.filter(is_current=True).exclude(pk=plan.pk).update(is_current=False)
        plan.is_current = True
    plan.full_clean()
    plan.save()

    axes: dict[int, Axis] = {}
    for a in clean["axes"]:
        axis, created = Axis.objects.get_or_create(
            plan=plan, number=a["number"], defaults={"title": a["title"]}
        )
        if created:
            report.created["axes"] += 1
        elif axis.title != a["title"]:
            axis.title = a["title"]
            axis.save(update_fields=["title"])
            report.updated["axes"] += 1
        else:
            report.unchanged["axes"] += 1
        axes[a["number"]] = axis

    for c in clean["commitments"]:
        commitment = Commitment.objects.filter(plan=plan, number=c["number"]).first()
        axis = axes.get(c["axis"]) if c["axis"] is not None else None
        wanted = {
            "ogp_id": c["ogp_id"],
            "axis": axis,
            "axis_inferred": c["axis_inferred"],
            "notes": c["notes"] or c["source_text"],
            "theme_hint": c["theme_hint"],
            "source": c["source"],
        }
        # The English title is taken only when the file has one: staff may have written
        # it in the back-office, and the file does not know better.
        for key in ("title_en", "ogp_short_title_en"):
            if c[key]:
                wanted[key] = c[key]
        if c["title"]:
            wanted["title"] = c["title"]
            wanted["title_confirmed"] = c["confirmed"]
        if commitment is None:
            commitment = Commitment(
                plan=plan,
                number=c["number"],
                slug=_commitment_slug(plan, c["number"], c["title"]),
                **wanted,
            )
            commitment.full_clean()
            commitment.save()
            report.created["commitments"] += 1
        else:
            changes = []
            for name, value in wanted.items():
                if name == "axis" and value is None and commitment.axis_id and c["axis"] is None:
                    continue  # staff placed it in an axis; the file does not know better
                old = getattr(commitment, name)
                if old != value:
                    if name in _TRACKED:
                        changes.append((name, old, value))
                    setattr(commitment, name, value)
            commitment.full_clean()
            commitment.save()
            for name, old, new in changes:
                JournalEntry.objects.create(
                    commitment=commitment,
                    actor=None,
                    field=name,
                    field_label=_TRACKED[name],
                    old_value="" if old is None else str(old),
                    new_value="" if new is None else str(new),
                    justification=f"Mise à jour par l'import du fichier {source_name}.",
                )
            (report.updated if changes else report.unchanged)["commitments"] += 1
        commitment.lead_institutions.set([_institution(n) for n in c["lead"]])
        commitment.supporting_institutions.set([_institution(n) for n in c["support"]])
        if commitment.needs_completion:
            report.to_complete.append(commitment.number)
    return report


def import_plan_file(path: str | Path, *, make_current: bool = True) -> ImportReport:
    """Read and import a plan file; malformed JSON is reported like a malformed entry."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanFileError(f"Fichier introuvable : {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanFileError(f"JSON invalide dans {path.name} : {exc}") from None
    return import_plan(data, source_name=path.name, make_current=make_current)
