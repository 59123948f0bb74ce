"""Public pages of the plan and its commitments."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from forum_ouvert.core import access
from forum_ouvert.core.extensions import sections_for

from . import selectors
from .models import ActionPlan, Commitment


@access.public
def plan_list(request):
    plans = ActionPlan.objects.order_by("-is_current", "-starts_on", "slug")
    return render(
        request, "engagements/plan_list.html", {"title": _("Les plans d'action"), "plans": plans}
    )


@access.public
def plan_detail(request, slug: str):
    plan = get_object_or_404(ActionPlan, slug=slug)
    context = selectors.plan_overview(plan=plan)
    context["title"] = plan.title
    return render(request, "engagements/plan_detail.html", context)


@access.public
def commitment_list(request):
    plan = selectors.current_plan()
    commitments = selectors.commitments_with_badges(Commitment.objects.filter(plan=plan))
    return render(
        request,
        "engagements/commitment_list.html",
        {"title": _("Les engagements"), "plan": plan, "commitments": commitments},
    )


@access.public
def commitment_detail(request, slug: str):
    commitment = get_object_or_404(
        selectors.commitments_with_badges().prefetch_related("supporting_institutions"), slug=slug
    )
    return render(
        request,
        "engagements/commitment_detail.html",
        {
            "title": commitment.display_title,
            "commitment": commitment,
            "milestones": commitment.milestones.order_by("order", "ends_on", "id"),
            # Related workshops, contributions… registered by the participation apps.
            "related_sections": sections_for("commitment_detail", commitment=commitment),
        },
    )
