"""The scoring maths, in one place and free of the database.

A reviewer gives each criterion a mark from 0 to its ``scale_max``. Their evaluation's
note is the weighted mean of the marks brought to a common scale, out of 20:

    note = 20 × Σ(weight × mark / scale_max) / Σ weight

An application's note is the plain mean of its complete evaluations (a reviewer who
declared a conflict of interest does not score), and its spread is the gap between the
highest and the lowest of them: a large spread tells staff that reviewers disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

OUT_OF = Decimal(20)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Mark:
    value: int
    scale_max: int
    weight: int


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def review_note(marks: Iterable[Mark]) -> Decimal | None:
    """The weighted note /20 of one evaluation, or ``None`` without any mark."""
    marks = list(marks)
    total_weight = sum(m.weight for m in marks)
    if not marks or total_weight == 0:
        return None
    weighted = sum(Decimal(m.weight) * Decimal(m.value) / Decimal(m.scale_max) for m in marks)
    return _round(OUT_OF * weighted / Decimal(total_weight))


def aggregate(notes: Iterable[Decimal]) -> tuple[Decimal | None, Decimal | None]:
    """``(mean, spread)`` of the evaluations' notes; ``(None, None)`` without any."""
    notes = [n for n in notes if n is not None]
    if not notes:
        return None, None
    mean = _round(sum(notes) / Decimal(len(notes)))
    return mean, _round(max(notes) - min(notes))
