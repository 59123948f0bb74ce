"""DITP staff open a co-creation, set its calendar and publish it through the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.cocreation.models import PhaseKind, Process

from .factories import NextPlanFactory

pytestmark = pytest.mark.django_db


def test_staff_open_a_cocreation_set_a_phase_and_publish_with_a_reason(client, staff):
    """Open, set the proposals phase 3 days ahead, publish: refused, then with a reason."""
    plan = NextPlanFactory(title="Plan d'action national 2027-2029")
    client.force_login(staff)
    response = client.post(
        reverse("cocreation:staff_home"), {"plan": plan.pk, "presentation": "Avec vous."}
    )
    process = Process.objects.get(plan=plan)
    calendar = reverse("cocreation:staff_calendar", kwargs={"slug": plan.slug})
    assert response.url == calendar
    starts = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        calendar,
        {
            "kind": PhaseKind.PROPOSALS,
            "starts_on": starts.isoformat(),
            "ends_on": (starts + datetime.timedelta(days=30)).isoformat(),
            "activities": "Déposer des propositions d'engagements.",
        },
    )
    assert response.status_code == 302
    publish = reverse("cocreation:staff_publish", kwargs={"slug": plan.slug})
    page = client.get(publish).content.decode()
    assert "au moins 14 jours avant l'ouverture" in page
    response = client.post(publish, {"override_reason": ""})
    assert response.status_code == 400
    assert "au moins 14 jours après la publication" in response.content.decode()
    process.refresh_from_db()
    assert not process.is_published
    response = client.post(publish, {"override_reason": "Le calendrier de l'OGP l'impose."})
    assert response.status_code == 302
    client.logout()
    public = client.get(process.get_absolute_url()).content.decode()
    assert "Le calendrier de l&#x27;OGP l&#x27;impose." in public


def test_overlapping_phases_are_refused_on_the_form(client, staff):
    plan = NextPlanFactory()
    client.force_login(staff)
    client.post(reverse("cocreation:staff_home"), {"plan": plan.pk, "presentation": "Avec vous."})
    calendar = reverse("cocreation:staff_calendar", kwargs={"slug": plan.slug})
    day = timezone.localdate() + datetime.timedelta(days=30)
    data = {"starts_on": day.isoformat(), "ends_on": day.isoformat(), "activities": "Lire."}
    client.post(calendar, {**data, "kind": PhaseKind.PROPOSALS})
    response = client.post(calendar, {**data, "kind": PhaseKind.DELIBERATION})
    assert response.status_code == 200
    assert "chevauche la phase « Propositions d&#x27;engagements »" in response.content.decode()


def test_the_staff_desk_counts_the_proposals_awaiting_a_response(client, staff):
    """« 1 proposition sans réponse, sur 2 déposées »: what is left to answer."""
    from participation.cocreation import services

    from .factories import ProcessFactory, ProposalFactory

    process = ProcessFactory(current=PhaseKind.DELIBERATION)
    answered, _waiting = (ProposalFactory(process=process, submitted=True) for _ in range(2))
    ProposalFactory(process=process)  # a draft: not counted
    services.proposal_respond(
        actor=staff, proposal=answered, status="non_retenue", text="Hors du champ du plan."
    )
    client.force_login(staff)
    html = client.get(reverse("cocreation:staff_home")).content.decode()
    assert "1 proposition sans réponse" in html and "sur 2 déposées" in html
