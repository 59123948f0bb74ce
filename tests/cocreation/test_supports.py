"""The public supports proposals (issue 16, item 5), as contributions: once per person,
while the public takes part; the author is told in a day's grouped notification, the
supporters are told of the reasoned response (item 6), and « Mes données » lists them."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum_ouvert.core.models import Notification, NotificationKind
from forum_ouvert.core.services import user_block
from participation.cocreation import selectors, services
from participation.cocreation.models import PhaseKind, ProposalSupport
from tests.factories import UserFactory

from .factories import ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _url(proposal) -> str:
    return reverse("cocreation:proposal_support", args=[proposal.process.plan.slug, proposal.pk])


def test_a_support_counts_once_and_tells_the_author_in_one_grouped_notification(submitted):
    """Two people support, one of them twice: the count is 2, the author has one unread
    notification that says « 2 nouveaux soutiens », never an e-mail."""
    first, second = UserFactory(), UserFactory()
    assert services.proposal_support_add(user=first, proposal=submitted) is True
    assert services.proposal_support_add(user=first, proposal=submitted) is False
    assert services.proposal_support_add(user=second, proposal=submitted) is True
    submitted.refresh_from_db()
    assert submitted.support_count == 2
    told = Notification.objects.get(recipient=submitted.author, kind=NotificationKind.SUPPORT)
    assert told.count == 2 and "2" in told.message and submitted.title in told.message
    submitted.author.refresh_from_db()
    assert submitted.author.unread_notifications == 1
    assert mail.outbox == []
    assert services.proposal_support_remove(user=first, proposal=submitted) is True
    assert services.proposal_support_remove(user=first, proposal=submitted) is False
    submitted.refresh_from_db()
    assert submitted.support_count == 1
    assert list(ProposalSupport.objects.values_list("user", flat=True)) == [second.pk]
    told.refresh_from_db()
    assert told.count == 1, "the day's notification counts the withdrawal"
    services.proposal_support_remove(user=second, proposal=submitted)
    assert not Notification.objects.filter(kind=NotificationKind.SUPPORT).exists()


def test_what_cannot_be_supported_is_refused_with_a_reason(process, submitted, draft):
    """One's own proposal, a draft, a proposal once the public no longer takes part, and
    a blocked person: refused in French, nothing written."""
    with pytest.raises(ValidationError, match="votre propre proposition"):
        services.proposal_support_add(user=submitted.author, proposal=submitted)
    with pytest.raises(ValidationError, match="proposition déposée"):
        services.proposal_support_add(user=UserFactory(), proposal=draft)
    drafting = ProposalFactory(process=ProcessFactory(current=PhaseKind.DRAFTING), submitted=True)
    with pytest.raises(ValidationError, match="délibération"):
        services.proposal_support_add(user=UserFactory(), proposal=drafting)
    blocked = UserFactory()
    user_block(actor=UserFactory(role="staff"), user=blocked, reason="Propos injurieux répétés.")
    with pytest.raises(ValidationError):
        services.proposal_support_add(user=blocked, proposal=submitted)
    assert not ProposalSupport.objects.exists()


def test_supports_are_given_during_the_deliberation_too():
    proposal = ProposalFactory(
        process=ProcessFactory(current=PhaseKind.DELIBERATION), submitted=True
    )
    assert services.proposal_support_add(user=UserFactory(), proposal=proposal)


def test_the_button_supports_in_place_with_htmx_and_without(client, submitted):
    """With htmx, the region comes back pressed, « 1 soutien · dont le vôtre »; without,
    the page reloads with the same; the second press withdraws."""
    person = UserFactory()
    client.force_login(person)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert f'id="soutenir-proposition-{submitted.pk}"' in page and 'aria-pressed="false"' in page
    answer = client.post(_url(submitted), {"action": "add"}, headers={"HX-Request": "true"})
    html = answer.content.decode()
    assert answer.status_code == 200 and 'aria-pressed="true"' in html
    assert "1 soutien" in html and "dont le vôtre" in html
    assert "<html" not in html  # the fragment only
    answer = client.post(_url(submitted), {"action": "remove"})
    assert answer.status_code == 302 and answer["Location"] == submitted.get_absolute_url()
    page = client.get(answer["Location"]).content.decode()
    assert "Aucun soutien" in page and 'aria-pressed="false"' in page


def test_visitors_read_the_count_and_are_offered_to_log_in(client, submitted):
    services.proposal_support_add(user=UserFactory(), proposal=submitted)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "1 soutien" in page and "Se connecter pour soutenir" in page
    assert f'id="soutenir-proposition-{submitted.pk}"' not in page


def test_the_author_sees_the_count_without_the_button(client, submitted):
    services.proposal_support_add(user=UserFactory(), proposal=submitted)
    client.force_login(submitted.author)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "1 soutien" in page and f'id="soutenir-proposition-{submitted.pk}"' not in page


def test_the_proposal_page_reads_the_same_number_of_queries_with_many_supports(
    client, submitted, django_assert_num_queries
):
    """Supports are a counter on the proposal: the page does not read them one by one."""
    person = UserFactory()
    client.force_login(person)
    services.proposal_support_add(user=UserFactory(), proposal=submitted)
    client.get(submitted.get_absolute_url())  # warm the caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(submitted.get_absolute_url())
    for _ in range(5):
        services.proposal_support_add(user=UserFactory(), proposal=submitted)
    with django_assert_num_queries(len(few)):
        page = client.get(submitted.get_absolute_url()).content.decode()
    assert "6 soutiens" in page


def test_supporters_are_told_of_the_reasoned_response(staff, django_capture_on_commit_callbacks):
    """The government's response reaches supporters as the authors: in their notification
    centre and by one e-mail that says they supported it."""
    proposal = ProposalFactory(
        process=ProcessFactory(current=PhaseKind.DELIBERATION), submitted=True
    )
    supporter = UserFactory(email="nina@exemple.fr")
    services.proposal_support_add(user=supporter, proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_respond(
            actor=staff,
            proposal=proposal,
            status="retenue",
            text="Retenue : elle rejoint le plan sous la forme proposée.",
        )
    assert Notification.objects.filter(recipient=supporter, kind=NotificationKind.RESPONSE).exists()
    (sent,) = [m for m in mail.outbox if m.to == ["nina@exemple.fr"]]
    assert "que vous avez soutenue" in sent.body


def test_my_data_lists_the_proposals_i_support(submitted):
    person = UserFactory()
    services.proposal_support_add(user=person, proposal=submitted)
    data = selectors.export_user_data(user=person)
    assert [s["proposition_id"] for s in data["soutiens"]] == [submitted.pk]
