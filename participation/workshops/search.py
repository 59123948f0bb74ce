"""What the site's search (``core.search``) finds here: published workshops (full and
cancelled ones too, as their pages are public), never a draft; on the stored, indexed
``Workshop.search_vector``."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core.search import SearchKind, joined

from .models import Workshop


def _context(workshop: Workshop) -> str:
    when = date_format(timezone.localtime(workshop.starts_at), "j F Y")
    if workshop.city:
        return _("Atelier du %(date)s à %(city)s") % {"date": when, "city": workshop.city}
    return _("Atelier du %(date)s") % {"date": when}


KINDS = [
    SearchKind(
        key="ateliers",
        label=gettext_lazy("Ateliers"),
        queryset=lambda: Workshop.objects.public().defer("search_vector"),
        vector=lambda: F("search_vector"),
        title_field="title",
        text=lambda: joined("description"),
        url=lambda w: w.get_absolute_url(),
        context=_context,
        order=50,
    )
]
