"""What the site's search (``core.search``) finds here: the listed contributions only
(published, or withdrawn after an answer, in a published consultation), through their
stored, indexed vector (migration 0006), never an author's name."""

from __future__ import annotations

from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core.search import SearchKind, joined

from .models import Contribution
from .selectors import listed_contributions


def _context(contribution: Contribution) -> str:
    return _("Contribution du %(date)s à la consultation « %(consultation)s »") % {
        "date": date_format(contribution.created_at, "j F Y"),
        "consultation": contribution.consultation.title,
    }


KINDS = [
    SearchKind(
        key="contributions",
        label=gettext_lazy("Contributions"),
        queryset=lambda: (
            listed_contributions().select_related("consultation").defer("search_vector")
        ),
        vector=lambda: F("search_vector"),
        title_field="title",
        text=lambda: joined("body"),
        url=lambda c: c.get_absolute_url(),
        context=_context,
        order=40,
    )
]
