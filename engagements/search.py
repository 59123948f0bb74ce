"""What the site's search (``core.search``) finds in the plan: commitments, milestones and
public evidence. Every commitment page is public; internal evidence never appears.

Evidence (thousands at bench scale) is matched on its stored, indexed vector; commitments
(17 a plan) and milestones (a few hundred) on a vector computed in the query."""

from __future__ import annotations

from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core.search import SearchKind, document, joined

from .models import Commitment, Evidence, Milestone


def _commitment_context(commitment: Commitment) -> str:
    return _("Engagement %(number)s — %(plan)s") % {
        "number": commitment.number,
        "plan": commitment.plan.title,
    }


def _milestone_context(milestone: Milestone) -> str:
    return _("Jalon de l'engagement %(number)s : %(title)s") % {
        "number": milestone.commitment.number,
        "title": milestone.commitment.display_title,
    }


def _evidence_context(evidence: Evidence) -> str:
    return _("Justificatif du %(date)s, engagement %(number)s : %(title)s") % {
        "date": date_format(evidence.dated_on, "j F Y"),
        "number": evidence.commitment.number,
        "title": evidence.commitment.display_title,
    }


KINDS = [
    SearchKind(
        key="engagements",
        label=gettext_lazy("Engagements"),
        queryset=lambda: Commitment.objects.select_related("plan"),
        vector=lambda: document(
            ("title", "A"),
            ("ogp_id", "A"),
            ("description", "B"),
            ("problem", "B"),
            ("how_it_helps", "C"),
            ("why_relevant", "C"),
            ("theme_hint", "C"),
        ),
        title_field="title",
        text=lambda: joined("description", "problem", "how_it_helps"),
        url=lambda c: c.get_absolute_url(),
        title=lambda c: c.display_title,
        context=_commitment_context,
        order=10,
    ),
    SearchKind(
        key="jalons",
        label=gettext_lazy("Jalons"),
        queryset=lambda: Milestone.objects.select_related("commitment"),
        vector=lambda: document(("deliverable", "A"), ("expected_result", "B")),
        title_field="deliverable",
        text=lambda: joined("expected_result"),
        url=lambda m: m.commitment.get_absolute_url() + "#jalons",
        context=_milestone_context,
        order=20,
    ),
    SearchKind(
        key="justificatifs",
        label=gettext_lazy("Justificatifs"),
        queryset=lambda: (
            Evidence.objects.filter(is_public=True)
            .select_related("commitment")
            .defer("search_vector")
        ),
        vector=lambda: F("search_vector"),
        title_field="title",
        text=None,
        url=lambda e: e.commitment.get_absolute_url() + "#justificatifs",
        context=_evidence_context,
        order=30,
    ),
]
