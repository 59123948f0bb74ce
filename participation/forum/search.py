"""What the site's search (``core.search``) finds here: the forum's meetings, their agenda
and, once published, their minutes (« Documents du forum »)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core.search import CONFIG, SearchKind

from .models import Meeting


def _published_minutes():
    """The minutes' text once published, else nothing (a draft is not searchable)."""
    return Case(
        When(minutes_published_at__isnull=False, then=F("minutes_text")),
        default=Value(""),
        output_field=TextField(),
    )


def _vector():
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("agenda", weight="B", config=CONFIG)
        + SearchVector(_published_minutes(), weight="B", config=CONFIG)
        + SearchVector("place", weight="C", config=CONFIG)
    )


def _context(meeting: Meeting) -> str:
    when = date_format(timezone.localtime(meeting.starts_at), "j F Y")
    if meeting.minutes_published_at:
        return _("Séance du Forum ouvert du %(date)s, compte rendu publié") % {"date": when}
    return _("Séance du Forum ouvert du %(date)s") % {"date": when}


KINDS = [
    SearchKind(
        key="forum",
        label=gettext_lazy("Documents du forum"),
        queryset=lambda: Meeting.objects.all(),
        vector=_vector,
        title_field="title",
        text=lambda: Concat(
            F("agenda"), Value(" "), _published_minutes(), output_field=TextField()
        ),
        url=lambda m: m.get_absolute_url(),
        context=_context,
        order=60,
    )
]
