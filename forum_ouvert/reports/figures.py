"""Figures of the plan and of participation, as of now: what snapshots and reports record."""

from __future__ import annotations

PARTICIPATION_LABELS = {
    "contributions": "Contributions publiées",
    "supports": "Soutiens",
    "responses": "Retours argumentés donnés",
    "workshops_held": "Ateliers tenus",
    "registrations": "Inscriptions aux ateliers",
    "attendance": "Présences aux ateliers",
    "forum_members": "Membres du Forum ouvert",
    "forum_meetings": "Séances du Forum ouvert",
}


def participation_figures() -> dict[str, int]:
    """Participation counts, each participation app giving its own."""
    from participation.contributions import selectors as contributions
    from participation.forum import selectors as forum
    from participation.workshops import selectors as workshops

    figures: dict[str, int] = {}
    for app in (contributions, workshops, forum):
        figures.update(app.snapshot_figures())
    return figures
