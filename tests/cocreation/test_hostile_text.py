"""What people type into a co-creation is shown as text on every page, never as markup."""

import pytest
from django.urls import reverse

from participation.cocreation import services
from participation.cocreation.models import CalendarPhase, Process

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db

PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def test_every_typed_text_is_escaped_on_every_page(client, process, author):
    """Title, sections, milestones, organisation, calendar and override reason: escaped."""
    Process.objects.filter(pk=process.pk).update(presentation=PAYLOAD, early_opening_reason=PAYLOAD)
    CalendarPhase.objects.filter(process=process).update(activities=PAYLOAD)
    proposal = ProposalFactory(
        process=process,
        author=author,
        title=f"Titre {PAYLOAD}"[:160],
        organisation="Org <b>grasse</b>",
        problem=PAYLOAD,
        description=PAYLOAD,
        how_it_helps=PAYLOAD,
        lead_institution=PAYLOAD,
        partners=PAYLOAD,
        milestones=[{"deliverable": PAYLOAD, "starts_on": "", "ends_on": ""}],
        submitted=True,
    )
    services.proposal_edit(
        actor=author,
        proposal=proposal,
        base_revision=proposal.revision,
        description=f"{PAYLOAD} bis",
        partners=f"{PAYLOAD} ter",
    )
    slug = process.plan.slug
    kwargs = {"slug": slug, "pk": proposal.pk}
    pages = [
        reverse("cocreation:process", kwargs={"slug": slug}),
        reverse("cocreation:proposal_list", kwargs={"slug": slug}),
        reverse("cocreation:proposal_detail", kwargs=kwargs),
        reverse("cocreation:proposal_version", kwargs={**kwargs, "number": 1}),
        reverse("cocreation:proposal_diff", kwargs=kwargs) + "?de=1&a=2",
    ]
    client.force_login(author)
    pages.append(reverse("cocreation:proposal_edit", kwargs=kwargs))
    for path in pages:
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert "<img src=x" not in html and "<script>alert" not in html, path
        assert "<b>grasse" not in html, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, path
