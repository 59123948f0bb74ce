"""Rendered fragments kept in the cache, under keys that change whenever their data does.

The Tour de France's route, a département's Baromètre figures and the iCalendar feed
change rarely and cost tens of milliseconds to draw; each key carries a version read
from the data (counts and last modification or import times). Nothing is served stale:
a change gives a new key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from forum_ouvert.core import pagecache

from .models import Indicator, Tour, TourStop, Workshop

TIMEOUT = 24 * 3600


def cached_html(key: str, render: Callable[[], str]) -> SafeString:
    """``render()`` once per key; the HTML is safe (rendered by our templates)."""
    html = pagecache.cached_value(f"{key}:{get_language()}", lambda: str(render()), TIMEOUT)
    return mark_safe(html)  # noqa: S308  # nosec  # nosemgrep: fo-mark-safe-non-literal (our templates)


def _stamp(aggregate: dict) -> str:
    last = aggregate["last"]
    return f"{aggregate['n']}-{last.timestamp() if last else 0}"


def tour_version(tour: Tour) -> str:
    """Changes with the Tour, any of its stops, any workshop of a stop, and each day
    (a stop becomes « passée »)."""
    stops = TourStop.objects.filter(tour=tour).aggregate(n=Count("id"), last=Max("updated_at"))
    workshops = Workshop.objects.filter(tour_stop__tour=tour).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return (
        f"{tour.pk}-{tour.updated_at.timestamp()}-{_stamp(stops)}-{_stamp(workshops)}"
        f"-{timezone.localdate():%Y%m%d}"
    )


def workshops_version() -> str:
    """Changes with any workshop, and each hour (workshops that end leave the feed)."""
    workshops = Workshop.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{_stamp(workshops)}-{timezone.now():%Y%m%d%H}"


def filter_form_key(query) -> str:
    """The rendered filter form depends only on the submitted filters and on the choices
    (départements and regions are fixed; the plan's commitments change rarely)."""
    from engagements.models import Commitment

    from .forms import WorkshopFilterForm

    submitted = sorted(
        (name, value[:200])
        for name in WorkshopFilterForm.base_fields
        for value in query.getlist(name)[:1]
    )
    commitments = Commitment.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    digest = hashlib.sha256(repr(submitted).encode()).hexdigest()[:32]
    return f"{digest}-{_stamp(commitments)}"


def barometre_version() -> str:
    """Changes with every Baromètre import (read from the database, so that an import
    run by another process, such as the management command, is seen at once)."""
    return _stamp(Indicator.objects.aggregate(n=Count("id"), last=Max("imported_at")))
