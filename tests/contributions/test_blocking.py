"""Blocking a person (issue 19, item 9): read only, audited, reversible, time-limited or not;
their published content goes back to the moderators."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core import access
from forum_ouvert.core.models import AuditLog, UserBlock
from participation.contributions import services
from participation.contributions.models import PublicationStatus

from .factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


def _url(user):
    return reverse("contributions:person_block", args=[user.pk])


def test_staff_block_then_unblock(client, make_user, contribution):
    """A reason is required; once blocked, the person's published contribution and comment
    go back to the queue; unblocking lifts it; both acts are audited with their reason."""
    person = contribution.author
    comment = CommentFactory(contribution=ContributionFactory(), author=person)
    staff = make_user("ditp")
    client.force_login(staff)
    assert "Motif du blocage" in client.get(_url(person)).content.decode()
    refused = client.post(_url(person), {"action": "block", "reason": ""})
    assert refused.status_code == 200 and "Erreur" in refused.content.decode()
    assert not UserBlock.objects.exists()

    response = client.post(_url(person), {"action": "block", "reason": "Injures répétées"})
    assert response.status_code == 302
    contribution.refresh_from_db()
    comment.refresh_from_db()
    assert contribution.status == comment.status == PublicationStatus.PENDING
    assert access.active_block(person).reason == "Injures répétées"
    page = client.get(_url(person)).content.decode()
    assert "Bloquée sans limite de durée" in page

    client.post(_url(person), {"action": "unblock", "reason": "Excuses reçues"})
    assert access.active_block(person) is None
    actions = list(
        AuditLog.objects.filter(action__startswith="core.user.")
        .order_by("id")
        .values_list("action", "reason")
    )
    assert actions == [
        ("core.user.block", "Injures répétées"),
        ("core.user.unblock", "Excuses reçues"),
    ]


def test_a_blocked_person_reads_but_cannot_write(client, make_user, consultation, contribution):
    """Blocked, the person still reads the pages; contributing, commenting and reporting
    are refused with a French message on the form, never a 500; supporting too."""
    person = make_user("citoyen")
    services.person_block(actor=make_user("ditp"), user=person, reason="Spam")
    client.force_login(person)
    assert client.get(contribution.get_absolute_url()).status_code == 200
    create = reverse("contributions:create", args=[consultation.slug])
    response = client.post(
        create,
        {
            "title": "Une idée nouvelle",
            "body": "Un texte assez long pour être accepté.",
            "theme": consultation.themes.first().pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Votre compte est bloqué par l&#x27;équipe de modération" in html
    assert "Une idée nouvelle" in html  # the text is kept
    slug, pk = consultation.slug, contribution.pk
    comment = client.post(reverse("contributions:comment", args=[slug, pk]), {"body": "Oui !"})
    assert comment.status_code == 200 and "Votre compte est bloqué" in comment.content.decode()
    report = client.post(reverse("contributions:report", args=[slug, pk]), {"reason": "spam"})
    assert report.status_code == 200 and "Votre compte est bloqué" in report.content.decode()
    with pytest.raises(ValidationError, match="bloqué"):
        services.support_add(user=person, contribution=contribution)
    assert contribution.comments.count() == 0 and contribution.reports.count() == 0


def test_a_time_limited_block_ends_by_itself(make_user, contribution):
    """Blocked until a date, the person writes again after it; an end in the past is
    refused."""
    person = make_user("citoyen")
    staff = make_user("ditp")
    with pytest.raises(ValidationError):
        services.person_block(
            actor=staff,
            user=person,
            reason="Spam",
            until=timezone.now() - datetime.timedelta(hours=1),
        )
    block, _moved = services.person_block(
        actor=staff, user=person, reason="Spam", until=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="jusqu'au"):
        access.require_may_write(person)
    UserBlock.objects.filter(pk=block.pk).update(until=timezone.now())
    access.require_may_write(person)  # no longer blocked
    services.support_add(user=person, contribution=contribution)


def test_the_form_takes_an_end_date(client, make_user):
    """An end date typed in the form blocks until the end of that day."""
    person = make_user("citoyen")
    client.force_login(make_user("ditp"))
    day = timezone.localdate() + datetime.timedelta(days=7)
    client.post(_url(person), {"action": "block", "reason": "Spam", "until": day.isoformat()})
    block = UserBlock.objects.get()
    assert timezone.localtime(block.until).date() == day + datetime.timedelta(days=1)
    assert "Bloquée jusqu" in client.get(_url(person)).content.decode()


def test_a_blocked_person_may_still_contest(make_user, contribution):
    """Blocking never takes away the right to contest a moderation decision."""
    staff = make_user("ditp")
    services.contribution_moderate(
        actor=staff, contribution=contribution, act="hide", rule="spam", reason="Spam"
    )
    services.person_block(actor=staff, user=contribution.author, reason="Spam")
    statement = contribution.statements.get()
    services.statement_contest(author=contribution.author, statement=statement, text="Non")
    statement.refresh_from_db()
    assert statement.contested_at is not None
