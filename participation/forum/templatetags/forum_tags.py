"""Template helpers of the Forum ouvert: status badges and the breadcrumb trail."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ApplicationStatus, CallPhase

register = template.Library()

_APPLICATION_BADGES = {
    ApplicationStatus.DRAFT: "",
    ApplicationStatus.SUBMITTED: "fr-badge--info",
    ApplicationStatus.WITHDRAWN: "",
    ApplicationStatus.RETAINED: "fr-badge--success",
    ApplicationStatus.WAITLISTED: "fr-badge--new",
    ApplicationStatus.REJECTED: "fr-badge--error",
}
_PHASE_BADGES = {
    CallPhase.DRAFT: "",
    CallPhase.SCHEDULED: "fr-badge--new",
    CallPhase.OPEN: "fr-badge--success",
    CallPhase.CLOSED: "fr-badge--warning",
    CallPhase.REVIEW: "fr-badge--info",
    CallPhase.PUBLISHED: "fr-badge--info",
}


@register.simple_tag
def status_badge(status: str, label: str = ""):
    """A DSFR badge for an application's status (``label`` overrides the status's label)."""
    modifier = _APPLICATION_BADGES.get(status, "")
    text = label or ApplicationStatus(status).label
    return format_html(
        '<span class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</span>', modifier, text
    )


@register.simple_tag
def phase_badge(call):
    """A DSFR badge for the phase of a call, as the clock gives it."""
    phase = call.phase_at()
    return format_html(
        '<span class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</span>',
        _PHASE_BADGES.get(phase, ""),
        CallPhase(phase).label,
    )


@register.inclusion_tag("forum/includes/_breadcrumb.html", takes_context=True)
def breadcrumb(context, *pairs):
    """``{% breadcrumb "Forum ouvert" "forum:index" "AMI" "forum:call_list" %}``: the trail
    from the home page; the current page's title closes it."""
    links = []
    for label, target in zip(pairs[::2], pairs[1::2], strict=False):
        try:
            url = reverse(target)
        except NoReverseMatch:
            url = target
        links.append((label, url))
    return {"links": links, "current": context.get("title", "")}


_JOURNAL_LABELS = {
    "forum.application.create": _("Brouillon créé"),
    "forum.application.update": _("Modification"),
    "forum.application.submit": _("Dépôt"),
    "forum.application.withdraw": _("Retrait"),
    "forum.application.decide": _("Décision"),
    "forum.application.notify": _("Décision notifiée"),
    "forum.application.forget": _("Données personnelles effacées"),
    "forum.review.assign": _("Évaluateur·rice assigné·e"),
    "forum.review.score": _("Évaluation"),
    "forum.review.conflict": _("Conflit d'intérêts déclaré"),
}


@register.filter
def journal_label(action: str) -> str:
    """The French name of a journal entry's action code."""
    return _JOURNAL_LABELS.get(action, action)
