"""Demonstration data of this app: fictitious, idempotent (see ``forum_ouvert.portal.demo``)."""

from __future__ import annotations


def seed(*, users: dict) -> None:
    """Load this app's demo data; ``users`` are the demo accounts by key (see ACCOUNTS)."""
