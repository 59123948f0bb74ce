"""Co-authors: the author invites by e-mail, the person who holds the link accepts, then
edits (their versions credited to them) and is named on the proposal."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core.models import AuditLog, MailDelivery
from participation.cocreation import services
from participation.cocreation.models import COAUTHORS_MAX, CoAuthorInvitation
from participation.cocreation.services.coauthors import (
    invitation_from_token,
    invitation_send,
    invitation_token,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"https?://\S+/co-construction/invitation/\S+/", message.body).group(0)


@pytest.fixture
def invited(db):
    return UserFactory(email="sam@exemple.fr", display_name="Sam K.", public_display_consent=True)


def test_the_author_invites_by_e_mail_once(submitted, author, django_capture_on_commit_callbacks):
    """One invitation, one audit row, one e-mail with a link to accept (sent once even if
    the task runs again)."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.coauthor_invite(
            actor=author, proposal=submitted, email=" Sam@Exemple.fr "
        )
    assert invitation.email == "sam@exemple.fr"
    assert AuditLog.objects.filter(action="cocreation.coauthor.invite").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@exemple.fr"] and submitted.title in message.subject
    assert "Léa V." in message.body
    assert invitation_from_token(_link(message).rstrip("/").rsplit("/", 1)[1]) == invitation
    assert invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1
    assert MailDelivery.objects.filter(key=f"cocreation.coauthor_invitation:{invitation.pk}")


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("pas-une-adresse", "adresse électronique valide"),
        ("LEA@exemple.fr", "votre propre adresse"),
    ],
)
def test_a_bad_address_is_refused_with_a_clear_error(submitted, author, email, error):
    author.email = "lea@exemple.fr"
    author.save()
    with pytest.raises(ValidationError) as caught:
        services.coauthor_invite(actor=author, proposal=submitted, email=email)
    assert error in str(caught.value.message_dict["email"])
    assert not CoAuthorInvitation.objects.exists()


def test_an_address_is_invited_once_and_invitations_are_bounded(submitted, author):
    services.coauthor_invite(actor=author, proposal=submitted, email="sam@exemple.fr")
    with pytest.raises(ValidationError, match="déjà été invitée"):
        services.coauthor_invite(actor=author, proposal=submitted, email="SAM@exemple.fr")
    for i in range(COAUTHORS_MAX - 1):
        services.coauthor_invite(actor=author, proposal=submitted, email=f"p{i}@exemple.fr")
    with pytest.raises(ValidationError, match="au plus"):
        services.coauthor_invite(actor=author, proposal=submitted, email="one-more@exemple.fr")


def test_only_the_author_invites(submitted, invited):
    with pytest.raises(PermissionDenied):
        services.coauthor_invite(actor=invited, proposal=submitted, email="x@exemple.fr")


def test_the_invited_person_accepts_then_edits_and_is_credited(client, submitted, author, invited):
    """Through the pages: the link shows the invitation, accepting makes a co-author, whose
    edit is version 2 in their name, and the proposal names them."""
    invitation = services.coauthor_invite(actor=author, proposal=submitted, email=invited.email)
    url = reverse("cocreation:coauthor_accept", kwargs={"token": invitation_token(invitation)})
    client.force_login(invited)
    page = client.get(url)
    assert page.status_code == 200 and submitted.title in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response.url == submitted.get_absolute_url()
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited
    assert AuditLog.objects.filter(action="cocreation.coauthor.accept", actor=invited).exists()

    services.proposal_edit(
        actor=invited,
        proposal=submitted,
        base_revision=submitted.revision,
        description="Publier les délibérations et leurs annexes, co-écrit.",
    )
    version = submitted.versions.get(number=2)
    assert version.author == invited
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert "Co-écrite avec" in html and "Sam K." in html


def test_a_co_author_may_not_invite_nor_submit(process, author, invited, draft):
    invitation = services.coauthor_invite(actor=author, proposal=draft, email=invited.email)
    services.coauthor_accept(actor=invited, invitation=invitation)
    draft.refresh_from_db()
    fresh = type(draft).objects.get(pk=draft.pk)
    with pytest.raises(PermissionDenied):
        services.coauthor_invite(actor=invited, proposal=fresh, email="y@exemple.fr")
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=invited, proposal=fresh)


def test_a_co_author_sees_the_draft_others_do_not(client, draft, author, invited):
    """A draft is private to its writers: 404 before accepting, 200 after."""
    client.force_login(invited)
    assert client.get(draft.get_absolute_url()).status_code == 404
    invitation = services.coauthor_invite(actor=author, proposal=draft, email=invited.email)
    services.coauthor_accept(actor=invited, invitation=invitation)
    assert client.get(draft.get_absolute_url()).status_code == 200
    edit = reverse(
        "cocreation:proposal_edit", kwargs={"slug": draft.process.plan.slug, "pk": draft.pk}
    )
    assert client.get(edit).status_code == 200


def test_a_link_serves_once_and_not_after_it_expires(submitted, author, invited, settings):
    invitation = services.coauthor_invite(actor=author, proposal=submitted, email=invited.email)
    services.coauthor_accept(actor=invited, invitation=invitation)
    other = UserFactory()
    with pytest.raises(ValidationError, match="déjà été acceptée"):
        services.coauthor_accept(actor=other, invitation=invitation)
    with pytest.raises(ValidationError, match="l'auteur"):
        late = services.coauthor_invite(actor=author, proposal=submitted, email="z@exemple.fr")
        services.coauthor_accept(actor=author, invitation=late)
    token = invitation_token(invitation)
    assert invitation_from_token(token) == invitation
    assert invitation_from_token(token[:-3] + "abc") is None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15), tick=False):
        assert invitation_from_token(token) is None


def test_the_coauthors_page_keeps_the_typed_address_on_error(client, submitted, author):
    client.force_login(author)
    url = reverse(
        "cocreation:proposal_coauthors",
        kwargs={"slug": submitted.process.plan.slug, "pk": submitted.pk},
    )
    response = client.post(url, {"email": "pas une adresse"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="pas une adresse"' in html and "adresse de courriel valide" in html
    response = client.post(url, {"email": "sam@exemple.fr"})
    assert response.status_code == 302
    assert "sam@exemple.fr" in client.get(url).content.decode()


def test_a_co_author_may_not_change_the_organisation_that_signs(submitted, author, invited):
    invitation = services.coauthor_invite(actor=author, proposal=submitted, email=invited.email)
    services.coauthor_accept(actor=invited, invitation=invitation)
    with pytest.raises(ValidationError) as caught:
        services.proposal_edit(
            actor=invited,
            proposal=submitted,
            base_revision=submitted.revision,
            organisation="Une autre association",
        )
    assert "Seul l'auteur" in str(caught.value.message_dict["organisation"])


def test_a_refused_acceptance_is_in_the_shared_error_summary(client, submitted, author):
    """The author opening their own invitation and accepting it: the refusal is the page's
    error summary, and the title says « Erreur : » (RGAA 11.10)."""
    invitation = services.coauthor_invite(actor=author, proposal=submitted, email="x@exemple.fr")
    url = reverse("cocreation:coauthor_accept", kwargs={"token": invitation_token(invitation)})
    client.force_login(author)
    response = client.post(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="fr-alert fr-alert--error fr-mb-3w fo-resume-erreurs"' in html
    assert "Vous êtes l&#x27;auteur de cette proposition." in html
    assert "<title>Erreur :" in html
