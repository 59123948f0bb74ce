"""Figures of the plan and of participation, as of now: what snapshots and reports record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PARTICIPATION_LABELS = {
    "contributions": _("Contributions publiées"),
    "supports": _("Soutiens"),
    "responses": _("Retours argumentés donnés"),
    "workshops_held": _("Ateliers tenus"),
    "registrations": _("Inscriptions aux ateliers"),
    "attendance": _("Présences aux ateliers"),
    "forum_members": _("Membres du Forum ouvert"),
    "forum_meetings": _("Séances du Forum ouvert"),
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
