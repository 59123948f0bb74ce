"""Public pages of the plan and its commitments, and the open-data exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum_ouvert.core import access, htmx, opendata
from forum_ouvert.core.extensions import sections_for
from forum_ouvert.core.uploads import document_response, safe_download_name

from . import exports, selectors
from .forms import CommitmentFilterForm, RepositoryFilterForm
from .models import ActionPlan, Commitment, Evidence
from .rules import commitment_abilities
from .services import follow_toggle

JOURNAL_PAGE_SIZE = 20
EVIDENCE_ON_PAGE = 10
REPOSITORY_PAGE_SIZE = 25

COMMITMENT_LIST = htmx.Page(
    "engagements/commitment_list.html", htmx.Fragment("results", target="resultats")
)
COMMITMENT_DETAIL = htmx.Page(
    "engagements/commitment_detail.html",
    htmx.Fragment("journal", target="historique"),
    htmx.Fragment("follow", target="suivre"),
)
REPOSITORY = htmx.Page("engagements/repository.html", htmx.Fragment("results", target="resultats"))


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
    context["related_sections"] = sections_for("plan_detail", plan=plan)
    return render(request, "engagements/plan_detail.html", context)


@access.public
def commitment_list(request):
    """All commitments of the current plan, filtered; htmx swaps only the results."""
    plan = selectors.current_plan()
    form = CommitmentFilterForm(request.GET or None, plan=plan)
    filters = form.filters() if form.is_bound else {}
    commitments = list(selectors.commitment_search(plan=plan, filters=filters))
    return COMMITMENT_LIST.render(
        request,
        {
            "title": _("Les engagements"),
            "plan": plan,
            "form": form,
            "commitments": commitments,
            "filtered": bool(filters),
        },
    )


def _commitment_or_404(slug: str) -> Commitment:
    try:
        return selectors.commitment_detail(slug=slug)
    except Commitment.DoesNotExist:
        raise Http404 from None


@access.public
def commitment_detail(request, slug: str):
    """Everything about one commitment: OGP fields, milestones, evidence, public journal."""
    commitment = _commitment_or_404(slug)
    abilities = commitment_abilities(request.user, commitment)
    journal = Paginator(selectors.commitment_journal(commitment=commitment), JOURNAL_PAGE_SIZE)
    journal_page = journal.get_page(request.GET.get("page"))
    context = {
        "title": commitment.display_title,
        "commitment": commitment,
        "abilities": abilities,
        "milestones": selectors.commitment_milestones(commitment=commitment),
        # The latest pieces; the repository lists them all.
        "evidence": list(
            selectors.commitment_evidence(
                commitment=commitment, include_internal=abilities["update"]
            )[: EVIDENCE_ON_PAGE + 1]
        ),
        "evidence_limit": EVIDENCE_ON_PAGE,
        "journal_page": journal_page,
        "journal_acts": selectors.journal_acts(journal_page.object_list),
        "following": request.user.is_authenticated
        and commitment.follows.filter(user=request.user).exists(),
        "related_sections": sections_for("commitment_detail", commitment=commitment),
    }
    return COMMITMENT_DETAIL.render(request, context)


def _commitment_for_follow(request, slug):
    return get_object_or_404(Commitment, slug=slug)


@require_POST
@access.permission("engagements.follow_commitment", _commitment_for_follow)
def commitment_follow(request, slug: str):
    """Follow or stop following (e-mail on every change); htmx swaps the button."""
    commitment = request.permission_object
    following = follow_toggle(user=request.user, commitment=commitment)
    if request.htmx:
        return COMMITMENT_DETAIL.render_fragment(
            request,
            "suivre",
            {"commitment": commitment, "following": following, "abilities": {"follow": True}},
        )
    messages.success(
        request,
        _("Vous suivez cet engagement : vous recevrez un e-mail à chaque changement.")
        if following
        else _("Vous ne suivez plus cet engagement."),
    )
    return redirect(commitment)


@access.public
def repository(request):
    """The OGP repository: the plan's public evidence, filterable, with its last update."""
    plan = selectors.current_plan()
    form = RepositoryFilterForm(request.GET or None, plan=plan)
    filters = form.filters() if form.is_bound else {}
    page = Paginator(selectors.public_evidence(plan=plan, filters=filters), REPOSITORY_PAGE_SIZE)
    return REPOSITORY.render(
        request,
        {
            "title": _("Dépôt des justificatifs"),
            "plan": plan,
            "form": form,
            "page_obj": page.get_page(request.GET.get("page")),
            "last_update": selectors.repository_last_update(plan=plan),
        },
    )


def _evidence(request, pk):
    return get_object_or_404(Evidence.objects.select_related("commitment"), pk=pk, document__gt="")


@access.permission("engagements.download_evidence", _evidence, anonymous=True, private=True)
def evidence_download(request, pk: int):
    """A document of the repository: public ones for all, internal ones for its leads/staff."""
    evidence = request.permission_object
    return document_response(
        evidence.document,
        download_name=safe_download_name(evidence.title, default=f"justificatif-{evidence.pk}"),
        inline=request.GET.get("voir") == "1",
    )


# --- Open data ----------------------------------------------------------------------


@access.public
def open_data(request):
    plan = selectors.current_plan()
    return render(
        request,
        "engagements/open_data.html",
        {"title": _("Données ouvertes"), "plan": plan, "datasets": opendata.datasets()},
    )


@access.public
def export_commitments_csv(request):
    return opendata.csv_response(
        exports.commitment_rows(), exports.COMMITMENT_COLUMNS, "engagements.csv"
    )


@access.public
def export_commitments_json(request):
    return exports.commitments_json_response()


@access.public
def export_milestones_csv(request):
    return opendata.csv_response(exports.milestone_rows(), exports.MILESTONE_COLUMNS, "jalons.csv")


@access.public
def export_journal_csv(request):
    return opendata.csv_response(exports.journal_rows(), exports.JOURNAL_COLUMNS, "journal.csv")


@access.public
def export_journal_atom(request) -> HttpResponse:
    return exports.JournalFeed()(request)
