"""Every htmx form and polled region outside the back office of the plan: the answer, swapped
into the page as htmx does it, leaves the page a fresh render shows (a message aside)."""

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core.choices import Role
from forum_ouvert.reports.models import Report, ReportState

from .contributions.factories import ContributionFactory, ReportFactory
from .engagements.factories import CommitmentFactory, PlanFactory
from .forum.factories import CallFactory, bulk_applications
from .htmx import headers_for, hidden_fields, region, swap, trigger
from .workshops.conftest import ensure_territories
from .workshops.factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _territories(db):
    ensure_territories()


def _swap(client, page_url: str, action: str, data: dict | None = None, *, method="post"):
    """Load the page, send the request of the element whose ``hx-<method>`` is ``action``
    as htmx would (its hidden fields, its headers), and return the page after the swap."""
    page = client.get(page_url).content.decode()
    node = trigger(page, f"hx-{method}", action)
    payload = {**hidden_fields(page, node), **(data or {})}
    send = client.post if method == "post" else client.get
    answer = send(action, payload, headers=headers_for(page, node))
    assert answer.status_code == 200 and "HX-Request" in answer["Vary"]
    assert "<html" not in answer.content.decode()
    return swap(page, node, answer.content.decode())


def test_follow_swaps_the_button_of_a_fresh_page(client, make_user):
    """« Suivre cet engagement » with htmx: the page reads as a reload would."""
    commitment = CommitmentFactory()
    client.force_login(make_user(Role.CITIZEN))
    page_url = commitment.get_absolute_url()
    action = reverse("engagements:commitment_follow", kwargs={"slug": commitment.slug})
    swapped = _swap(client, page_url, action)
    assert "Ne plus suivre" in region(swapped, "suivre")
    assert region(swapped) == region(client.get(page_url).content.decode())


def test_support_swaps_the_count_of_a_fresh_page(client, make_user):
    """« Soutenir » with htmx: the count and the pressed button are those of a reload."""
    contribution = ContributionFactory()
    client.force_login(make_user(Role.CITIZEN))
    page_url = contribution.get_absolute_url()
    action = reverse(
        "contributions:support",
        kwargs={"slug": contribution.consultation.slug, "pk": contribution.pk},
    )
    swapped = _swap(client, page_url, action)
    assert "1 soutien" in region(swapped, f"soutien-{contribution.pk}")
    assert region(swapped) == region(client.get(page_url).content.decode())


def test_moderation_swaps_the_queue_of_a_fresh_page(client, make_user):
    """Hiding a reported contribution with htmx leaves the queue a reload shows."""
    hidden, kept = ContributionFactory(), ContributionFactory()
    for item in (hidden, kept):
        ReportFactory(contribution=item)
    client.force_login(make_user(Role.STAFF))
    page_url = reverse("contributions:moderation")
    data = {
        "act": "hide",
        "rule": "injurieux",
        "reason": "Hors charte",
        "contributions": [hidden.pk],
    }
    swapped = _swap(client, page_url, page_url, data)
    assert "1 élément traité" in region(swapped)
    fresh = client.get(page_url).content.decode()
    assert region(swapped, without=("file-moderation-messages",)) == region(fresh)


def test_review_queue_actions_swap_the_results_of_a_fresh_page(client, make_user):
    """Assigning checked applications with htmx leaves the results a reload shows."""
    call = CallFactory(review=True, colleges=[("Associations", 2)])
    first, second = bulk_applications(call, 2)
    reviewer = make_user(Role.STAFF)
    client.force_login(make_user(Role.STAFF))
    page_url = reverse("forum:queue")
    data = {"ids": [first.pk, second.pk], "action": "assigner", "reviewer": reviewer.pk}
    swapped = _swap(client, page_url, reverse("forum:queue_actions"), data)
    assert "2 candidatures assignées" in region(swapped)
    fresh = client.get(page_url).content.decode()
    assert region(swapped, without=("queue-results-messages",)) == region(fresh)


def test_attendance_swaps_the_row_and_the_counter_of_a_fresh_page(client, make_user):
    """Ticking someone present swaps their row and, out of band, the counter, as a reload."""
    workshop = WorkshopFactory(
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    first, _second = RegistrationFactory.create_batch(2, workshop=workshop)
    client.force_login(make_user(Role.STAFF))
    page_url = reverse("workshops:staff_attendance", kwargs={"slug": workshop.slug})
    page = client.get(page_url).content.decode()
    action = reverse(
        "workshops:staff_attendance_mark", kwargs={"slug": workshop.slug, "pk": first.pk}
    )
    form = trigger(page, "hx-post", action)
    answer = client.post(action, {"attended": "1"}, headers=headers_for(page, form))
    swapped = swap(page, form, answer.content.decode())
    assert "1 personne présente sur 2" in region(swapped)
    assert region(swapped) == region(client.get(page_url).content.decode())


def test_a_polled_report_state_is_the_state_of_a_fresh_page(client, make_user):
    """While a report renders, the polled state swaps in what a reload shows."""
    report = Report.objects.create(
        kind="avancement",
        plan=PlanFactory(),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        title="Rapport en préparation",
        state=ReportState.RENDERING,
    )
    client.force_login(make_user(Role.STAFF))
    page_url = report.get_absolute_url()
    action = reverse("reports:staff_state", kwargs={"pk": report.pk})
    swapped = _swap(client, page_url, action, method="get")
    assert region(swapped) == region(client.get(page_url).content.decode())
