"""A length of time said in French, from the setting that defines it.

Messages that name a delay (« après 30 minutes d'inactivité ») must say the configured one:
a message written with the default in it goes wrong the day the setting changes."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def duration_text(value: int | float | dt.timedelta) -> str:
    """``1800`` → « 30 minutes », ``3600`` → « 1 heure », ``5400`` → « 1 heure 30 minutes »,
    ``90`` → « 1 minute 30 secondes », ``172800`` → « 2 jours »."""
    seconds = int(value.total_seconds() if isinstance(value, dt.timedelta) else value)
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days} if days else "",
        ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours} if hours else "",
        ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes} if minutes else "",
        ngettext("%(n)d seconde", "%(n)d secondes", secs) % {"n": secs} if secs else "",
    ]
    return " ".join(p for p in parts if p) or _("0 seconde")
