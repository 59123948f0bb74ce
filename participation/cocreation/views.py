"""Pages of the co-creation: thin views that bind a form and call one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum_ouvert.core import access, htmx, opendata, supports
from forum_ouvert.core.forms import ConfirmForm, add_errors

from . import exports, selectors, services
from .diff import diff_text, diff_versions, section_text
from .forms import (
    AmendmentDecisionForm,
    AmendmentForm,
    CoAuthorInviteForm,
    CompareForm,
    OpinionForm,
    PhaseForm,
    ProcessForm,
    ProposalForm,
    ProposalResponseForm,
    PublishForm,
    milestone_formset,
    milestones_from,
)
from .models import AMENDABLE_SECTIONS, Process, Proposal, ProposalText
from .services.coauthors import invitation_from_token
from .services.process import notice_shortfall
from .services.proposals import missing_sections

PAGE_SIZE = 30
SUPPORT = htmx.Page(
    "cocreation/includes/_support.html",
    htmx.Fragment("support", target="soutien-proposition-*"),
)


def _process(request, slug: str, **kwargs) -> Process:
    process = selectors.process_by_slug(slug=slug)
    if process is None:
        raise Http404
    return process


def _proposal(request, slug: str, pk: int, **kwargs) -> Proposal:
    proposal = selectors.proposal_in(process=_process(request, slug), pk=pk)
    if proposal is None:
        raise Http404
    return proposal


def _visible_process(request, slug: str) -> Process:
    process = _process(request, slug)
    if not access.may(request.user, "cocreation.view_process", process):
        raise Http404
    return process


# --- public pages --------------------------------------------------------------------


@access.public
def index(request):
    """Every co-creation whose calendar is public."""
    return render(
        request,
        "cocreation/index.html",
        {
            "title": _("Co-construction des plans d'action"),
            "processes": list(selectors.published_processes()),
        },
    )


@access.permission("cocreation.view_process", _process, anonymous=True, private=True)
def process_detail(request, slug: str):
    """A co-creation: its presentation, its calendar, the phase open today, how to take part."""
    process = request.permission_object
    context = {
        "title": _("Co-construction — %(plan)s") % {"plan": process.plan.title},
        "process": process,
        "calendar": process.calendar(),
        "current": process.phase_at(),
        "can_propose": access.may(request.user, "cocreation.add_proposal", process),
        "mine": list(selectors.proposals_of(process=process, user=request.user)),
        "proposal_count": selectors.submitted_proposals(process=process).count(),
    }
    return render(request, "cocreation/process_detail.html", context)


@access.permission("cocreation.view_process", _process, anonymous=True, private=True)
def proposal_list(request, slug: str):
    """The submitted proposals, the latest first, 30 a page."""
    process = request.permission_object
    page = Paginator(selectors.submitted_proposals(process=process), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cocreation/proposal_list.html",
        {
            "title": _("Propositions d'engagements — %(plan)s") % {"plan": process.plan.title},
            "process": process,
            "page": page,
            "can_propose": access.may(request.user, "cocreation.add_proposal", process),
        },
    )


@access.permission("cocreation.view_proposal", _proposal, anonymous=True, private=True)
def proposal_detail(request, slug: str, pk: int):
    """A proposal: its current text in the OGP template and its versions. A draft exists
    only for its author (404 for anyone else)."""
    proposal = request.permission_object
    versions = list(selectors.version_list(proposal=proposal))
    abilities = access.abilities(
        request.user,
        proposal,
        edit="cocreation.change_proposal",
        submit="cocreation.submit_proposal",
        invite="cocreation.invite_coauthor",
        amend="cocreation.amend_proposal",
        opine="cocreation.give_opinion",
        respond="cocreation.respond_proposal",
        promote="cocreation.promote_proposal",
        support="cocreation.support_proposal",
    )
    return render(
        request,
        "cocreation/proposal_detail.html",
        {
            "title": _("%(title)s — Co-construction") % {"title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "coauthors": selectors.coauthors(proposal=proposal),
            "amendments": list(selectors.amendments_of(proposal=proposal)),
            "deliberation": None
            if proposal.is_draft
            else selectors.deliberation(proposal=proposal),
            "memberships": selectors.memberships(user=request.user) if abilities["opine"] else [],
            "response": None if proposal.is_draft else selectors.response_of(proposal=proposal),
            "merged_from": [] if proposal.is_draft else selectors.merged_from(proposal=proposal),
            "versions": versions,
            "abilities": abilities,
            "can_support": abilities["support"],
            "supported": selectors.supported(user=request.user, proposal=proposal),
            "next_url": proposal.get_absolute_url(),
            "compare": CompareForm(
                initial={"de": max(1, len(versions) - 1), "a": len(versions)},
                numbers=[v.number for v in versions],
            )
            if len(versions) > 1
            else None,
        },
    )


@require_POST
@access.permission("cocreation.support_proposal", _proposal, private="cocreation.view_proposal")
def proposal_support(request, slug: str, pk: int):
    """Support a proposal or withdraw one's support: the count updates in place (htmx),
    or the page reloads; a refusal is said in a message."""
    proposal = request.permission_object
    return supports.toggle(
        request,
        target=proposal,
        add=lambda: services.proposal_support_add(user=request.user, proposal=proposal),
        remove=lambda: services.proposal_support_remove(user=request.user, proposal=proposal),
        page=SUPPORT,
        region="soutien-proposition-*",
        context=lambda: {
            "proposal": proposal,
            "supported": selectors.supported(user=request.user, proposal=proposal),
        },
    )


@access.permission("cocreation.view_proposal", _proposal, anonymous=True, private=True)
def proposal_version(request, slug: str, pk: int, number: int):
    """One version of a proposal, as it was submitted."""
    proposal = request.permission_object
    version = get_object_or_404(proposal.versions.select_related("author"), number=number)
    return render(
        request,
        "cocreation/proposal_version.html",
        {
            "title": _("%(title)s — version %(n)d") % {"title": proposal.title, "n": number},
            "process": proposal.process,
            "proposal": proposal,
            "version": version,
        },
    )


@access.permission("cocreation.view_proposal", _proposal, anonymous=True, private=True)
def proposal_diff(request, slug: str, pk: int):
    """What changed between two versions: additions and deletions, section by section."""
    proposal = request.permission_object
    numbers = list(proposal.versions.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise Http404
    form = CompareForm(
        request.GET or {"de": max(1, numbers[-1] - 1), "a": numbers[-1]}, numbers=numbers
    )
    sections, pair = [], []
    status = 200
    if form.is_valid():
        pair = selectors.version_pair(
            proposal=proposal, old=form.cleaned_data["de"], new=form.cleaned_data["a"]
        )
        sections = diff_versions(*pair) if len(pair) == 2 else []
    else:
        status = 400
    return render(
        request,
        "cocreation/proposal_diff.html",
        {
            "title": _("Comparer les versions — %(title)s") % {"title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "form": form,
            "old": pair[0] if len(pair) == 2 else None,
            "new": pair[1] if len(pair) == 2 else None,
            "sections": sections,
        },
        status=status,
    )


# --- writing a proposal ----------------------------------------------------------------


def _render_form(request, *, process, form, formset, proposal=None, current=None, status=200):
    return render(
        request,
        "cocreation/proposal_form.html",
        {
            "title": (
                _("Modifier la proposition « %(title)s »") % {"title": proposal.title}
                if proposal
                else _("Proposer un engagement")
            ),
            "process": process,
            "proposal": proposal,
            "form": form,
            "formset": formset,
            "current": current,
        },
        status=status,
    )


@access.permission("cocreation.add_proposal", _process, private="cocreation.view_process")
def proposal_create(request, slug: str):
    """Start a proposal in the OGP template: saved as a private draft."""
    process = request.permission_object
    form = ProposalForm(request.POST or None)
    formset = milestone_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user,
                process=process,
                organisation=form.cleaned_data["organisation"],
                milestones=milestones_from(formset),
                **form.text(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            notice = _("Votre brouillon est enregistré. Vous seul le voyez jusqu'au dépôt.")
            messages.success(request, notice)
            return redirect(proposal)
    return _render_form(request, process=process, form=form, formset=formset)


@access.permission("cocreation.change_proposal", _proposal, private="cocreation.view_proposal")
def proposal_edit(request, slug: str, pk: int):
    """Edit a draft in place, or add a version to a submitted proposal. A save from an
    outdated revision is refused: the text typed is kept, the current one shown beside."""
    proposal = request.permission_object
    initial = {
        **{name: getattr(proposal, name) for name in ProposalText.SECTIONS},
        "organisation": proposal.organisation,
        "base_revision": proposal.revision,
    }
    form = ProposalForm(request.POST or None, initial=initial)
    formset = milestone_formset(request.POST or None, milestones=proposal.milestone_rows())
    current = None
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            services.proposal_edit(
                actor=request.user,
                proposal=proposal,
                base_revision=form.cleaned_data["base_revision"] or 0,
                organisation=form.cleaned_data["organisation"],
                milestones=milestones_from(formset),
                **form.text(),
            )
        except services.VersionConflict as exc:
            current = exc.current
            # The text typed stays; saving again now starts from the other version.
            data = request.POST.copy()
            data["base_revision"] = str(current.revision)
            form = ProposalForm(data, initial=initial)
            form.is_valid()
            add_errors(form, exc)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if proposal.is_draft:
                messages.success(request, _("Votre brouillon est enregistré."))
            else:
                messages.success(
                    request, _("Votre modification est publiée comme nouvelle version.")
                )
            return redirect(proposal)
    status = 409 if current is not None else 200
    return _render_form(
        request,
        process=proposal.process,
        form=form,
        formset=formset,
        proposal=proposal,
        current=current,
        status=status,
    )


@access.permission("cocreation.submit_proposal", _proposal, private="cocreation.view_proposal")
def proposal_submit(request, slug: str, pk: int):
    """Submit a draft, after a confirmation: it becomes public as version 1."""
    proposal = request.permission_object
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit(actor=request.user, proposal=proposal)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Votre proposition est déposée : elle est publique."))
            return redirect(proposal)
    return render(
        request,
        "cocreation/proposal_submit.html",
        {
            "title": _("Déposer la proposition"),
            "process": proposal.process,
            "proposal": proposal,
            "missing": missing_sections(proposal),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@access.permission("cocreation.invite_coauthor", _proposal, private="cocreation.view_proposal")
def proposal_coauthors(request, slug: str, pk: int):
    """The author invites co-authors by e-mail and sees who accepted."""
    proposal = request.permission_object
    form = CoAuthorInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.coauthor_invite(
                actor=request.user, proposal=proposal, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("L'invitation est envoyée à %(email)s.") % {"email": invitation.email},
            )
            return redirect("cocreation:proposal_coauthors", slug=slug, pk=pk)
    return render(
        request,
        "cocreation/proposal_coauthors.html",
        {
            "title": _("Co-auteurs de la proposition — %(title)s") % {"title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "form": form,
            "invitations": list(selectors.invitations(proposal=proposal)),
        },
        status=400 if form.errors else 200,
    )


@access.login
def coauthor_accept(request, token: str):
    """The link of an invitation e-mail: who invites, to what; accepting makes the person a
    co-author. A forged, altered or expired link is a 404, like a missing page."""
    invitation = invitation_from_token(token)
    if invitation is None:
        raise Http404
    proposal = invitation.proposal
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.coauthor_accept(actor=request.user, invitation=invitation)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Vous co-écrivez désormais cette proposition."))
            return redirect(proposal)
    return render(
        request,
        "cocreation/coauthor_accept.html",
        {
            "title": _("Invitation à co-écrire — %(title)s") % {"title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "invitation": invitation,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@access.permission("cocreation.amend_proposal", _proposal, private="cocreation.view_proposal")
def proposal_amend(request, slug: str, pk: int):
    """Propose a rewrite of one section of someone else's proposal, with a reason. The
    form starts from the section's current text (``?section=…``); a refusal keeps what was
    typed."""
    proposal = request.permission_object
    if request.method == "POST":
        form = AmendmentForm(request.POST)
    else:
        section = request.GET.get("section", "description")
        if section not in AMENDABLE_SECTIONS:
            section = "description"
        form = AmendmentForm(initial={"section": section, "text": getattr(proposal, section)})
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amendment_propose(
                actor=request.user, proposal=proposal, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Votre amendement est publié ; les auteurs vont l'examiner.")
            )
            return redirect("cocreation:amendment_detail", slug=slug, pk=pk, amendment=amendment.pk)
    return render(
        request,
        "cocreation/proposal_amend.html",
        {
            "title": _("Amender la proposition — %(title)s") % {"title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@access.permission("cocreation.give_opinion", _proposal, private="cocreation.view_proposal")
def proposal_opinion(request, slug: str, pk: int):
    """A member of the Forum ouvert gives its opinion on a proposal, or revises it, during
    the deliberation phase (``?membre=…`` picks the organisation of someone who represents
    several). A refusal keeps what was typed."""
    proposal = request.permission_object
    members = selectors.memberships(user=request.user)
    if not members:  # left the forum since the permission was checked
        raise PermissionDenied
    chosen = next((m for m in members if str(m.pk) == request.GET.get("membre")), members[0])
    existing = None
    if request.method == "POST":
        form = OpinionForm(request.POST, members=members)
    else:
        existing = selectors.opinion_of(proposal=proposal, member=chosen)
        initial = {"member": chosen.pk}
        if existing is not None:
            initial |= {"verdict": existing.verdict, "argument": existing.argument}
        form = OpinionForm(initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        revising = selectors.opinion_of(proposal=proposal, member=member) is not None
        try:
            services.opinion_give(
                actor=request.user,
                proposal=proposal,
                member=member,
                verdict=form.cleaned_data["verdict"],
                argument=form.cleaned_data["argument"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            notice = (
                _("L'avis de %(member)s est mis à jour.")
                if revising
                else _("L'avis de %(member)s est publié.")
            )
            messages.success(request, notice % {"member": member.organisation_name})
            return redirect(proposal.get_absolute_url() + "#avis")
    return render(
        request,
        "cocreation/proposal_opinion.html",
        {
            "title": _("Avis du Forum ouvert — %(title)s") % {"title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "form": form,
            "member": chosen if len(members) == 1 else None,
            "existing": existing,
        },
        status=400 if form.errors else 200,
    )


# --- the government's response (DITP staff) ------------------------------------------


@access.permission("cocreation.respond_proposal", _proposal, private="cocreation.view_proposal")
def proposal_respond(request, slug: str, pk: int):
    """DITP staff give (or correct) the reasoned response to a proposal: retenue, retenue
    avec modifications, fusionnée avec …, non retenue, with its reasons. A refusal keeps
    what was typed."""
    proposal = request.permission_object
    response = selectors.response_of(proposal=proposal)
    correcting = response is not None
    if request.method == "POST":
        form = ProposalResponseForm(request.POST, proposal=proposal, correcting=correcting)
    else:
        initial = {"base_revision": response.revision if response else 0}
        if response is not None:
            initial |= {
                "status": response.status,
                "text": response.text,
                "merged_into": proposal.merged_into_id,
            }
        form = ProposalResponseForm(initial=initial, proposal=proposal, correcting=correcting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_respond(
                actor=request.user,
                proposal=proposal,
                status=data["status"],
                text=data["text"],
                merged_into=data["merged_into"],
                notify=data.get("notify", False),
                base_revision=data["base_revision"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            # Show the response as it stands now: a colleague's may have been published.
            response = selectors.response_of(
                proposal=selectors.proposal_in(process=proposal.process, pk=proposal.pk)
            )
        else:
            messages.success(
                request,
                _("La réponse est corrigée : sa version précédente reste lisible.")
                if correcting
                else _("La réponse du gouvernement est publiée ; ses auteurs en sont avertis."),
            )
            return redirect(proposal.get_absolute_url() + "#reponse")
    return render(
        request,
        "cocreation/proposal_respond.html",
        {
            "title": _("Répondre à la proposition — %(title)s") % {"title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "response": response,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@access.permission("cocreation.promote_proposal", _proposal, private="cocreation.view_proposal")
def proposal_promote(request, slug: str, pk: int):
    """DITP staff turn a retained proposal into a draft commitment of the plan, after a
    confirmation that shows what the commitment will hold."""
    proposal = request.permission_object
    errors = []
    if request.method == "POST":
        try:
            commitment = services.proposal_promote(actor=request.user, proposal=proposal)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _(
                    "La proposition est devenue l'engagement n° %(n)d, en brouillon : "
                    "complétez-le et désignez ses pilotes."
                )
                % {"n": commitment.number},
            )
            return redirect(commitment)
    return render(
        request,
        "cocreation/proposal_promote.html",
        {
            "title": _("Faire de la proposition un engagement — %(title)s")
            % {"title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "coauthors": selectors.coauthors(proposal=proposal),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _amendment(request, slug: str, pk: int, amendment: int, **kwargs):
    proposal = _proposal(request, slug, pk)
    if not access.may(request.user, "cocreation.view_proposal", proposal):
        raise Http404
    found = selectors.amendment_in(proposal=proposal, pk=amendment)
    if found is None:
        raise Http404
    return found


@access.public
def amendment_detail(request, slug: str, pk: int, amendment: int):
    """An amendment: the section as it is and as proposed (a readable diff), the reason,
    the decision; the proposal's authors accept or decline it here."""
    amendment = _amendment(request, slug, pk, amendment)
    proposal = amendment.proposal
    may_decide = access.may(request.user, "cocreation.decide_amendment", amendment)
    form = None
    if may_decide:
        form = AmendmentDecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            accept = form.cleaned_data["decision"] == "accepter"
            reason = form.cleaned_data["decision_reason"]
            try:
                if accept:
                    services.amendment_accept(
                        actor=request.user, amendment=amendment, reason=reason
                    )
                else:
                    services.amendment_decline(
                        actor=request.user, amendment=amendment, reason=reason
                    )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("L'amendement est accepté : il forme une nouvelle version.")
                    if accept
                    else _("L'amendement est refusé ; votre motif est publié."),
                )
                return redirect(
                    "cocreation:amendment_detail", slug=slug, pk=pk, amendment=amendment.pk
                )
    elif request.method == "POST":
        raise PermissionDenied
    current_text = section_text(proposal, amendment.section)
    return render(
        request,
        "cocreation/amendment_detail.html",
        {
            "title": _("Amendement n° %(n)d — %(title)s")
            % {"n": amendment.pk, "title": proposal.title},
            "process": proposal.process,
            "proposal": proposal,
            "amendment": amendment,
            "segments": diff_text(current_text, amendment.text) if amendment.is_open else None,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- open data -------------------------------------------------------------------------


@access.public
def open_data_proposals_csv(request):
    """Every public proposal in its current text (CSV, streamed)."""
    return opendata.csv_response(
        exports.proposal_rows(csv=True), exports.PROPOSAL_COLUMNS, "propositions.csv"
    )


@access.public
def open_data_proposals_json(request):
    return opendata.json_response(exports.proposal_rows(), filename="propositions.json")


@access.public
def open_data_versions_csv(request):
    """Every version of every public proposal (CSV, streamed)."""
    return opendata.csv_response(
        exports.version_rows(csv=True), exports.VERSION_COLUMNS, "versions.csv"
    )


@access.public
def open_data_versions_json(request):
    return opendata.json_response(exports.version_rows(), filename="versions.json")


@access.public
def open_data_amendments_csv(request):
    """Every amendment of every public proposal, with its decision (CSV, streamed)."""
    return opendata.csv_response(
        exports.amendment_rows(), exports.AMENDMENT_COLUMNS, "amendements.csv"
    )


@access.public
def open_data_responses_csv(request):
    """Every version of the government's response to public proposals (CSV, streamed)."""
    return opendata.csv_response(exports.response_rows(), exports.RESPONSE_COLUMNS, "reponses.csv")


@access.public
def open_data_responses_json(request):
    return opendata.json_response(exports.response_rows(), filename="reponses.json")


@access.public
def open_data_opinions_csv(request):
    """Every opinion of the forum's members on public proposals (CSV, streamed)."""
    return opendata.csv_response(exports.opinion_rows(), exports.OPINION_COLUMNS, "avis.csv")


@access.public
def open_data_atom(request):
    return exports.VersionFeed()(request)


# --- pilotage (DITP staff) -------------------------------------------------------------


@access.permission("cocreation.manage_process")
def staff_home(request):
    """Every co-creation, and the form to open one for a plan being co-constructed."""
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("La co-construction est ouverte : fixez son calendrier."))
            return redirect("cocreation:staff_calendar", slug=process.plan.slug)
    return render(
        request,
        "cocreation/staff_home.html",
        {
            "title": _("Pilotage de la co-construction"),
            "processes": list(selectors.staff_processes()),
            "form": form,
        },
    )


@access.permission("cocreation.manage_process")
def staff_calendar(request, slug: str):
    """The calendar of a co-creation: set each phase (with a reason once it is public)."""
    process = _process(request, slug)
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_save(actor=request.user, process=process, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("La phase est enregistrée."))
            return redirect("cocreation:staff_calendar", slug=slug)
        process = _process(request, slug)  # the refused change was rolled back
    return render(
        request,
        "cocreation/staff_calendar.html",
        {
            "title": _("Calendrier — %(plan)s") % {"plan": process.plan.title},
            "process": process,
            "calendar": process.calendar(),
            "form": form,
        },
    )


@access.permission("cocreation.manage_process")
def staff_publish(request, slug: str):
    """Publish the calendar: the 14-day rule, or a public reason to open earlier."""
    process = _process(request, slug)
    # An empty POST is a publication without a reason (the form has one optional field).
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_publish(actor=request.user, process=process, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Le calendrier est publié."))
            return redirect(process)
    return render(
        request,
        "cocreation/staff_publish.html",
        {
            "title": _("Publier le calendrier"),
            "process": process,
            "calendar": process.calendar(),
            "opening": process.first_participation_opening(),
            "short_notice": not process.is_published and notice_shortfall(process, timezone.now()),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
