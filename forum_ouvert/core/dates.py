"""Dates said in the page's language: « 1er janvier 2027 », « lundi 28 décembre 2026 »,
« 18h00 »; in English « 1 January 2027 », « Monday 28 December 2026 », « 18:00 » (the
month and day names and « 1er » are in the catalogue).

One place for every page, PDF and e-mail (Django's ``date:"j F Y"`` writes « 1 janvier »,
and costs ~0.1 ms a call: a formatter object and a translation lookup per letter; the
Tour page and the lists print a few hundred dates). Datetimes are shown in Europe/Paris.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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
#: « 1er janvier », as French writes the first day of a month.
FIRST_DAY = pgettext_lazy("first day of a month", "1er")


def local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date_label(value) -> str:
    """``1er janvier 2027``, ``28 décembre 2026``; ``""`` for no date."""
    if not isinstance(value, date):
        return ""
    value = local(value)
    day = FIRST_DAY if value.day == 1 else value.day
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def day_label(value) -> str:
    """``lundi 28 décembre 2026``."""
    if not isinstance(value, date):
        return ""
    value = local(value)
    return f"{WEEKDAYS[value.weekday()]} {date_label(value)}"


def datetime_label(value) -> str:
    """``1er janvier 2027 à 14:05`` (Europe/Paris)."""
    if not isinstance(value, datetime):
        return date_label(value)
    value = local(value)
    return _("%(date)s à %(time)s") % {"date": date_label(value), "time": f"{value:%H:%M}"}


def time_label(value) -> str:
    """``18h00`` (Europe/Paris)."""
    if not isinstance(value, datetime):
        return ""
    value = local(value)
    separator = ":" if (get_language() or "fr").startswith("en") else "h"
    return f"{value.hour:02d}{separator}{value.minute:02d}"
