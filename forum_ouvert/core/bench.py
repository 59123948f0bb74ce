"""What an app's benchmark module (``<app>/bench.py``) declares; ``make bench`` runs them.

An app's ``bench.py`` defines:

- ``populate(*, out) -> None``: create its large dataset (idempotent: skip what exists),
  writing progress lines with ``out(str)``;
- ``scenarios() -> list[Scenario]``: the pages and exports to time;
- optionally ``measure(*, out)``: measurements that are not a page (e.g. a PDF render).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    #: A path, or a callable returning one (evaluated after populate, e.g. a slug).
    path: str | Callable[[], str]
    target_median_ms: float = 50
    target_p95_ms: float = 100
    #: Log in as a benchmark account of this role first (None: anonymous).
    role: str | None = None
    repeat: int = 30
    #: HTMX request (``HX-Request: true``) for fragment timings; a string is the HX-Target.
    htmx: bool | str = False
