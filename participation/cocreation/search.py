"""What the site's search (``core.search``) finds here: submitted proposals of a
co-creation whose calendar is published; a draft stays its authors' own. On the stored,
indexed ``Proposal.search_vector``."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core.search import SearchKind, joined

from .models import Proposal, ProposalStatus


def _context(proposal: Proposal) -> str:
    return _("Proposition d'engagement — co-construction du %(plan)s") % {
        "plan": proposal.process.plan.title
    }


KINDS = [
    SearchKind(
        key="propositions",
        label=gettext_lazy("Propositions d'engagements"),
        queryset=lambda: (
            Proposal.objects.filter(
                status=ProposalStatus.SUBMITTED, process__calendar_published_at__isnull=False
            )
            .select_related("process__plan")
            .defer("search_vector")
        ),
        vector=lambda: F("search_vector"),
        title_field="title",
        text=lambda: joined("problem", "description", "how_it_helps"),
        url=lambda p: p.get_absolute_url(),
        context=_context,
        order=70,
    )
]
