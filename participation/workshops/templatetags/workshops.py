"""Date labels for the workshops' pages.

Django's ``date`` filter costs ~0.1 ms a call (a formatter object and a translation lookup
per letter); the Tour page and the lists print a few hundred dates. These filters give the
same French labels in a few microseconds.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()

MONTHS = (
    _("janvier"),
    _("février"),
    _("mars"),
    _("avril"),
    _("mai"),
    _("juin"),
    _("juillet"),
    _("août"),
    _("septembre"),
    _("octobre"),
    _("novembre"),
    _("décembre"),
)
WEEKDAYS = (
    _("lundi"),
    _("mardi"),
    _("mercredi"),
    _("jeudi"),
    _("vendredi"),
    _("samedi"),
    _("dimanche"),
)


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def fr_date(value) -> str:
    """``28 décembre 2026``."""
    if not isinstance(value, date):
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def fr_day(value) -> str:
    """``lundi 28 décembre 2026``."""
    if not isinstance(value, date):
        return ""
    value = _local(value)
    return f"{WEEKDAYS[value.weekday()]} {fr_date(value)}"


@register.filter
def fr_time(value) -> str:
    """``18h00`` (Europe/Paris)."""
    if not isinstance(value, datetime):
        return ""
    value = _local(value)
    return f"{value.hour:02d}h{value.minute:02d}"


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
