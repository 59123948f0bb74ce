"""The demo's co-creation: « PAN 2027-2029 (démonstration) », labelled fictitious."""

import pytest
from django.urls import reverse

from forum_ouvert.portal.demo import ensure_accounts
from participation.cocreation import demo
from participation.cocreation.models import (
    MIN_NOTICE,
    PhaseKind,
    Process,
    Proposal,
    ProposalFate,
    ProposalVersion,
)

pytestmark = pytest.mark.django_db


def test_the_demo_cocreation_is_seeded_once_and_says_it_is_fictitious(client):
    """Seeded twice, the same rows; its pages say the content is fictitious."""
    users = ensure_accounts()
    demo.seed(users=users)
    counts = (Proposal.objects.count(), ProposalVersion.objects.count())
    demo.seed(users=users)
    assert (Proposal.objects.count(), ProposalVersion.objects.count()) == counts == (5, 6)
    process = Process.objects.get(plan__slug=demo.PLAN_SLUG)
    assert process.plan.title == "PAN 2027-2029 (démonstration)"
    assert process.phase_at().kind == PhaseKind.DELIBERATION
    assert process.first_participation_opening() - process.calendar_published_at >= MIN_NOTICE
    html = client.get(process.get_absolute_url()).content.decode()
    assert "Co-construction de démonstration : ce plan, son calendrier" in html
    listing = client.get(
        reverse("cocreation:proposal_list", kwargs={"slug": demo.PLAN_SLUG})
    ).content.decode()
    assert "Ouvrir les agendas" not in listing  # the draft stays private
    revised = Proposal.objects.get(version_count=3)
    diff = client.get(
        reverse("cocreation:proposal_diff", kwargs={"slug": demo.PLAN_SLUG, "pk": revised.pk}),
        {"de": 1, "a": 3},
    ).content.decode()
    assert "<ins>" in diff and "Un premier bilan public" in diff


def test_the_demo_citizen_co_writes_a_proposal(client):
    """Seeded twice, one accepted invitation: the proposal names its co-author."""
    from participation.cocreation.models import CoAuthorInvitation

    users = ensure_accounts()
    demo.seed(users=users)
    demo.seed(users=users)
    invitation = CoAuthorInvitation.objects.get()
    assert invitation.accepted_by == users["citizen"]
    assert invitation.proposal.author == users["association"]
    html = client.get(invitation.proposal.get_absolute_url()).content.decode()
    assert "Co-écrite avec" in html


def test_the_demo_shows_a_response_a_merge_and_a_promotion(client):
    """Seeded twice through the services: one proposal retained with changes and promoted
    to a draft commitment that links back to it, one merged with it, the others awaiting."""
    from engagements.models import Commitment
    from participation.contributions.models import Response

    users = ensure_accounts()
    demo.seed(users=users)
    demo.seed(users=users)
    promoted = Proposal.objects.get(fate=ProposalFate.PROMOTED)
    merged = Proposal.objects.get(fate=ProposalFate.MERGED)
    assert merged.merged_into == promoted and promoted.version_count == 3
    assert Response.objects.filter(proposal__isnull=False).count() == 2
    commitment = Commitment.objects.get(plan__slug=demo.PLAN_SLUG)
    assert promoted.commitment == commitment and commitment.milestones.count() == 2
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f"proposition n° {promoted.pk}" in page
    html = client.get(merged.get_absolute_url()).content.decode()
    assert "Fusionnée avec" in html and "démonstration" in html
    assert Proposal.objects.filter(fate=ProposalFate.AWAITING, status="deposee").count() == 2
    listing = client.get(
        reverse("cocreation:proposal_list", kwargs={"slug": demo.PLAN_SLUG})
    ).content.decode()
    assert "Devenue un engagement du plan" in listing and "Fusionnée" in listing


def test_the_demo_citizens_support_proposals_once(client):
    """Seeded through the supports' service: counts on the list, not doubled by a second
    seeding, and never a citizen's support of what they co-write."""
    from participation.cocreation.models import ProposalSupport

    users = ensure_accounts()
    demo.seed(users=users)
    supports = ProposalSupport.objects.count()
    demo.seed(users=users)
    assert ProposalSupport.objects.count() == supports > 0
    for support in ProposalSupport.objects.select_related("proposal"):
        assert not support.proposal.is_written_by(support.user)
        assert support.proposal.support_count == support.proposal.supports.count()
    listing = client.get(
        reverse("cocreation:proposal_list", kwargs={"slug": demo.PLAN_SLUG})
    ).content.decode()
    assert "soutien" in listing
