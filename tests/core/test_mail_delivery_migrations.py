"""The e-mails recorded as sent by the old per-app models (engagements.FollowerNotice,
contributions.ResponseDelivery) are in ``MailDelivery`` after the migration: none is sent
again after the deploy."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from engagements.models import Follow
from engagements.notifications import follower_notice_key, send_follower_notices
from forum_ouvert.core.models import MailDelivery
from participation.contributions.models import response_mail_key
from participation.contributions.services import response_notify

from ..contributions.factories import ResponseFactory, SupportFactory
from ..engagements.factories import CommitmentFactory, JournalEntryFactory

BEFORE = [("engagements", "0005_one_line_titles"), ("contributions", "0003_one_line_titles")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
@pytest.mark.long
def test_sent_emails_move_to_mail_delivery(make_user):
    """Rows of the old models become MailDelivery rows; the next run sends only the rest."""
    follower = make_user()
    commitment = CommitmentFactory()
    Follow.objects.create(user=follower, commitment=commitment)
    entry = JournalEntryFactory(commitment=commitment)
    response = ResponseFactory()
    supporter = SupportFactory(contribution=response.contribution).user
    author = response.contribution.author
    sent_at = timezone.now() - dt.timedelta(days=3)
    try:
        old = _migrate(BEFORE)
        old.get_model("engagements", "FollowerNotice").objects.create(
            user_id=follower.pk, entry_id=entry.pk, sent_at=sent_at
        )
        old.get_model("contributions", "ResponseDelivery").objects.create(
            response_id=response.pk, recipient_id=supporter.pk, revision=1, sent_at=sent_at
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert sorted(MailDelivery.objects.values_list("key", "recipient", "sent_at")) == sorted(
        [
            (follower_notice_key(entry_id=entry.pk, user_id=follower.pk), follower.pk, sent_at),
            (
                response_mail_key(response_id=response.pk, revision=1, user_id=supporter.pk),
                supporter.pk,
                sent_at,
            ),
        ]
    )
    # What was sent before the deploy is not sent again; what was not, is.
    assert send_follower_notices(entry_ids=[entry.pk]) == 0
    assert response_notify(response_id=response.pk, revision=1) == 1
    assert [m.to for m in mail.outbox] == [[author.email]]
