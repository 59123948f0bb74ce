"""French organisation identifiers: RNA (associations) and SIRET (establishments)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ASCII digits only: ``\d`` would also take Arabic-Indic or full-width digits, which the
# registers never use and which would slip past the one-application-per-SIREN constraint.
_RNA = re.compile(r"W[0-9]{9}")
_SIRET = re.compile(r"[0-9]{14}")
#: La Poste's establishments share one SIREN and follow their own checksum rule.
_LA_POSTE_SIREN = "356000000"


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def normalise_rna(value: str) -> str:
    """``w75 123 4567`` → ``W751234567``; raises ``ValidationError`` on a wrong format."""
    rna = _compact(value).upper()
    if rna and not _RNA.fullmatch(rna):
        raise ValidationError(
            _("Le numéro RNA commence par W suivi de 9 chiffres (par exemple W751234567)."),
            code="invalid_rna",
        )
    return rna


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum that SIREN and SIRET numbers carry."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def normalise_siret(value: str) -> str:
    """``123 456 789 00012`` → ``12345678900012``; 14 digits with a valid checksum."""
    siret = _compact(value)
    if not siret:
        return ""
    if not _SIRET.fullmatch(siret):
        raise ValidationError(
            _("Le numéro SIRET compte 14 chiffres (les espaces sont acceptés)."),
            code="invalid_siret",
        )
    valid = (
        sum(int(c) for c in siret) % 5 == 0
        if siret.startswith(_LA_POSTE_SIREN) and siret != "35600000000048"
        else luhn_ok(siret)
    )
    if not valid:
        raise ValidationError(
            _("Ce numéro SIRET n'est pas valide : vérifiez-le sur votre avis de situation."),
            code="invalid_siret",
        )
    return siret


def siren_from_siret(siret: str) -> str:
    """The legal entity (SIREN) behind an establishment (SIRET): its first 9 digits."""
    return siret[:9] if siret and len(siret) == 14 else ""
