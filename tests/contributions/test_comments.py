"""Comments and one level of replies, under the consultation's moderation and rate limit."""

import pytest
from django.urls import reverse

from participation.contributions.models import Comment, PublicationStatus

from .factories import CommentFactory, ConsultationFactory, ContributionFactory

pytestmark = pytest.mark.django_db


def _url(contribution):
    return reverse("contributions:comment", args=[contribution.consultation.slug, contribution.pk])


def test_comment_and_reply(client, make_user, contribution):
    """A comment is published, a reply sits under it, a reply to a reply is refused."""
    client.force_login(make_user("citoyen"))
    assert client.post(_url(contribution), {"body": "Bonne idée !"}).status_code == 302
    parent = Comment.objects.get()
    assert (
        client.post(_url(contribution), {"body": "Merci", "parent": parent.pk}).status_code == 302
    )
    reply = Comment.objects.get(parent=parent)
    response = client.post(_url(contribution), {"body": "Et moi ?", "parent": reply.pk})
    assert response.status_code == 200
    assert "On ne répond qu&#x27;aux commentaires" in response.content.decode()
    assert "Et moi ?" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.comment_count == 2


def test_reply_form_from_link(client, make_user, contribution):
    """« Répondre » opens the form addressed to that comment, without JavaScript."""
    parent = CommentFactory(contribution=contribution)
    client.force_login(make_user("citoyen"))
    html = client.get(contribution.get_absolute_url(), {"repondre": parent.pk}).content.decode()
    assert f'value="{parent.pk}"' in html
    assert "Répondre à" in html


def test_a_priori_comment_waits(client, make_user):
    """Under a priori moderation, a comment is visible to its author only until approved."""
    contribution = ContributionFactory(consultation=ConsultationFactory(a_priori=True))
    author = make_user("citoyen")
    client.force_login(author)
    client.post(_url(contribution), {"body": "Commentaire à valider"})
    assert Comment.objects.get().status == PublicationStatus.PENDING
    assert "Commentaire à valider" in client.get(contribution.get_absolute_url()).content.decode()
    client.force_login(make_user("citoyen"))
    assert (
        "Commentaire à valider" not in client.get(contribution.get_absolute_url()).content.decode()
    )


def test_rate_limit_comments(client, make_user, contribution):
    """The 31st comment in an hour is refused in French (HTTP 429), the text kept."""
    client.force_login(make_user("citoyen"))
    for i in range(30):
        assert client.post(_url(contribution), {"body": f"Commentaire {i}"}).status_code == 302
    response = client.post(_url(contribution), {"body": "Le trente et unième"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Vous avez déjà envoyé 30 commentaires au cours de la dernière heure" in html
    assert "Le trente et unième" in html
    assert Comment.objects.count() == 30


@pytest.mark.parametrize("body", ["", " ", "x" * 3001, "a\x00b"])
def test_bad_comments(client, make_user, contribution, body):
    """Empty, too long or binary comments give a form error."""
    client.force_login(make_user("citoyen"))
    assert client.post(_url(contribution), {"body": body}).status_code == 200
    assert not Comment.objects.exists()


def test_no_comment_on_hidden_contribution(client, make_user):
    """A hidden contribution takes no comment."""
    contribution = ContributionFactory(hidden=True)
    client.force_login(make_user("citoyen"))
    assert client.post(_url(contribution), {"body": "Bonjour"}).status_code == 403
