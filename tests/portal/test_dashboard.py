"""The staff dashboard and the home page's progress over time."""

import datetime as dt

import pytest
from django.utils import timezone

from forum_ouvert.reports import services as report_services
from tests.engagements.factories import CommitmentFactory, MilestoneFactory, PlanFactory


@pytest.fixture
def plan_state(make_user):
    plan = PlanFactory()
    lead = make_user("pilote")
    today = timezone.localdate()
    mine = CommitmentFactory(plan=plan, title="Mon engagement", leads=[lead])
    other = CommitmentFactory(plan=plan, title="Un autre engagement")
    MilestoneFactory(
        commitment=mine, deliverable="Livrable en retard", ends_on=today - dt.timedelta(days=3)
    )
    MilestoneFactory(
        commitment=other, deliverable="Autre retard", ends_on=today - dt.timedelta(days=9)
    )
    MilestoneFactory(
        commitment=mine, deliverable="Livrable imminent", ends_on=today + dt.timedelta(days=12)
    )
    return plan, lead, mine, other


@pytest.mark.django_db
def test_staff_dashboard_lists_what_needs_attention(client, make_user, plan_state):
    """Staff see every late milestone, those due soon, and commitments without update."""
    client.force_login(make_user("ditp"))
    html = client.get("/pilotage/").content.decode()
    for text in [
        "Livrable en retard",
        "Autre retard",
        "Livrable imminent",
        "Mon engagement",
        "Derniers rapports",
    ]:
        assert text in html


@pytest.mark.django_db
def test_lead_dashboard_is_limited_to_their_commitments(client, plan_state):
    """A lead sees their own commitment's milestones only, and no reports section."""
    _, lead, _, _ = plan_state
    client.force_login(lead)
    html = client.get("/pilotage/").content.decode()
    assert "Livrable en retard" in html and "Livrable imminent" in html
    assert "Autre retard" not in html and "Derniers rapports" not in html


@pytest.mark.django_db
def test_dashboard_query_count_is_bounded(
    client, make_user, plan_state, django_assert_max_num_queries
):
    """The dashboard's queries do not grow with commitments and milestones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user("ditp"))
    client.get("/pilotage/")
    with CaptureQueriesContext(connection) as small:
        client.get("/pilotage/")
    plan = plan_state[0]
    for _ in range(30):
        c = CommitmentFactory(plan=plan)
        MilestoneFactory(commitment=c, ends_on=timezone.localdate() - dt.timedelta(days=1))
    with django_assert_max_num_queries(30) as big:
        assert client.get("/pilotage/").status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_home_draws_progress_over_time_with_its_table(client, plan_state):
    """With snapshots on several days, the home page shows the curve and its data."""
    today = timezone.localdate()
    for days_ago in (60, 30, 0):
        report_services.snapshot_take(day=today - dt.timedelta(days=days_ago))
    html = client.get("/").content.decode()
    assert "Avancement au fil du temps" in html and "<polyline" in html
    assert "Voir les données du graphique" in html


@pytest.mark.django_db
def test_awaiting_responses_link_opens_exactly_those_contributions(client, make_user):
    """« Contributions sans retour argumenté (2) » opens the list of those two, not the list
    of consultations (issue 22, item 11)."""
    import re

    from tests.contributions.factories import ContributionFactory

    waiting = [ContributionFactory(title=f"En attente {n}") for n in (1, 2)]
    ContributionFactory(title="Déjà traitée", responded_at=timezone.now())
    ContributionFactory(title="Pas encore publiée", pending=True)
    client.force_login(make_user("ditp"))
    html = client.get("/pilotage/").content.decode()
    at = html.index("Contributions sans retour argumenté")
    row = html[:at].rsplit("<tr", 1)[1] + html[at:].split("</tr>")[0]
    href = re.search(r'href="([^"]+)"', row).group(1).replace("&amp;", "&")
    assert re.search(r"<td>\s*2\s*</td>", row)
    listed = client.get(href).content.decode()
    for contribution in waiting:
        assert contribution.title in listed
    assert "Déjà traitée" not in listed and "Pas encore publiée" not in listed
