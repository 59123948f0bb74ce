"""The participant's record (statut du citoyen participant), composed from every app.

Each participation app says what it verified (``verified_participations``) and what it
holds about a person (``export_user_data``); this module puts them together for
« Mon espace », the *attestation de participation* and « télécharger mes données ».
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.translation import gettext as _

from engagements.models import Follow
from forum_ouvert.core import notifications
from forum_ouvert.core.extensions import VerifiedParticipation
from forum_ouvert.core.links import absolute_url
from forum_ouvert.core.models import User, UserBlock
from forum_ouvert.core.oidc.services import (
    franceconnect_verification,
    identity_list,
    provider_name,
)
from forum_ouvert.core.pdf import render_pdf_from_template
from participation.cocreation import selectors as cocreation_selectors
from participation.contributions import selectors as contributions_selectors
from participation.contributions.models import Attestation
from participation.forum import selectors as forum_selectors
from participation.workshops import selectors as workshops_selectors

#: Apps whose verified participations appear on the attestation, in this order.
PARTICIPATION_APPS = (
    ("workshops", workshops_selectors),
    ("forum", forum_selectors),
    ("contributions", contributions_selectors),
)


def verified_participations(*, user: User) -> list[VerifiedParticipation]:
    """Every participation staff verified, oldest first."""
    items: list[VerifiedParticipation] = []
    for _name, selectors in PARTICIPATION_APPS:
        items.extend(selectors.verified_participations(user=user))
    return sorted(items, key=lambda p: (p.date, str(p.title)))


def total_hours(participations: list[VerifiedParticipation]) -> float | None:
    """Sum of the known durations; None when none is known."""
    hours = [float(p.hours) for p in participations if p.hours is not None]
    return round(sum(hours), 1) if hours else None


def summary(*, user: User) -> dict:
    """The record block of « Mon espace »: participations, hours, attestations."""
    participations = verified_participations(user=user)
    return {
        "participations": participations,
        "total_hours": total_hours(participations),
        "attestations": contributions_selectors.latest_attestations(user=user, limit=3),
        "verified": franceconnect_verification(user=user),
    }


def verification_url(attestation: Attestation) -> str:
    return absolute_url(reverse("portal:attestation_verify", kwargs={"code": attestation.code}))


def attestation_pdf(*, attestation: Attestation) -> bytes:
    """The attestation as a tagged PDF, through the project's sealed renderer."""
    return render_pdf_from_template(
        "portal/record/attestation_pdf.html",
        {
            "attestation": attestation,
            "verification_url": verification_url(attestation),
            "lookup_url": absolute_url(reverse("portal:attestation_lookup")),
        },
    )


def export_user_data(*, user: User) -> dict:
    """Everything the platform holds about ``user`` (RGPD right of access), as plain data."""
    return {
        "compte": {
            "adresse_email": user.email,
            "nom_affiche": user.display_name,
            "nom_affiche_publiquement": user.public_display_consent,
            "page_publique": user.public_profile,
            "page_publique_ouverte_le": (
                user.public_profile_at.isoformat() if user.public_profile_at else None
            ),
            "departement": user.departement_id,
            "langue_des_emails": user.preferred_language,
            "role": user.get_role_display(),
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
            "conditions_generales_version": user.terms_version or None,
            "conditions_generales_acceptees_le": (
                user.terms_accepted_at.isoformat() if user.terms_accepted_at else None
            ),
        },
        "engagements_suivis": [
            {"engagement": slug, "depuis": created.isoformat()}
            for slug, created in Follow.objects.filter(user=user)
            .order_by("created_at")
            .values_list("commitment__slug", "created_at")
        ],
        "blocages": [
            {
                "motif": block.reason,
                "bloque_le": block.created_at.isoformat(),
                "jusqu_au": block.until.isoformat() if block.until else None,
                "debloque_le": block.lifted_at.isoformat() if block.lifted_at else None,
            }
            for block in UserBlock.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "identites_reliees": [
            {
                "fournisseur": provider_name(identity.provider),
                "identifiant": identity.uid,
                "donnees": identity.extra_data,
                "reliee_le": identity.date_joined.isoformat(),
            }
            for identity in identity_list(user=user)
        ],
        "centre_de_notifications": notifications.export_user_data(user=user),
        "forum": forum_selectors.export_user_data(user=user),
        "ateliers": workshops_selectors.export_user_data(user=user),
        "contributions": contributions_selectors.export_user_data(user=user),
        "co_construction": cocreation_selectors.export_user_data(user=user),
    }


# --- The same data, readable: a page of tables, and one CSV -------------------------

#: Words of the export's keys that need their accents (or a capital) to be read.
_WORDS = {
    "etat": "état",
    "departement": "département",
    "derniere": "dernière",
    "theme": "thème",
    "precisions": "précisions",
    "reliee": "reliée",
    "reliees": "reliées",
    "identites": "identités",
    "identite": "identité",
    "regle": "règle",
    "reglages": "réglages",
    "lue": "lue",
    "decisions": "décisions",
    "moderation": "modération",
    "contestee": "contestée",
    "bloque": "bloqué",
    "debloque": "débloqué",
    "jusqu": "jusqu'",
    "verifiee": "vérifiée",
    "franceconnect": "FranceConnect",
    "suivis": "suivis",
    "decision": "décision",
    "deposee": "déposée",
    "notifiee": "notifiée",
    "seances": "séances",
    "seance": "séance",
    "evaluations": "évaluations",
    "conflit": "conflit",
    "interets": "intérêts",
    "telephone": "téléphone",
    "college": "collège",
    "experience": "expérience",
    "pieces": "pièces",
    "jointes": "jointes",
    "debut": "début",
    "besoin": "besoin",
    "accessibilite": "accessibilité",
    "present": "présent",
    "exporte": "exporté",
    "plateforme": "plateforme",
    "recus": "reçus",
    "reponse": "réponse",
    "donnee": "donnée",
    "creee": "créée",
    "ecrites": "écrites",
    "envoyees": "envoyées",
    "envoyee": "envoyée",
    "acceptee": "acceptée",
    "acceptees": "acceptées",
    "generales": "générales",
    "role": "rôle",
    "email": "e-mail",
    "emails": "e-mails",
    "affiche": "affiché",
    "numero": "numéro",
    "d": "d'",
}


def label(key: str) -> str:
    """``derniere_connexion`` → « Dernière connexion »: an export key as a heading."""
    words = [_WORDS.get(word, word) for word in key.split("_")]
    text = " ".join(words).replace("d' ", "d'").replace("jusqu' ", "jusqu'")
    return text[:1].upper() + text[1:]


def cell(value: Any) -> str:
    """One value of the export as the text of a table cell."""
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return _("oui")
    if value is False:
        return _("non")
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


@dataclass
class DataTable:
    """One rubric of the export: a heading, its columns and its rows (already text)."""

    key: str
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: One record (its rows are field, value) rather than a list of items.
    is_record: bool = False


def _flat(item: dict) -> dict:
    """A row whose values may be small dicts (« retour ») spread into columns."""
    flat: dict = {}
    for key, value in item.items():
        if (
            isinstance(value, dict)
            and value
            and all(not isinstance(v, dict | list) for v in value.values())
        ):
            for sub, sub_value in value.items():
                flat[f"{key}_{sub}"] = sub_value
        elif isinstance(value, dict) and not value:
            flat[key] = None
        else:
            flat[key] = value
    return flat


def _table(key: str, title: str, value: Any) -> DataTable:
    if isinstance(value, dict):  # one record: two columns, field and value
        return DataTable(
            key=key,
            title=title,
            columns=[_("Champ"), _("Valeur")],
            rows=[[label(k), cell(v)] for k, v in value.items()],
            is_record=True,
        )
    items = [_flat(item) if isinstance(item, dict) else {"valeur": item} for item in value]
    keys: list[str] = []
    for item in items:
        keys.extend(k for k in item if k not in keys)
    return DataTable(
        key=key,
        title=title,
        columns=[label(k) for k in keys],
        rows=[[cell(item.get(k)) for k in keys] for item in items],
    )


def data_tables(data: dict) -> list[DataTable]:
    """The export as tables: one a rubric, an app's rubrics titled « App — rubric »."""
    tables = []
    for key, value in data.items():
        if isinstance(value, dict) and value and all(isinstance(v, list) for v in value.values()):
            for sub, items in value.items():
                tables.append(_table(f"{key}-{sub}", f"{label(key)} — {label(sub)}", items))
        elif isinstance(value, dict | list):
            tables.append(_table(key, label(key), value))
    return tables


def data_rows(data: dict):
    """The export as the rows of one CSV: rubric, item number, field, value."""
    for table in data_tables(data):
        if table.is_record:
            for column, value in table.rows:
                yield [table.title, 1, column, "" if value == "—" else value]
            continue
        for number, row in enumerate(table.rows, start=1):
            for column, value in zip(table.columns, row, strict=True):
                yield [table.title, number, column, "" if value == "—" else value]
