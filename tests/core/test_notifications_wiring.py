"""The events of the apps reach the notification centre, by the person's settings: new
contributions for a consultation's followers, reasoned responses, commitment changes (with
the one-click unfollow of their e-mail), workshops changed or cancelled."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from engagements import services as engagements_services
from engagements.models import CommitmentStatus as S
from engagements.models import Follow
from forum_ouvert.core import notifications
from forum_ouvert.core.models import Notification
from participation.contributions import services
from participation.workshops import services as workshops_services
from tests.contributions.factories import ConsultationFactory, ContributionFactory
from tests.engagements.factories import CommitmentFactory
from tests.workshops.conftest import ensure_territories
from tests.workshops.factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
Kind = notifications.Kind


def test_a_new_contribution_tells_the_consultations_followers(make_user):
    """Following a consultation, I hear of each new contribution, not of my own."""
    consultation = ConsultationFactory()
    follower = make_user("citoyen")
    notifications.follow_toggle(user=follower, target=consultation)
    services.contribution_submit(
        author=make_user("citoyen"), consultation=consultation, title="Idée", body="Texte."
    )
    services.contribution_submit(
        author=follower, consultation=consultation, title="La mienne", body="Texte."
    )
    notification = Notification.objects.get()
    assert notification.recipient == follower and notification.kind == Kind.FOLLOWED
    assert "« Idée »" in notification.message


def test_a_response_tells_author_and_supporters_by_their_settings(
    make_user, django_capture_on_commit_callbacks
):
    """Author and supporter see the response in the centre; the supporter who chose « sur
    le site » gets no e-mail, the author gets one with the unsubscribe link and headers."""
    contribution = ContributionFactory()
    supporter = make_user("citoyen")
    services.support_add(user=supporter, contribution=contribution)
    notifications.settings_save(user=supporter, choices={Kind.RESPONSE: "site"})
    with django_capture_on_commit_callbacks(execute=True):
        services.response_set(
            actor=make_user("ditp"), contribution=contribution, status="retenue", text="Oui."
        )
    assert set(
        Notification.objects.filter(kind=Kind.RESPONSE).values_list("recipient_id", flat=True)
    ) == {contribution.author_id, supporter.pk}
    assert [m.to for m in mail.outbox] == [[contribution.author.email]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_commitment_change_notifies_and_its_email_link_unfollows(
    make_user, django_capture_on_commit_callbacks
):
    """A followed commitment's change is in the centre and e-mailed; the e-mail's link
    (POST, no login) stops following the commitment."""
    follower, lead = make_user(), make_user("pilote")
    commitment = CommitmentFactory()
    Follow.objects.create(user=follower, commitment=commitment)
    with django_capture_on_commit_callbacks(execute=True):
        engagements_services.commitment_update(
            actor=lead,
            commitment=commitment,
            changes={"status": S.LIMITED},
            justification="Le comité de suivi a validé.",
        )
    assert Notification.objects.get().recipient == follower
    message = mail.outbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert Client().post(urlsplit(link).path).status_code == 200
    assert not Follow.objects.filter(user=follower).exists()


def test_a_workshop_change_and_cancellation_tell_the_registered(
    make_user, django_capture_on_commit_callbacks
):
    """A new date is notified (and e-mailed); a cancellation is notified, its e-mail being
    the workshop's own notice with the calendar file."""
    ensure_territories()
    workshop = WorkshopFactory()
    registration = RegistrationFactory(workshop=workshop)
    staff = make_user("ditp")
    with django_capture_on_commit_callbacks(execute=True):
        workshops_services.workshop_update(
            actor=staff, workshop=workshop, fields={"city": "Villeurbanne"}
        )
    notification = Notification.objects.get()
    assert notification.recipient == registration.user and notification.kind == Kind.WORKSHOP
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        workshops_services.workshop_cancel(actor=staff, workshop=workshop, reason="Grève.")
    assert Notification.objects.filter(message__contains="est annulé").count() == 1
    assert len(mail.outbox) == 2  # the cancellation notice only, not a second e-mail
