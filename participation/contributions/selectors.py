"""Reads of this app: querysets with their joins and an explicit ordering."""

from __future__ import annotations

from forum_ouvert.core.extensions import VerifiedParticipation


def my_space_context(*, user) -> dict:
    """What « Mon espace » shows of this app for ``user`` (bounded number of queries)."""
    return {}


def verified_participations(*, user) -> list[VerifiedParticipation]:
    """Participations of ``user`` verified by staff, for the participant's attestation."""
    return []


def export_user_data(*, user) -> dict:
    """Everything this app holds about ``user``, for « télécharger mes données » (RGPD)."""
    return {}


def contributions_for_departement(*, code: str, limit: int = 5) -> list:
    """Published contributions from a département, newest first (territory page)."""
    return []
