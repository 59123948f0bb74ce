"""Reads of this app: querysets with their joins and an explicit order."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from forum_ouvert.core.extensions import Section
from forum_ouvert.core.models import User
from participation.contributions.models import Response
from participation.forum.models import College, Member

from .models import (
    Amendment,
    CalendarPhase,
    CoAuthorInvitation,
    Opinion,
    Process,
    Proposal,
    ProposalFate,
    ProposalStatus,
    ProposalSupport,
    ProposalVersion,
    Verdict,
)


def processes() -> QuerySet[Process]:
    """Every co-creation with its plan and its calendar (two queries)."""
    return (
        Process.objects.select_related("plan")
        .prefetch_related(Prefetch("phases", queryset=CalendarPhase.objects.order_by("starts_on")))
        .order_by("-created_at", "-id")
    )


def staff_processes() -> QuerySet[Process]:
    """Every co-creation for the staff's desk, with how many submitted proposals it has
    and how many still await the government's response (the same two queries)."""
    submitted = Q(proposals__status=ProposalStatus.SUBMITTED)
    return processes().annotate(
        submitted_count=Count("proposals", filter=submitted),
        awaiting_count=Count(
            "proposals", filter=submitted & Q(proposals__fate=ProposalFate.AWAITING)
        ),
    )


def published_processes() -> QuerySet[Process]:
    return processes().filter(calendar_published_at__isnull=False)


def process_by_slug(*, slug: str) -> Process | None:
    return processes().filter(plan__slug=slug).first()


def submitted_proposals(*, process: Process) -> QuerySet[Proposal]:
    """The public proposals of a co-creation, the latest submitted first, with their
    authors (one query whatever their number; the list shows no version text)."""
    return (
        Proposal.objects.filter(process=process, status=ProposalStatus.SUBMITTED)
        .select_related("author")
        .defer("problem", "description", "how_it_helps", "partners", "milestones")
        .order_by("-submitted_at", "-id")
    )


def public_proposals_of(*, user: User) -> QuerySet[Proposal]:
    """The proposals ``user`` wrote or co-wrote, as their public page lists them (issue 19,
    item 4): submitted ones of a co-creation whose calendar is public (never drafts), the
    latest submitted first, with their plan (one query a page)."""
    coauthored = CoAuthorInvitation.objects.filter(proposal=OuterRef("pk"), accepted_by=user)
    return (
        Proposal.objects.filter(
            Q(author=user) | Q(Exists(coauthored)),
            status=ProposalStatus.SUBMITTED,
            process__calendar_published_at__isnull=False,
        )
        .select_related("process__plan")
        .defer("problem", "description", "how_it_helps", "partners", "milestones", "search_vector")
        .order_by("-submitted_at", "-id")
    )


def proposals_of(*, process: Process, user: User) -> QuerySet[Proposal]:
    """What ``user`` wrote in this co-creation, drafts included (for their own eyes)."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(process=process, author=user)
        .only("id", "title", "status", "updated_at", "process_id", "version_count")
        .order_by("-updated_at", "-id")
    )


def proposal_in(*, process: Process, pk: int) -> Proposal | None:
    """One proposal of this co-creation, with its author, its response and what became of
    it, and whether others were merged with it (``has_merged``), in one query (``process``
    is set on it)."""
    proposal = (
        Proposal.objects.select_related("author", "merged_into", "commitment", "response")
        .annotate(has_merged=Exists(Proposal.objects.filter(merged_into=OuterRef("pk"))))
        .filter(process=process, pk=pk)
        .first()
    )
    if proposal is not None:
        proposal.process = process
        if proposal.merged_into is not None:  # merged within the same co-creation
            proposal.merged_into.process = process
    return proposal


def version_list(*, proposal: Proposal) -> QuerySet[ProposalVersion]:
    """The versions of a proposal, first to last, without their texts."""
    return (
        proposal.versions.select_related("author")
        .only("id", "number", "created_at", "proposal_id", "author", "amendment_id")
        .order_by("number")
    )


def version_pair(*, proposal: Proposal, old: int, new: int) -> list[ProposalVersion]:
    """Versions ``old`` and ``new`` of a proposal, in that order (missing ones left out)."""
    found = {v.number: v for v in proposal.versions.filter(number__in=[old, new])}
    return [found[n] for n in (old, new) if n in found]


def plan_section(*, plan) -> Section | None:
    """On a plan's page: its co-creation, once the calendar is public (one query)."""
    process = published_processes().filter(plan=plan).first()
    if process is None:
        return None
    return Section(
        "cocreation/includes/_plan_section.html",
        {"process": process, "current": process.phase_at()},
        order=10,
    )


def coauthors(*, proposal: Proposal) -> list[User]:
    """The people who accepted to co-write a proposal, in the order they did (one query)."""
    return [
        invitation.accepted_by
        for invitation in proposal.coauthor_invitations.filter(accepted_by__isnull=False)
        .select_related("accepted_by")
        .order_by("accepted_at", "id")
    ]


def invitations(*, proposal: Proposal) -> QuerySet[CoAuthorInvitation]:
    """Every invitation of a proposal, pending and accepted (for its author's eyes)."""
    return proposal.coauthor_invitations.select_related("accepted_by").order_by("created_at", "id")


def amendments_of(*, proposal: Proposal) -> QuerySet[Amendment]:
    """The amendments of a proposal, oldest first, with their authors (one query)."""
    return (
        proposal.amendments.select_related("author", "decided_by")
        .defer("text")
        .order_by("created_at", "id")
    )


def amendment_in(*, proposal: Proposal, pk: int) -> Amendment | None:
    amendment = proposal.amendments.select_related("author", "decided_by").filter(pk=pk).first()
    if amendment is not None:
        amendment.proposal = proposal
    return amendment


def memberships(*, user: User) -> list[Member]:
    """The member organisations of the forum ``user`` represents and that have not left
    it, with their college (one query; none for an anonymous visitor)."""
    if not user.is_authenticated:
        return []
    return list(
        Member.objects.filter(application__applicant=user, left_on__isnull=True)
        .select_related("college")
        .order_by("college__order", "college__name", "organisation_name", "id")
    )


def opinion_of(*, proposal: Proposal, member: Member) -> Opinion | None:
    return Opinion.objects.filter(proposal=proposal, member=member).first()


@dataclass
class CollegeOpinions:
    """The opinions of one college's members on a proposal."""

    college: College
    opinions: list[Opinion]


@dataclass
class Deliberation:
    """The forum's opinions on a proposal, by college, and how many of each verdict."""

    colleges: list[CollegeOpinions] = field(default_factory=list)
    counts: list[tuple[str, str, int]] = field(default_factory=list)
    total: int = 0
    #: The members that gave an opinion (a member's button says « revoir » then).
    member_ids: frozenset[int] = frozenset()


def deliberation(*, proposal: Proposal) -> Deliberation:
    """The opinions on a proposal grouped by college (in the colleges' order, then by
    organisation), with the count of each verdict: one query whatever their number."""
    opinions = list(
        Opinion.objects.filter(proposal=proposal)
        .select_related("member__college")
        .order_by(
            "member__college__order",
            "member__college__name",
            "member__college_id",
            "member__organisation_name",
            "id",
        )
    )
    colleges = [
        CollegeOpinions(college=group[0].member.college, opinions=group)
        for group in (list(g) for _key, g in groupby(opinions, key=lambda o: o.member.college_id))
    ]
    counts = [
        (value, label, sum(1 for o in opinions if o.verdict == value))
        for value, label in Verdict.choices
    ]
    return Deliberation(
        colleges=colleges,
        counts=counts,
        total=len(opinions),
        member_ids=frozenset(o.member_id for o in opinions),
    )


def supported(*, user: User, proposal: Proposal) -> set[int]:
    """``{proposal.pk}`` when ``user`` supports it, else empty (the support template's
    test, as for contributions); no query for a visitor."""
    if not user.is_authenticated or proposal.is_draft:
        return set()
    return set(
        ProposalSupport.objects.filter(user=user, proposal=proposal).values_list(
            "proposal_id", flat=True
        )
    )


def response_of(*, proposal: Proposal) -> Response | None:
    """The government's reasoned response to a proposal, or None (no query when the
    proposal came from ``proposal_in``; its older revisions are read only when shown)."""
    try:
        return proposal.response
    except Response.DoesNotExist:
        return None


def merged_from(*, proposal: Proposal) -> list[Proposal]:
    """The proposals merged with this one (it is their result), oldest first (no query
    when ``proposal_in`` found none)."""
    if not getattr(proposal, "has_merged", True):
        return []
    merged = list(proposal.merged_from.only("id", "title", "process_id").order_by("pk"))
    for other in merged:  # merged within the same co-creation: no query for their links
        other.process = proposal.process
    return merged


def origin_of(*, commitment) -> Proposal | None:
    """The proposal a commitment of the plan came from, with its author, or None."""
    return (
        Proposal.objects.select_related("author", "process__plan")
        .filter(commitment=commitment)
        .first()
    )


def commitment_origin_section(*, commitment) -> Section | None:
    """« Issu de la proposition n° 12, co-écrite par … » on the commitment's page (the
    ``commitment_detail`` extension point: engagements never imports the co-creation).
    One query for a commitment that came from no proposal, two for one that did."""
    proposal = origin_of(commitment=commitment)
    if proposal is None:
        return None
    return Section(
        template="cocreation/includes/_commitment_origin.html",
        context={"proposal": proposal, "coauthors": coauthors(proposal=proposal)},
        order=10,
    )


def export_user_data(*, user: User) -> dict:
    """Everything this app holds about ``user``, for « télécharger mes données » (RGPD):
    the proposals they wrote or co-write, the versions, amendments and opinions they wrote,
    the invitations they sent, the proposals they support and the response e-mails they
    were sent."""
    from forum_ouvert.core.models import MailDelivery

    from .services.responses import RESPONSE_MAIL

    def when(value):
        return value.isoformat() if value else None

    written = (
        Proposal.objects.filter(Q(author=user) | Q(coauthor_invitations__accepted_by=user))
        .distinct()
        .select_related("process__plan")
        .order_by("created_at", "id")
    )
    return {
        "propositions": [
            {
                "id": p.pk,
                "plan": p.process.plan.title,
                "titre": p.title,
                "organisation": p.organisation,
                "role": "auteur" if p.author_id == user.pk else "co-auteur",
                "etat": p.get_status_display(),
                "suite_donnee": p.get_fate_display(),
                "creee_le": when(p.created_at),
                "deposee_le": when(p.submitted_at),
                "versions": p.version_count,
            }
            for p in written
        ],
        "versions_ecrites": [
            {"proposition_id": proposal_id, "version": number, "date": when(created)}
            for proposal_id, number, created in ProposalVersion.objects.filter(author=user)
            .order_by("created_at", "id")
            .values_list("proposal_id", "number", "created_at")
        ],
        "invitations_envoyees": [
            {
                "proposition_id": i.proposal_id,
                "adresse_email": i.email,
                "envoyee_le": when(i.created_at),
                "acceptee": i.accepted_at is not None,
            }
            for i in CoAuthorInvitation.objects.filter(invited_by=user).order_by("created_at", "id")
        ],
        "amendements": [
            {
                "proposition_id": a.proposal_id,
                "section": a.section,
                "texte": a.text,
                "motif": a.reason,
                "etat": a.get_status_display(),
                "date": when(a.created_at),
            }
            for a in Amendment.objects.filter(author=user).order_by("created_at", "id")
        ],
        "avis": [
            {
                "proposition_id": o.proposal_id,
                "membre": o.member.organisation_name,
                "avis": o.get_verdict_display(),
                "argument": o.argument,
                "date": when(o.updated_at),
            }
            for o in Opinion.objects.filter(author=user)
            .select_related("member")
            .order_by("created_at", "id")
        ],
        "soutiens": [
            {"proposition_id": proposal_id, "date": when(created)}
            for proposal_id, created in ProposalSupport.objects.filter(user=user)
            .order_by("created_at", "id")
            .values_list("proposal_id", "created_at")
        ],
        "emails_de_reponse_recus": [
            {
                "reponse_id": int(key.removeprefix(RESPONSE_MAIL).split(":")[0]),
                "version": int(key.removeprefix(RESPONSE_MAIL).split(":")[1]),
                "date": when(sent_at),
            }
            for key, sent_at in MailDelivery.objects.filter(
                recipient=user, key__startswith=RESPONSE_MAIL
            )
            .order_by("sent_at", "id")
            .values_list("key", "sent_at")
        ],
    }
