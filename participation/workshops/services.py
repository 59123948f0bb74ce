"""Writes of this app: keyword-only services, atomic, audited."""

from __future__ import annotations


def forget_user(*, user) -> None:
    """Account deletion (RGPD): remove or anonymise this app's personal rows of ``user``.

    Called by ``forum_ouvert.portal.services.account_delete`` inside its transaction.
    """
