"""Template filters of the workshops' pages: dates (from ``forum_ouvert.core.dates``, shared
by every app) and the Baromètre's figures."""

from __future__ import annotations

from django import template

from forum_ouvert.core.dates import date_label, datetime_label, day_label, time_label

register = template.Library()
register.filter("fr_date", date_label)
register.filter("fr_day", day_label)
register.filter("fr_datetime", datetime_label)
register.filter("fr_time", time_label)


@register.filter
def month_year(value) -> str:
    """``2023-12-01`` → ``12/2023`` (the Baromètre's figures are monthly)."""
    return f"{value:%m/%Y}" if value else ""


@register.filter(name="fr_figure")
def fr_figure_filter(value) -> str:
    """A Baromètre figure in French (``52,27``), up to 2 decimals."""
    from ..figures import fr_figure

    return fr_figure(value)


@register.filter
def indicator_value(item, value) -> str:
    """A value of an indicator with its unit (``76 %``); ``item`` is its ``IndicatorFigures``."""
    return item.value(value)
