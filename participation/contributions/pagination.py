"""Pagination that never counts a whole large table.

Counting 100 000 matching rows costs more than showing a page of them. This paginator
counts at most ``cap + 1`` rows (« plus de 1 000 contributions »), and finds out whether
a next page exists by fetching one row more than it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

MAX_PAGE = 5_000  # beyond, OFFSET scans grow: refine the filters instead


@dataclass(frozen=True)
class CappedPage:
    object_list: list
    number: int
    per_page: int
    has_next: bool
    #: Exact number of rows, or None when there are more than ``cap``.
    total: int | None
    cap: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """Known only when the total is."""
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)


def capped_page(qs: QuerySet, page: str | int | None, *, per_page: int = 20, cap: int = 1000):
    """The page ``page`` (1-based; invalid values give page 1) of an ordered queryset."""
    try:
        number = max(1, min(int(page or 1), MAX_PAGE))
    except (TypeError, ValueError):
        number = 1
    counted = qs.order_by().values("pk")[: cap + 1].count()
    total = counted if counted <= cap else None
    if total is not None:
        number = min(number, max(1, -(-total // per_page)))
    start = (number - 1) * per_page
    # Deferred join: skip rows on the bare table, then load the page with its joins
    # (an OFFSET over joined rows would join every skipped row).
    ids = list(qs.values_list("pk", flat=True)[start : start + per_page + 1])
    by_pk = {obj.pk: obj for obj in qs.order_by().filter(pk__in=ids)} if ids else {}
    rows = [by_pk[pk] for pk in ids if pk in by_pk]
    return CappedPage(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=len(rows) > per_page,
        total=total,
        cap=cap,
    )
