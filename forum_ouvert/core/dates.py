"""Dates written the French way: « 1er janvier 2027 », « 14 juillet 2027 ».

Use ``long_date`` (or the ``long_date`` template filter of the ``forum_ouvert`` library)
wherever a day is written out in full: Django's ``j F Y`` writes « 1 janvier ».
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """« 1er janvier 2027 » (a datetime is read in the site's time zone); "" for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    text = date_format(value, "j F Y")
    return f"1er{text[1:]}" if value.day == 1 else text
