"""Consultations: created and changed by DITP staff, journaled."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import User

from ..models import Consultation, Theme

_TRACKED = (
    "title",
    "presentation",
    "commitment_id",
    "opens_on",
    "closes_on",
    "moderation_mode",
    "is_published",
)


def _snapshot(consultation: Consultation) -> dict:
    return {name: getattr(consultation, name) for name in _TRACKED}


def _theme_titles(themes: list[str]) -> list[str]:
    """The themes typed, one per line, stripped and without duplicates; each checked as a
    theme's title before anything is written. A theme's field is « title »: reported as
    such, its error would land on the consultation's own title (issue 23), so it is
    reported on « themes », naming the line."""
    titles = []
    for title in themes:
        title = title.strip()
        if title and title not in titles:
            titles.append(title)
    if len(titles) > 30:
        raise ValidationError({"themes": _("Une consultation a au plus 30 thèmes ou questions.")})
    errors = []
    for number, title in enumerate(titles, 1):
        try:
            Theme(title=title).full_clean(exclude=["consultation"], validate_constraints=False)
        except ValidationError as exc:
            errors += [
                _("Thème n° %(n)d : %(error)s") % {"n": number, "error": message}
                for message in exc.messages
            ]
    if errors:
        raise ValidationError({"themes": errors})
    return titles


@transaction.atomic
def consultation_save(
    *, actor: User, consultation: Consultation, themes: list[str]
) -> Consultation:
    """Create or update ``consultation`` and its themes (in the given order). Audited.

    A theme that contributions already answer is kept even if it left the list: their
    answers must keep their question.
    """
    creating = consultation.pk is None
    before = {} if creating else _snapshot(Consultation.objects.get(pk=consultation.pk))
    consultation.full_clean()
    titles = _theme_titles(themes)
    consultation.save()
    existing = {theme.title: theme for theme in consultation.themes.all()}
    for order, title in enumerate(titles):
        theme = existing.pop(title, None) or Theme(consultation=consultation, title=title)
        theme.order = order
        theme.full_clean()
        theme.save()
    for theme in existing.values():
        if theme.contributions.exists():
            theme.order = len(titles) + theme.order
            theme.save(update_fields=["order"])
        else:
            theme.delete()
    after = _snapshot(consultation)
    changes = {
        name: [str(before.get(name, "")), str(value)]
        for name, value in after.items()
        if before.get(name) != value
    }
    audit_log(
        actor=actor,
        action="contributions.consultation.create"
        if creating
        else "contributions.consultation.update",
        target=consultation,
        changes=changes,
    )
    return consultation
