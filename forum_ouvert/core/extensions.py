"""Extension points: how a higher floor adds to a lower floor's page without being imported.

``engagements`` cannot import ``participation`` (imports go downwards), yet a commitment's
page shows the workshops and contributions related to it. A participation app registers a
*section provider* in its ``AppConfig.ready()``; the commitment page asks the registry for
the sections of its commitment. Each provider must run a bounded number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A block to render: ``template`` with ``context``, in ``order`` on the page."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_providers: dict[str, list[Callable[..., Section | None]]] = defaultdict(list)


def register_section(point: str, provider: Callable[..., Section | None]) -> None:
    """Register ``provider(**kwargs) -> Section | None`` for the extension ``point``.

    Points in use: ``"commitment_detail"`` (kwargs: ``commitment``), ``"plan_detail"``
    and ``"bo_plan_edit"`` (the plan's back-office page; kwargs: ``plan``).
    """
    if provider not in _providers[point]:
        _providers[point].append(provider)


def sections_for(point: str, **kwargs) -> list[Section]:
    """The sections every registered provider returns for ``point``, in order."""
    sections = [s for p in _providers[point] if (s := p(**kwargs)) is not None]
    return sorted(sections, key=lambda s: s.order)


@dataclass(frozen=True)
class VerifiedParticipation:
    """A participation that staff verified (attendance at a workshop, a forum meeting…).

    Listed in the participant's record and on the *attestation de participation*.
    """

    kind: str  # e.g. "Atelier participatif", "Séance du Forum ouvert"
    title: str
    date: object  # datetime.date
    hours: float | None = None
    place: str = ""
